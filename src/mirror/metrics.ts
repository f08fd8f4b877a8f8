// Prometheus metrics of the mail pipeline (prom-client), on a registry of their own so that several servers in
// one process (tests) do not share counters. Counters and histograms are fed by the pipeline's and the intake's
// hooks; queue depths and the age of the oldest waiting work are read from the journal at each scrape.

import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { JournalHealth } from "./journal.js";

export const METRICS_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

/** "reviewed; no reply: rate limit" → "reviewed; no reply": the outcome's kind, without the free text. */
export function outcomeLabel(outcome: string): string {
  return outcome.split(":")[0]!.trim();
}

export class PipelineMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<"status">;
  private readonly messages: Counter<"outcome">;
  private readonly deliveries: Counter<"kind" | "outcome">;
  private readonly failures: Counter<"cause">;
  private readonly reviewSeconds: Histogram;
  private readonly deliverySeconds: Histogram<"kind">;

  constructor(health: () => Promise<JournalHealth> | JournalHealth) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: "iommu_review_intake_requests_total",
      help: "POST /patches requests by HTTP status (202 accepted, 200 only duplicates, 4xx/5xx refused)",
      labelNames: ["status"],
      registers,
    });
    this.messages = new Counter({
      name: "iommu_review_messages_total",
      help: "Messages handled by the review worker, by outcome",
      labelNames: ["outcome"],
      registers,
    });
    this.deliveries = new Counter({
      name: "iommu_review_deliveries_total",
      help: "Outbox deliveries by kind (mail, check) and outcome (sent, retry, failed)",
      labelNames: ["kind", "outcome"],
      registers,
    });
    this.failures = new Counter({
      name: "iommu_review_failures_total",
      help: "Failures by cause: review (a message's review threw), delivery (a transport refused), intake (a request could not be stored)",
      labelNames: ["cause"],
      registers,
    });
    this.reviewSeconds = new Histogram({
      name: "iommu_review_review_seconds",
      help: "Time to review one message and commit its outcome",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.deliverySeconds = new Histogram({
      name: "iommu_review_delivery_seconds",
      help: "Time a transport took to deliver one outbox entry",
      labelNames: ["kind"],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    const fromHealth = (
      name: string,
      help: string,
      label: string,
      read: (h: JournalHealth) => [string, number][],
    ) =>
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers,
        async collect() {
          for (const [value, n] of read(await health())) this.set({ [label]: value }, n);
        },
      });
    fromHealth(
      "iommu_review_queue_depth",
      "Work waiting: messages not yet reviewed, outbox entries not yet delivered",
      "queue",
      (h) => [
        ["messages", h.counts.pending],
        ["outbox", h.counts.outboxPending],
      ],
    );
    fromHealth(
      "iommu_review_outbox_stuck",
      "Outbox entries that need an operator: failed (gave up) or unknown (process stopped mid-send)",
      "state",
      (h) => [
        ["failed", h.counts.outboxFailed],
        ["unknown", h.counts.outboxUnknown],
      ],
    );
    fromHealth(
      "iommu_review_oldest_waiting_seconds",
      "Age of the oldest message waiting for review, or outbox entry waiting past its due time",
      "queue",
      (h) => [
        ["messages", h.oldestPendingMessageMs / 1000],
        ["outbox", h.oldestDueOutboxMs / 1000],
      ],
    );
  }

  request(status: number): void {
    this.requests.inc({ status: String(status) });
    if (status >= 500 && status !== 503) this.failures.inc({ cause: "intake" });
  }

  handled(outcome: string, seconds: number): void {
    this.messages.inc({ outcome: outcomeLabel(outcome) });
    this.reviewSeconds.observe(seconds);
  }

  reviewFailed(): void {
    this.failures.inc({ cause: "review" });
  }

  delivered(kind: string, seconds: number): void {
    this.deliveries.inc({ kind, outcome: "sent" });
    this.deliverySeconds.observe({ kind }, seconds);
  }

  deliveryFailed(kind: string, final: boolean): void {
    this.deliveries.inc({ kind, outcome: final ? "failed" : "retry" });
    this.failures.inc({ cause: "delivery" });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
