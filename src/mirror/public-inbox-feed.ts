// Feeds a local public-inbox clone into the journal: on each round, the messages of the commits after the last
// one handled (the cursor, kept in the journal). The first round only records where the clone stands, so the bot
// reviews what arrives from then on. Keeping the clone up to date (git fetch, grokmirror) is left to the operator.

import { resolve } from "node:path";
import { headCommit, listCommits, readMessages } from "../ingest/public-inbox.js";
import { identifyMessage } from "./intake-payload.js";
import type { Journal } from "./journal.js";
import { BackgroundLoop } from "./wakeable.js";

export interface PublicInboxFeedOptions {
  gitDir: string;
  journal: Journal;
  ref?: string;
  intervalMs?: number;
  onQueued?: (count: number) => void;
  onError?: (error: unknown) => void;
}

export class PublicInboxFeed extends BackgroundLoop {
  readonly cursorName: string;

  constructor(private readonly opts: PublicInboxFeedOptions) {
    super(opts.intervalMs ?? 60_000, opts.onError);
    this.cursorName = `public-inbox:${resolve(opts.gitDir)}`;
  }

  /** A round is one poll; then the loop sleeps until the next. */
  protected async step(): Promise<false> {
    await this.pollOnce();
    return false;
  }

  async pollOnce(): Promise<{ queued: number; duplicates: number; unreadable: number }> {
    const { journal, gitDir } = this.opts;
    const result = { queued: 0, duplicates: 0, unreadable: 0 };
    const since = journal.cursor(this.cursorName);
    if (since === undefined) {
      journal.setCursor(this.cursorName, await headCommit(gitDir, this.opts.ref));
      return result;
    }
    const commits = await listCommits(gitDir, { since, ...(this.opts.ref && { ref: this.opts.ref }) });
    const origin = `public-inbox:${gitDir}`;
    for await (const { commit, raw } of readMessages(gitDir, commits)) {
      const message = await identifyMessage(raw).catch(() => undefined);
      if (!message) result.unreadable++;
      else if (journal.enqueue([{ messageId: message.messageId, raw, origin }])[0]?.status === "queued") {
        result.queued++;
      } else result.duplicates++;
      journal.setCursor(this.cursorName, commit);
    }
    if (commits.length > 0) journal.setCursor(this.cursorName, commits.at(-1)!);
    if (result.queued > 0) this.opts.onQueued?.(result.queued);
    return result;
  }
}
