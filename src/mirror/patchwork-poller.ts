// Poller mode: reads a project's patch-created events from Patchwork (which has no webhooks) and feeds each new
// patch's mbox into the journal. The cursor (the newest event date handled) is kept in the journal, so a restart
// goes on where it stopped; Patchwork's `since` is inclusive and the journal drops the repeat by Message-Id.

import { identifyMessage } from "./intake-payload.js";
import type { Journal } from "./journal.js";
import type { PatchworkClient } from "./patchwork-client.js";
import { BackgroundLoop } from "./wakeable.js";

interface PatchCreatedEvent {
  id: number;
  category: string;
  date: string;
  payload: { patch?: { id: number; msgid?: string; mbox: string } };
}

export interface PollerOptions {
  client: PatchworkClient;
  /** Project link name or id, e.g. "linux-iommu". */
  project: string;
  journal: Journal;
  /** Called after messages were queued, to wake the worker. */
  onQueued?: (count: number) => void;
  intervalMs?: number;
  now?: () => number;
  onError?: (error: unknown) => void;
}

export interface PollResult {
  events: number;
  queued: number;
  duplicates: number;
  unreadable: number;
}

export class PatchworkPoller extends BackgroundLoop {
  readonly cursorName: string;

  constructor(private readonly opts: PollerOptions) {
    super(opts.intervalMs ?? 60_000, opts.onError);
    this.cursorName = `patchwork-events:${opts.client.apiBase}:${opts.project}`;
  }

  /** A round is one poll; then the loop sleeps until the next. */
  protected async step(): Promise<false> {
    await this.pollOnce();
    return false;
  }

  async pollOnce(): Promise<PollResult> {
    const { journal, client } = this.opts;
    // The first run starts now: the bot reviews what arrives from here on, not the project's history.
    const since = journal.cursor(this.cursorName) ?? patchworkDate(new Date((this.opts.now ?? Date.now)()));
    journal.setCursor(this.cursorName, since);
    const events = await client.list<PatchCreatedEvent>("events/", {
      category: "patch-created",
      project: this.opts.project,
      since,
      order: "date",
    });
    events.sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
    const result: PollResult = { events: events.length, queued: 0, duplicates: 0, unreadable: 0 };
    for (const event of events) {
      const patch = event.payload.patch;
      if (event.category === "patch-created" && patch) {
        const raw = Buffer.from(await client.getText(patch.mbox), "utf8");
        const message = await identifyMessage(raw).catch(() => undefined);
        if (!message) {
          result.unreadable++;
        } else {
          const [outcome] = journal.enqueue([
            { messageId: message.messageId, raw, origin: `patchwork:${patch.id}`, patchworkId: patch.id },
          ]);
          if (outcome?.status === "queued") result.queued++;
          else result.duplicates++;
        }
      }
      journal.setCursor(this.cursorName, event.date);
    }
    if (result.queued > 0) this.opts.onQueued?.(result.queued);
    return result;
  }
}

/** Patchwork's own date form: ISO 8601 without zone (UTC) and without fractions. */
export function patchworkDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}
