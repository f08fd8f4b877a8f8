// public-inbox git mirrors: every commit's tree holds one message in a blob named "m" (or "d" when the message
// was deleted). This reads the "m" blob of each commit of a local clone (bare or not) through `git` child
// processes: rev-list for the commits, one `cat-file --batch` for all the blobs.

import { spawn } from "node:child_process";
import type { InputItem } from "../model.js";
import { messageToItem } from "../parse/patch.js";

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
      for (const blob of reader.push(chunk)) {
        const commit = commits[index++]!;
        if (blob) yield { commit, raw: blob };
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

/**
 * Parses `git cat-file --batch` output: "<oid> blob <size>\n<content>\n" per object, or "<name> missing\n".
 * Yields the content, or undefined for a missing object.
 */
class BatchReader {
  private buffer: Buffer = Buffer.alloc(0);
  private expected: number | undefined;

  *push(chunk: Buffer): Generator<Buffer | undefined> {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.expected === undefined) {
        const eol = this.buffer.indexOf(0x0a);
        if (eol < 0) return;
        const header = this.buffer.toString("utf8", 0, eol);
        this.buffer = this.buffer.subarray(eol + 1);
        const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
        if (!match) {
          yield undefined; // "<name> missing" or "<name> ambiguous"
          continue;
        }
        this.expected = Number(match[2]);
        if (match[1] !== "blob") this.expected = -this.expected - 1; // read and drop a non-blob
      }
      const size = this.expected < 0 ? -this.expected - 1 : this.expected;
      if (this.buffer.length < size + 1) return;
      const content = Buffer.from(this.buffer.subarray(0, size));
      const isBlob = this.expected >= 0;
      this.buffer = this.buffer.subarray(size + 1);
      this.expected = undefined;
      yield isBlob ? content : undefined;
    }
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
