// public-inbox git mirrors: every commit's tree holds one message in a blob named "m" (or "d" when the message
// was deleted). This reads the "m" blob of each commit of a local clone (bare or not) through `git` child
// processes: rev-list for the commits, one `cat-file --batch` for all the blobs. streamInbox pipes the one
// into the other, so neither the commit list nor a large blob is ever held whole.

import { spawn } from "node:child_process";
import { once } from "node:events";
import type { InputItem } from "../model.js";
import { messageToItem } from "../parse/patch.js";
import type { SplitLimits } from "./mbox.js";

export interface PublicInboxMessage {
  commit: string;
  raw: Buffer;
}

export interface CommitRange {
  /** Read the commits after this one (exclusive); all commits when absent. */
  since?: string;
  /** Up to this ref (default HEAD). */
  ref?: string;
  /** At most this many commits, the newest ones. */
  limit?: number;
}

export class GitError extends Error {}

/** The commits of the range, oldest first. */
export async function listCommits(gitDir: string, range: CommitRange = {}): Promise<string[]> {
  const ref = range.ref ?? "HEAD";
  const args = ["rev-list", "--reverse"];
  if (range.limit !== undefined) args.push(`--max-count=${range.limit}`);
  args.push(range.since ? `${range.since}..${ref}` : ref);
  const out = await git(gitDir, args);
  return out.toString("utf8").split("\n").filter(Boolean);
}

export async function headCommit(gitDir: string, ref = "HEAD"): Promise<string> {
  return (await git(gitDir, ["rev-parse", "--verify", `${ref}^{commit}`])).toString("utf8").trim();
}

/** The "m" blob of each commit, in the given order; commits without one (deletions) are left out. */
export async function* readMessages(
  gitDir: string,
  commits: readonly string[],
): AsyncGenerator<PublicInboxMessage> {
  if (commits.length === 0) return;
  const child = spawn("git", ["-C", gitDir, "cat-file", "--batch"], { stdio: ["pipe", "pipe", "pipe"] });
  const stderr: Buffer[] = [];
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const exited = new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code ?? 1));
  });
  child.stdin.on("error", () => {}); // reported through the exit code
  child.stdin.end(commits.map((c) => `${c}:m\n`).join(""));

  const reader = new BatchReader();
  let index = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      for (const object of reader.push(chunk)) {
        const commit = commits[index++]!;
        if (object.blob) yield { commit, raw: object.blob.bytes };
      }
    }
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0 || index !== commits.length) {
    throw new GitError(`git cat-file in ${gitDir} failed: ${Buffer.concat(stderr).toString("utf8").trim()}`);
  }
}

/** For `iommu-review scan`: the messages of a local mirror as InputItems, source "<dir>@<commit>". */
export async function publicInboxItems(gitDir: string, range: CommitRange = {}): Promise<InputItem[]> {
  const items: InputItem[] = [];
  let position = 0;
  for await (const { commit, raw } of readMessages(gitDir, await listCommits(gitDir, range))) {
    items.push(await messageToItem(raw, `${gitDir}@${commit.slice(0, 12)}`, position++));
  }
  return items;
}

/** One commit of a streamed inbox, and its message unless the commit deleted one. */
export interface InboxCommit {
  commit: string;
  message?: { raw: Buffer; size: number; truncated: boolean };
}

/**
 * The commits of the range, oldest first, each with its "m" blob, read through a pipe from `git rev-list` to
 * `git cat-file --batch`. A blob over `limits.maxMessageBytes` comes cut to its first `limits.keepBytes`.
 */
export async function* streamInbox(
  gitDir: string,
  range: CommitRange = {},
  limits?: SplitLimits,
): AsyncGenerator<InboxCommit> {
  const revList = spawn("git", ["-C", gitDir, ...revListArgs(range)], { stdio: ["ignore", "pipe", "pipe"] });
  // %(rest) echoes what follows the object name on the input line: here the commit, so that each answer
  // names its commit even when the object is missing.
  const catFile = spawn(
    "git",
    ["-C", gitDir, "cat-file", "--batch=%(objectname) %(objecttype) %(objectsize) %(rest)"],
    {
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  const stderr: Buffer[] = [];
  for (const child of [revList, catFile]) child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const exits = [revList, catFile].map(
    (child) =>
      new Promise<number>((resolve, reject) => {
        child.on("error", reject);
        child.on("close", (code) => resolve(code ?? 1));
      }),
  );
  catFile.stdin.on("error", () => {}); // reported through the exit codes
  const feeding = feedCommits(revList.stdout, catFile.stdin);
  const reader = new BatchReader(limits);
  try {
    for await (const chunk of catFile.stdout as AsyncIterable<Buffer>) {
      for (const object of reader.push(chunk)) {
        const commit = object.blob ? object.rest : object.name.replace(/:m$/, "");
        yield object.blob ? { commit, message: { raw: object.blob.bytes, ...object.blob } } : { commit };
      }
    }
    await feeding;
  } finally {
    for (const child of [revList, catFile]) if (child.exitCode === null) child.kill();
  }
  const codes = await Promise.all(exits);
  if (codes.some((code) => code !== 0)) {
    throw new GitError(`git in ${gitDir} failed: ${Buffer.concat(stderr).toString("utf8").trim()}`);
  }
}

function revListArgs(range: CommitRange): string[] {
  const ref = range.ref ?? "HEAD";
  const args = ["rev-list", "--reverse"];
  if (range.limit !== undefined) args.push(`--max-count=${range.limit}`);
  args.push(range.since ? `${range.since}..${ref}` : ref);
  return args;
}

/** Turns rev-list's commit lines into cat-file requests "<commit>:m <commit>", with back-pressure. */
async function feedCommits(commits: NodeJS.ReadableStream, requests: NodeJS.WritableStream): Promise<void> {
  let partial = "";
  try {
    for await (const chunk of commits as AsyncIterable<Buffer>) {
      const lines = (partial + chunk.toString("latin1")).split("\n");
      partial = lines.pop()!;
      const text = lines.map((c) => `${c}:m ${c}\n`).join("");
      if (text && !requests.write(text)) await once(requests, "drain");
    }
    if (partial) requests.write(`${partial}:m ${partial}\n`);
  } finally {
    requests.end();
  }
}

interface BatchObject {
  /** The object name as asked for (only for a missing object) or its id. */
  name: string;
  /** What followed the object name on the request line (with a %(rest) format). */
  rest: string;
  /** The content of a blob; undefined for a missing object or one of another type. */
  blob?: { bytes: Buffer; size: number; truncated: boolean };
}

/**
 * Parses `git cat-file --batch` output: "<oid> <type> <size>[ <rest>]\n<content>\n" per object, or
 * "<name> missing\n". With limits, content over limits.maxMessageBytes is kept only up to limits.keepBytes
 * and the rest is dropped as it arrives.
 */
class BatchReader {
  private pending: Buffer = Buffer.alloc(0);
  private object:
    | (BatchObject & { isBlob: boolean; size: number; left: number; parts: Buffer[]; kept: number })
    | undefined;

  constructor(private readonly limits?: SplitLimits) {}

  *push(chunk: Buffer): Generator<BatchObject> {
    const data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    let at = 0;
    for (;;) {
      const object = this.object;
      if (object) {
        // Content and its closing "\n".
        const take = Math.min(object.left, data.length - at);
        const contentEnd = Math.min(at + take, at + Math.max(0, object.left - 1));
        this.keep(object, data.subarray(at, contentEnd));
        object.left -= take;
        at += take;
        if (object.left > 0) return;
        this.object = undefined;
        const { name, rest, isBlob, size, parts } = object;
        const truncated = this.limits !== undefined && size > this.limits.maxMessageBytes;
        yield isBlob
          ? { name, rest, blob: { bytes: Buffer.concat(parts), size, truncated } }
          : { name, rest };
        continue;
      }
      const eol = data.indexOf(0x0a, at);
      if (eol < 0) {
        this.pending = Buffer.from(data.subarray(at));
        return;
      }
      const header = data.toString("utf8", at, eol);
      at = eol + 1;
      const match = /^(\S+) (\S+) (\d+)(?: (.*))?$/.exec(header);
      if (!match) {
        // "<name> missing" or "<name> ambiguous"
        const name = header.replace(/ (missing|ambiguous)$/, "");
        yield { name, rest: "" };
        continue;
      }
      const size = Number(match[3]);
      this.object = {
        name: match[1]!,
        rest: match[4] ?? "",
        isBlob: match[2] === "blob",
        size,
        left: size + 1,
        parts: [],
        kept: 0,
      };
    }
  }

  private keep(object: NonNullable<BatchReader["object"]>, bytes: Buffer): void {
    if (!object.isBlob || bytes.length === 0) return;
    const room =
      this.limits && object.size > this.limits.maxMessageBytes
        ? this.limits.keepBytes - object.kept
        : bytes.length;
    if (room <= 0) return;
    const kept = Buffer.from(bytes.subarray(0, room));
    object.parts.push(kept);
    object.kept += kept.length;
  }
}

function git(dir: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["-C", dir, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(`git ${args[0]} in ${dir}: ${Buffer.concat(err).toString("utf8").trim()}`));
    });
  });
}
