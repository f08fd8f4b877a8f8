// What every fuzz test holds its subject to: no input may take more than 100 ms per KB (at least 100 ms for
// tiny inputs, where timer and GC noise dominate). Runs are bounded in number and in time so that CI stays
// quick: FUZZ_RUNS raises the number for a longer local session.

import { expect } from "@jest/globals";

export const FUZZ = {
  numRuns: Number(process.env.FUZZ_RUNS ?? 300),
  /** Per property; fast-check stops generating (and passes) when it runs out. */
  interruptAfterTimeLimit: Number(process.env.FUZZ_SECONDS ?? 8) * 1000,
};

export const MS_PER_KB = 100;

export function expectWithinBudget(startedAt: number, bytes: number): void {
  const ms = performance.now() - startedAt;
  expect(ms).toBeLessThanOrEqual(MS_PER_KB * Math.max(1, bytes / 1024));
}
