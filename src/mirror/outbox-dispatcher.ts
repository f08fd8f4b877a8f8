// Delivers due outbox entries. Each entry is marked "sending" (committed) before it is handed to a transport and
// "sent" after. After a crash, an entry still marked "sending" is resolved by asking the transport whether it got
// through (the Maildir can tell); a transport that cannot tell gets it marked "unknown" and never resent.

import type { MailTransport, OutgoingMail } from "../deliver/transport.js";
import type { Journal, OutboxEntry } from "./journal.js";
import type { CheckPayload } from "./patchwork-check.js";
import { BackgroundLoop, type StepResult } from "./wakeable.js";

/** Where Patchwork checks go: the reporter, or a dry-run printer. Sending the same check twice must be harmless. */
export interface CheckSink {
  readonly description: string;
  send(check: CheckPayload): Promise<void>;
}

export interface DispatcherOptions {
  journal: Journal;
  mail: MailTransport;
  checks?: CheckSink;
  now?: () => number;
  maxAttempts?: number;
  /** First retry delay; doubled on every further attempt. */
  retryDelayMs?: number;
  pollMs?: number;
  /** After an entry is marked sent, with the time the transport took. */
  onDelivered?: (entry: OutboxEntry, seconds: number) => void;
  /** `final`: the entry was given up (failed), not scheduled for another attempt. */
  onError?: (entry: OutboxEntry, error: unknown, final: boolean) => void;
}

export class OutboxDispatcher extends BackgroundLoop {
  private readonly now: () => number;

  constructor(private readonly opts: DispatcherOptions) {
    super(opts.pollMs ?? 1000);
    this.now = opts.now ?? Date.now;
  }

  /** Settles entries a previous process left in "sending". Call before start(). */
  async recover(): Promise<{ resent: number; delivered: number; unknown: number }> {
    const { journal } = this.opts;
    const result = { resent: 0, delivered: 0, unknown: 0 };
    for (const entry of journal.inFlight()) {
      if (entry.kind === "check") {
        // The reporter skips a check whose state and URL Patchwork already has.
        journal.markOutbox(entry.id, "pending");
        result.resent++;
        continue;
      }
      const delivered = await this.opts.mail.wasDelivered?.(toMail(entry));
      if (delivered === undefined) {
        journal.markOutbox(entry.id, "unknown", {
          error: "process stopped while the mail was handed to the transport; not resent",
        });
        result.unknown++;
      } else if (delivered) {
        journal.markOutbox(entry.id, "sent");
        result.delivered++;
      } else {
        journal.markOutbox(entry.id, "pending");
        result.resent++;
      }
    }
    return result;
  }

  /** Delivers one due entry; true if it did. */
  async deliverNext(): Promise<boolean> {
    const { journal } = this.opts;
    const entry = journal.nextDue();
    if (!entry) return false;
    // Without a way to ask the transport later, "sending" must survive even a power cut: it is what stops a resend.
    const canAsk = entry.kind === "check" || this.opts.mail.wasDelivered !== undefined;
    journal.markOutbox(entry.id, "sending", { synced: !canAsk });
    const started = performance.now();
    try {
      await this.deliver(entry);
      journal.markOutbox(entry.id, "sent", { attempt: true });
      this.opts.onDelivered?.(entry, (performance.now() - started) / 1000);
    } catch (error) {
      const attempts = entry.attempts + 1;
      const final = attempts >= (this.opts.maxAttempts ?? 5);
      this.opts.onError?.(entry, error, final);
      const text = error instanceof Error ? error.message : String(error);
      if (final) {
        journal.markOutbox(entry.id, "failed", { error: text, attempt: true });
      } else {
        const delay = (this.opts.retryDelayMs ?? 30_000) * 2 ** (attempts - 1);
        journal.markOutbox(entry.id, "pending", {
          error: text,
          attempt: true,
          notBefore: this.now() + delay,
        });
      }
    }
    return true;
  }

  protected async step(): Promise<StepResult> {
    if (await this.deliverNext()) return true;
    const next = this.opts.journal.nextDueTime();
    return next === undefined ? false : { idleMs: next - this.now() };
  }

  private async deliver(entry: OutboxEntry): Promise<void> {
    if (entry.kind === "mail") return this.opts.mail.send(toMail(entry));
    if (!this.opts.checks) throw new Error("a Patchwork check is queued but Patchwork is not configured");
    return this.opts.checks.send(JSON.parse(entry.payload) as CheckPayload);
  }
}

function toMail(entry: OutboxEntry): OutgoingMail {
  const meta = JSON.parse(entry.meta) as { messageId: string; envelope: OutgoingMail["envelope"] };
  return {
    id: entry.id,
    key: entry.key,
    messageId: meta.messageId,
    raw: entry.payload,
    envelope: meta.envelope,
  };
}
