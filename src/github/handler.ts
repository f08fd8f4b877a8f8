import type { Finding, Patch, Review } from "../model.js";
import { review } from "../review/review.js";
import type { Rule } from "../rules/load.js";
import type { ChangedFile, PullRequestApi } from "./api.js";
import { type CheckRunContent, invalidConfigCheckRun, publishCheckRun, reviewCheckRun } from "./check-run.js";
import { messagesIntroducing } from "./commit-claims.js";
import { type RepoConfig, readRepoConfig, rulesFor } from "./config.js";
import { describeFailure, type FailureDescription } from "./errors.js";
import { type GatheredPatch, gatherPatch, messageOf, type PullRequestInfo } from "./gather.js";
import { DiffLines } from "./inline.js";
import { loadReviewState, type PostInput, type PostStats, postReview, postSummaryComment } from "./post.js";
import { summaryMarkdown } from "./summary.js";
import { watchedFiles } from "./watch.js";

export type Outcome =
  | { kind: "skipped"; reason: string }
  | { kind: "invalid-config"; problems: string[]; check: "created" | "unchanged" }
  | {
      kind: "reviewed";
      findings: number;
      posted: PostStats;
      check: "created" | "unchanged";
      postFailure?: FailureDescription;
    };

export interface PullRequestEvent {
  action: string;
  pr: PullRequestInfo;
  api: PullRequestApi;
  /** Probot's context.config for the app's file: the parsed YAML, or null when there is none. */
  readConfig: () => Promise<unknown>;
}

/** GitHub's listFiles stops here whatever the PR's size. */
const LISTING_CAP = 3000;

function emptyPatch(pr: PullRequestInfo): Patch {
  return {
    source: `github:${pr.owner}/${pr.repo}#${pr.number}`,
    position: 0,
    subject: pr.title,
    title: pr.title,
    version: 1,
    rfc: false,
    references: [],
    to: [],
    cc: [],
    message: "",
    files: [],
  };
}

/** One finding per fingerprint: GitHub gets one comment per distinct change. */
function distinctFindings(result: Review): Finding[] {
  const byFingerprint = new Map<string, Finding>();
  for (const f of result.patches.flatMap((p) => p.findings))
    if (!byFingerprint.has(f.fingerprint)) byFingerprint.set(f.fingerprint, f);
  return [...byFingerprint.values()];
}

async function gather(
  event: PullRequestEvent,
  watched: ChangedFile[],
  rules: Rule[],
): Promise<GatheredPatch> {
  if (watched.length === 0) {
    // Nothing watched any more (e.g. the change was reverted): an empty review, so the old summary says so.
    return {
      patch: emptyPatch(event.pr),
      files: { before: () => undefined, describe: () => "none" },
      noInline: new Set(),
      notReviewed: [],
      commits: [],
      description: "",
    };
  }
  return gatherPatch(event.api, event.pr, watched, rules);
}

async function post(event: PullRequestEvent, config: RepoConfig, input: PostInput): Promise<PostStats> {
  if (config.mode === "review") return postReview(input, await loadReviewState(event.api));
  if (config.mode === "comment") return postSummaryComment(input);
  return { summary: "none", commentsCreated: 0, commentsUpdated: 0, commentsDeleted: 0, commentsResolved: 0 };
}

/** The whole pipeline for one pull_request event: list, decide, gather, review, post, check. */
export async function handlePullRequest(
  event: PullRequestEvent,
  allRules: readonly Rule[],
): Promise<Outcome> {
  const { api, pr } = event;
  const listed = await api.listFiles();
  const anyWatched = watchedFiles(listed, allRules).length > 0;
  // A new PR has no earlier review to update, so an unwatched one costs exactly this one listing.
  if (!anyWatched && event.action === "opened")
    return { kind: "skipped", reason: "touches nothing the rules watch" };

  const configResult = await readRepoConfig(event.readConfig, allRules);
  if (!configResult.ok) {
    if (!anyWatched) return { kind: "skipped", reason: "touches nothing the rules watch" };
    const check = await publishCheckRun(
      api,
      pr.headSha,
      invalidConfigCheckRun(configResult.problems),
      pr.htmlUrl,
    );
    return { kind: "invalid-config", problems: configResult.problems, check };
  }
  const config = configResult.config;
  if (pr.draft && !config.drafts) return { kind: "skipped", reason: "draft pull request (drafts: false)" };

  const rules = rulesFor(config, allRules);
  const watched = watchedFiles(listed, rules, config.ignorePaths);
  // Only an earlier summary can need an update; a new PR and check-only mode have none.
  if (watched.length === 0 && (event.action === "opened" || config.mode === "check-only"))
    return { kind: "skipped", reason: "touches nothing the enabled rules watch" };

  const gathered = await gather(event, watched, rules);
  const result = review([{ kind: "patch", patch: gathered.patch }], {
    rules,
    files: gathered.files,
    messageFor: (patch, found) => {
      const messages = messagesIntroducing(found, gathered.commits);
      return messages ? messageOf(messages, gathered.description) : patch.message;
    },
  });
  const findings = distinctFindings(result);
  const unlisted =
    pr.changedFiles !== undefined && pr.changedFiles > listed.length && listed.length >= LISTING_CAP
      ? { listed: listed.length, total: pr.changedFiles }
      : undefined;
  const summary = { review: result, notReviewed: gathered.notReviewed, ...(unlisted ? { unlisted } : {}) };

  let posted: PostStats = {
    summary: "none",
    commentsCreated: 0,
    commentsUpdated: 0,
    commentsDeleted: 0,
    commentsResolved: 0,
  };
  let postFailure: FailureDescription | undefined;
  try {
    posted = await post(event, config, {
      api,
      headSha: pr.headSha,
      findings,
      lines: new DiffLines(gathered.patch.files, gathered.noInline),
      maxInline: config.maxInlineComments,
      summary,
    });
  } catch (err) {
    postFailure = describeFailure(err);
  }
  // Unwatched and never reviewed before: nothing to say, and no check run on a PR the bot has no business with.
  if (watched.length === 0 && posted.summary === "none" && !postFailure)
    return { kind: "skipped", reason: "touches nothing the enabled rules watch" };

  const content: CheckRunContent = reviewCheckRun(
    findings,
    gathered.patch.files,
    summaryMarkdown(summary),
    config.conclusion,
    postFailure,
  );
  const check = await publishCheckRun(api, pr.headSha, content, pr.htmlUrl);
  return {
    kind: "reviewed",
    findings: findings.length,
    posted,
    check,
    ...(postFailure ? { postFailure } : {}),
  };
}
