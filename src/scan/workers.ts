// How many worker threads a scan uses when not told. Measured on the shared corpus on a 2-core machine: the
// main thread alone 1.6 s, with one worker 1.8 s, with two 1.9 s. V8's background compiler and garbage
// collector threads already keep the second core busy for the main thread, and every worker compiles the same
// code again. With more cores, all but the main thread's get a worker.

import { availableParallelism } from "node:os";

export function defaultWorkers(cores = availableParallelism()): number {
  return cores > 2 ? cores - 1 : 0;
}
