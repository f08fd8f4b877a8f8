// What the command line sets up before reviewing a whole archive (the scan, or a dry run of a large input):
// process-wide settings for a short batch job, which the long-running servers keep at Node's defaults.

import { setFlagsFromString } from "node:v8";
import { installEagerBlob } from "../parse/eager-blob.js";

/**
 * V8 optimises a function once it has run this much bytecode a few times over. Node's default (66 KiB) has
 * it compile hundreds of merely warm functions of the review code in the first second, on background
 * threads that compete for the cores with the scan's own two threads. Measured on the 158 MB list corpus
 * (2 vCPUs): 1.40 s and 2.3 s of CPU at the default, 1.10 s and 1.75 s at this budget; at 4× the corpus the
 * two differ by less than run-to-run noise (3.3 to 3.6 s), so the hot loops are still optimised in time.
 * Node warns that V8 flags changed at run time may misbehave; this one is a number V8 reads each time it
 * resets a function's budget, so it changes when code is optimised, never what the code computes.
 */
export const BATCH_INTERRUPT_BUDGET = 1_000_000;

export function prepareBatchRun(): void {
  installEagerBlob();
  const flag = batchTieringFlag(process.execArgv);
  if (flag) setFlagsFromString(flag);
}

/** The V8 flag a batch run sets, or undefined when node was started with its own budget. */
export function batchTieringFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((arg) => /^--interrupt[-_]budget(?:=|$)/.test(arg))) return undefined;
  return `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`;
}
