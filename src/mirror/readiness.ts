// Readiness of a mail server: it can reach its journal, no outbox entry waits for an operator (failed, or
// unknown after a crash mid-send), and nothing has waited longer than `maxWaitMs` (a stuck worker or dispatcher,
// or a backlog it cannot keep up with).

import type { JournalHealth } from "./journal.js";

export const DEFAULT_READY_MAX_WAIT_MS = 5 * 60_000;

export interface Readiness {
  ready: boolean;
  /** Why not ready; empty when ready. */
  problems: string[];
  health?: JournalHealth;
}

export async function readiness(
  health: () => JournalHealth | Promise<JournalHealth>,
  maxWaitMs = DEFAULT_READY_MAX_WAIT_MS,
): Promise<Readiness> {
  let h: JournalHealth;
  try {
    h = await health();
  } catch (error) {
    return { ready: false, problems: [`journal unreachable: ${(error as Error).message}`] };
  }
  const problems: string[] = [];
  const { outboxFailed, outboxUnknown } = h.counts;
  if (outboxFailed > 0)
    problems.push(`${outboxFailed} outbox entries failed (see 'iommu-review outbox list')`);
  if (outboxUnknown > 0) {
    problems.push(`${outboxUnknown} outbox entries are unknown: the process stopped while sending them`);
  }
  const limit = `${Math.round(maxWaitMs / 1000)} s`;
  if (h.oldestPendingMessageMs > maxWaitMs) {
    problems.push(`a message has waited ${seconds(h.oldestPendingMessageMs)} for review (limit ${limit})`);
  }
  if (h.oldestDueOutboxMs > maxWaitMs) {
    problems.push(`an outbox entry is ${seconds(h.oldestDueOutboxMs)} overdue (limit ${limit})`);
  }
  return { ready: problems.length === 0, problems, health: h };
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
