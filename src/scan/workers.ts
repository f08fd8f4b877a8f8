// How many worker threads a scan uses when not told: one per core but the main thread's. With one worker the
// main thread settles what the prefilter can and the worker parses the rest (scan/offload.ts); with more, whole
// batches are shared out (scan/engine.ts). Measured on the shared corpus on this 2-core machine: the main
// thread alone 1.58 s, one worker 1.50 s, two workers sharing batches 1.9 s (each compiles all the review code
// again, and V8's background compiler and collector threads already use the second core).

import { availableParallelism } from "node:os";

export function defaultWorkers(cores = availableParallelism()): number {
  return Math.max(0, cores - 1);
}
