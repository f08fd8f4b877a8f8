import { applyHunks } from "../kconfig/apply.js";
import type { FileDiff, FileSource, Hunk, Patch } from "../model.js";
import { parseHunkOnly, parseUnifiedDiff } from "../parse/diff.js";
import { parseSubject } from "../parse/subject.js";
import { matchesAny } from "../rules/glob.js";
import type { Rule } from "../rules/load.js";
import type { ChangedFile, PullRequestApi } from "./api.js";
import { type CommitChange, MAX_COMMITS_READ } from "./commit-claims.js";
import { statusOf } from "./errors.js";
import { allSettled } from "./settle.js";
import { isKconfigOrConfigFile } from "./watch.js";

/** What the app reads from the webhook's pull_request object. */
export interface PullRequestInfo {
  owner: string;
  repo: string;
  number: number;
  title: string;
  body: string | null;
  author: string;
  createdAt?: string;
  baseSha: string;
  headSha: string;
  /** GitHub's count; more than the listing returns when the PR is over the 3000-file listing cap. */
  changedFiles?: number;
  draft?: boolean;
  htmlUrl?: string;
}

export interface NotReviewed {
  path: string;
  reason: string;
}

export interface GatheredPatch {
  patch: Patch;
  files: FileSource;
  /** Paths whose diff did not come from GitHub's per-file patch: GitHub cannot anchor review comments there. */
  noInline: Set<string>;
  notReviewed: NotReviewed[];
  /** The pull request's commits, oldest first, for checking the messages of those that introduce findings. */
  commits: CommitChange[];
  /** The pull request's description. */
  description: string;
}

/** A tree-wide Kconfig refactor would otherwise cost two contents calls per file; the engine falls back to hunks. */
const MAX_PREFETCHED_FILES = 40;

function fileDiffFromListing(file: ChangedFile): FileDiff {
  const diff = parseHunkOnly(file.filename, file.patch ?? "");
  switch (file.status) {
    case "added":
      return { ...diff, oldPath: null, newPath: file.filename, status: "added" };
    case "removed":
      return { ...diff, oldPath: file.filename, newPath: null, status: "deleted" };
    case "renamed":
      return { ...diff, oldPath: file.previous_filename ?? file.filename, status: "renamed" };
    default:
      return diff;
  }
}

/** A rename without content changes has no patch and needs none. */
function needsDiff(file: ChangedFile): boolean {
  return file.patch === undefined && !(file.status === "renamed" && file.changes === 0);
}

async function fileDiffs(api: PullRequestApi, watched: readonly ChangedFile[]) {
  const noInline = new Set<string>();
  const notReviewed: NotReviewed[] = [];
  const missing = watched.filter(needsDiff);
  let fromDiff = new Map<string, FileDiff>();
  if (missing.length > 0) {
    try {
      fromDiff = new Map(parseUnifiedDiff(await api.diff()).map((d) => [d.path, d]));
    } catch (err) {
      // 406: GitHub refuses diffs over its size limits. Anything else is a real failure.
      if (statusOf(err) !== 406) throw err;
    }
  }
  const diffs: FileDiff[] = [];
  for (const file of watched) {
    if (!needsDiff(file)) {
      diffs.push(fileDiffFromListing(file));
      continue;
    }
    noInline.add(file.filename);
    const diff = fromDiff.get(file.filename);
    if (diff && diff.status !== "binary") diffs.push(diff);
    else
      notReviewed.push({
        path: file.filename,
        reason: diff ? "binary file" : "GitHub provides no diff for it",
      });
  }
  return { diffs, noInline, notReviewed };
}

function reversed(hunks: readonly Hunk[]): Hunk[] {
  return hunks.map((h) => ({
    oldStart: h.newStart,
    oldLines: h.newLines,
    newStart: h.oldStart,
    newLines: h.oldLines,
    section: h.section,
    lines: h.lines.map((l) => ({
      text: l.text,
      kind: l.kind === "add" ? "del" : l.kind === "del" ? "add" : "context",
      oldLine: l.newLine,
      newLine: l.oldLine,
    })),
  }));
}

/**
 * The pre-image the diff was made against. The base branch may have moved since the PR's merge base, so the
 * base-SHA text is used only if the hunks apply to it and give the head text; otherwise the head text with the
 * hunks taken back out is the merge-base version.
 */
export function preImage(
  diff: FileDiff,
  base: string | undefined,
  head: string | undefined,
): string | undefined {
  if (base !== undefined && (head === undefined || applyHunks(base, diff.hunks) === head)) return base;
  if (head !== undefined) return applyHunks(head, reversed(diff.hunks)) ?? base;
  return base;
}

interface Prefetch {
  diff?: FileDiff;
  path: string;
}

function prefetchList(diffs: readonly FileDiff[], rules: readonly Rule[]): Prefetch[] {
  const list: Prefetch[] = diffs
    .filter((d) => isKconfigOrConfigFile(d.path))
    .map((diff) => ({ diff, path: diff.path }));
  // Rules that judge a config file against a Kconfig default read that Kconfig too, though the PR leaves it alone.
  const touched = new Set(diffs.flatMap((d) => [d.oldPath, d.newPath]));
  for (const rule of rules) {
    const path = rule.upstream?.path;
    if (!path || touched.has(path) || list.some((p) => p.path === path)) continue;
    if (diffs.some((d) => matchesAny(d.path, rule.match.paths))) list.push({ path });
  }
  return list.slice(0, MAX_PREFETCHED_FILES);
}

async function prefetch(api: PullRequestApi, pr: PullRequestInfo, list: readonly Prefetch[]) {
  const before = new Map<string, string>();
  const after = new Map<string, string>();
  await allSettled(
    list.map(async ({ diff, path }) => {
      if (!diff) {
        // Unchanged by the PR, so its head version is the merge-base version.
        const text = await api.fileAt(path, pr.headSha);
        if (text !== undefined) before.set(path, text);
        return;
      }
      const [base, head] = await allSettled<[string | undefined, string | undefined]>([
        diff.oldPath ? api.fileAt(diff.oldPath, pr.baseSha) : Promise.resolve(undefined),
        diff.newPath ? api.fileAt(diff.newPath, pr.headSha) : Promise.resolve(undefined),
      ]);
      const pre = preImage(diff, base, head);
      if (pre !== undefined && diff.oldPath) before.set(diff.oldPath, pre);
      if (head !== undefined && diff.newPath) after.set(diff.newPath, head);
    }),
  );
  return { before, after };
}

/** Commit messages (oldest first), then the PR description unless it only repeats them. */
export function messageOf(commitMessages: readonly string[], body: string | null): string {
  const commits = commitMessages.map((m) => m.trim()).join("\n\n");
  const description = body?.replace(/\r\n/g, "\n").trim() ?? "";
  if (!description || commits.includes(description)) return commits;
  return commits ? `${commits}\n\n${description}` : description;
}

/** Everything review() needs for one pull request, fetched up front because review() is synchronous. */
export async function gatherPatch(
  api: PullRequestApi,
  pr: PullRequestInfo,
  watched: readonly ChangedFile[],
  rules: readonly Rule[],
): Promise<GatheredPatch> {
  const { diffs, noInline, notReviewed } = await fileDiffs(api, watched);
  const [commitList, texts] = await allSettled<
    [{ sha: string; message: string }[], Awaited<ReturnType<typeof prefetch>>]
  >([api.listCommits(), prefetch(api, pr, prefetchList(diffs, rules))]);
  const commitMessages = commitList.map((c) => c.message);
  const commits = await commitChanges(api, commitList);
  const subject = parseSubject(pr.title);
  const patch: Patch = {
    source: `github:${pr.owner}/${pr.repo}#${pr.number}`,
    position: 0,
    subject: pr.title,
    title: subject.title || pr.title,
    version: subject.version,
    rfc: subject.rfc,
    author: { name: pr.author, email: `${pr.author}@users.noreply.github.com` },
    ...(pr.createdAt ? { date: pr.createdAt } : {}),
    references: [],
    to: [],
    cc: [],
    message: messageOf(commitMessages, pr.body),
    files: diffs,
  };
  const files: FileSource = {
    before: (path) => texts.before.get(path),
    after: (path) => texts.after.get(path),
    // No SHAs here: the text lands in the summary, which a push of the same change must leave untouched.
    describe: () => `${pr.owner}/${pr.repo}, base and head of the pull request, GitHub contents API`,
  };
  return { patch, files, noInline, notReviewed, commits, description: pr.body ?? "" };
}

/** Each commit's added lines, read only when there are several commits (and not too many) to tell apart. */
async function commitChanges(
  api: PullRequestApi,
  list: readonly { sha: string; message: string }[],
): Promise<CommitChange[]> {
  if (list.length < 2 || list.length > MAX_COMMITS_READ) return list.map((c) => ({ message: c.message }));
  return Promise.all(
    list.map(async (c) => {
      try {
        return { message: c.message, added: await api.addedLines(c.sha) };
      } catch {
        // Unknown lines: every message is checked, as with a single commit.
        return { message: c.message };
      }
    }),
  );
}
