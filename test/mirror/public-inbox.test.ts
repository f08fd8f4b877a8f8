// The public-inbox reader on a local clone made here with git: one message per commit in a blob named "m".

import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { listCommits, publicInboxItems, readMessages } from "../../src/ingest/public-inbox.js";
import { Journal } from "../../src/mirror/journal.js";
import { PublicInboxFeed } from "../../src/mirror/public-inbox-feed.js";
import { patchMail, tempDir } from "./helpers.js";

const dir = tempDir();
const repo = join(dir.path, "inbox");
const bare = join(dir.path, "inbox.git");

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=Inbox Bot", "-c", "user.email=inbox@example.org", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", HOME: dir.path },
  }).trim();
}

/** Like public-inbox: the tree of every commit has exactly one file, "m" (a message) or "d" (a deletion). */
function commitMessage(text: string): void {
  rmSync(join(repo, "d"), { force: true });
  writeFileSync(join(repo, "m"), text);
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "msg");
}

function commitDeletion(): void {
  git(repo, "rm", "-q", "m");
  writeFileSync(join(repo, "d"), "deleted\n");
  git(repo, "add", "-A");
  git(repo, "commit", "-q", "-m", "del");
}

beforeAll(() => {
  execFileSync("git", ["init", "-q", "-b", "master", repo]);
  commitMessage(patchMail({ messageId: "pi-1@example.org" }));
  commitMessage(
    "From: Someone <s@example.org>\nSubject: Re: [PATCH] x\nMessage-Id: <pi-2@example.org>\n\nThanks!\n",
  );
  commitDeletion();
  commitMessage(patchMail({ messageId: "pi-4@example.org", triggers: false }));
  execFileSync("git", ["clone", "-q", "--bare", repo, bare]);
});
afterAll(() => dir.remove());

describe("reading a clone", () => {
  test("yields the m blob of each commit, oldest first, leaving out the deletion, from a bare clone too", async () => {
    for (const clone of [repo, bare]) {
      const commits = await listCommits(clone);
      expect(commits).toHaveLength(4);
      const read: string[] = [];
      for await (const { raw } of readMessages(clone, commits))
        read.push(/Message-Id: <([^>]+)>/.exec(raw.toString())![1]!);
      expect(read).toEqual(["pi-1@example.org", "pi-2@example.org", "pi-4@example.org"]);
    }
  });

  test("a range reads only the commits after `since`", async () => {
    const [first] = await listCommits(repo);
    expect(await listCommits(repo, { since: first })).toHaveLength(3);
    expect(await listCommits(repo, { limit: 1 })).toEqual([git(repo, "rev-parse", "HEAD")]);
  });

  test("gives InputItems for `iommu-review scan`", async () => {
    const items = await publicInboxItems(bare);
    expect(items.map((i) => i.kind)).toEqual(["patch", "skipped", "patch"]);
    expect(items[0]!.kind === "patch" && items[0]!.patch.source).toMatch(/inbox\.git@[0-9a-f]{12}$/);
  });

  test("a directory that is not a git repository is an error", async () => {
    await expect(listCommits(dir.path)).rejects.toThrow(/git rev-list/);
  });
});

describe("PublicInboxFeed", () => {
  test("starts where the clone stands, then journals each new message once", async () => {
    const journal = new Journal(join(dir.path, "feed.sqlite"));
    try {
      const feed = new PublicInboxFeed({ gitDir: repo, journal });
      expect(await feed.pollOnce()).toEqual({ queued: 0, duplicates: 0, unreadable: 0 });
      expect(journal.cursor(feed.cursorName)).toBe(git(repo, "rev-parse", "HEAD"));

      commitMessage(patchMail({ messageId: "pi-5@example.org" }));
      commitMessage("not a mail at all\n");
      expect(await feed.pollOnce()).toEqual({ queued: 1, duplicates: 0, unreadable: 1 });
      expect(await feed.pollOnce()).toEqual({ queued: 0, duplicates: 0, unreadable: 0 });
      expect(journal.db.prepare("SELECT message_id FROM messages").pluck().all()).toEqual([
        "pi-5@example.org",
      ]);
    } finally {
      journal.close();
    }
  });
});
