// The mail pipeline assembled: journal, review worker and outbox dispatcher, with `accept` as the one way in for
// every source (HTTP intake, Patchwork poller, mirror pushes, public-inbox clones).

import type { MailPolicy } from "../deliver/policy.js";
import type { MailTransport } from "../deliver/transport.js";
import type { Rule } from "../rules/load.js";
import { buildCueBook } from "../thread/cues.js";
import { SqliteDigestStore } from "../thread/store.js";
import type { EnqueueResult, IncomingMessage, Journal, JournalCounts, OutboxEntry } from "./journal.js";
import type { PipelineMetrics } from "./metrics.js";
import { type CheckSink, OutboxDispatcher } from "./outbox-dispatcher.js";
import { ReviewWorker } from "./worker.js";

export interface PipelineOptions {
  journal: Journal;
  rules: readonly Rule[];
  policy: MailPolicy;
  mail: MailTransport;
  /** Patchwork checks are queued only when a sink is given. */
  checks?: CheckSink;
  checkTargetUrl?: (messageId: string) => string | undefined;
  now?: () => number;
  /** How often the loops look for work nobody woke them for (ms). */
  pollMs?: number;
  retryDelayMs?: number;
  log?: (line: string) => void;
  metrics?: PipelineMetrics;
  onHandled?: (messageId: string, outcome: string) => void;
  onDelivered?: (entry: OutboxEntry) => void;
}

export class MailPipeline {
  readonly journal: Journal;
  readonly worker: ReviewWorker;
  readonly dispatcher: OutboxDispatcher;
  private started = false;

  constructor(private readonly opts: PipelineOptions) {
    const log = opts.log ?? (() => {});
    this.journal = opts.journal;
    this.dispatcher = new OutboxDispatcher({
      journal: opts.journal,
      mail: opts.mail,
      ...(opts.checks && { checks: opts.checks }),
      ...(opts.now && { now: opts.now }),
      ...(opts.pollMs !== undefined && { pollMs: opts.pollMs }),
      ...(opts.retryDelayMs !== undefined && { retryDelayMs: opts.retryDelayMs }),
      onDelivered: (entry, seconds) => {
        log(`delivered ${entry.kind} ${entry.key}`);
        opts.metrics?.delivered(entry.kind, seconds);
        opts.onDelivered?.(entry);
      },
      onError: (entry, error, final) => {
        opts.metrics?.deliveryFailed(entry.kind, final);
        log(`delivery of ${entry.key} failed${final ? " for good" : ""}: ${errorText(error)}`);
      },
    });
    this.worker = new ReviewWorker({
      journal: opts.journal,
      rules: opts.rules,
      digests: { store: new SqliteDigestStore(opts.journal.db), book: buildCueBook(opts.rules) },
      policy: opts.policy,
      patchworkChecks: opts.checks !== undefined,
      ...(opts.checkTargetUrl && { checkTargetUrl: opts.checkTargetUrl }),
      ...(opts.now && { now: opts.now }),
      ...(opts.pollMs !== undefined && { pollMs: opts.pollMs }),
      onHandled: (messageId, outcome, seconds) => {
        log(`<${messageId}>: ${outcome}`);
        opts.metrics?.handled(outcome, seconds);
        this.dispatcher.wake();
        opts.onHandled?.(messageId, outcome);
      },
      onError: (messageId, error) => {
        opts.metrics?.reviewFailed();
        log(`<${messageId}>: review failed: ${errorText(error)}`);
      },
    });
  }

  /** Journals the messages (all or none) and wakes the worker. */
  accept = (messages: IncomingMessage[]): EnqueueResult[] => {
    const results = this.journal.enqueue(messages);
    if (results.some((r) => r.status === "queued")) this.worker.wake();
    return results;
  };

  /** Settles deliveries a killed process left open, then starts the loops; pending messages resume. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const recovered = await this.dispatcher.recover();
    if (recovered.unknown > 0) {
      this.opts.log?.(
        `${recovered.unknown} mail(s) were being sent when the last process stopped; marked unknown, not resent`,
      );
    }
    this.worker.start();
    this.dispatcher.start();
  }

  async stop(): Promise<void> {
    await this.worker.stop();
    await this.dispatcher.stop();
    await this.opts.mail.close?.();
  }

  counts(): JournalCounts {
    return this.journal.counts();
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
