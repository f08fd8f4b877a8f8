// The dry run's inputs reviewed through the scan engine: the same entries as readInputs followed by review,
// in input order, but streamed, prefiltered and (for large inputs) spread over worker threads. For the
// ordinary CLI, whose --format renderers need the whole review at the end.

import { availableParallelism } from "node:os";
import type { InputPiece } from "../ingest/stream.js";
import type { Review } from "../model.js";
import type { Rule } from "../rules/load.js";
import { reviewPieces } from "./engine.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import { openSource } from "./sources.js";

export interface ReviewInputsOptions {
  rules: readonly Rule[];
  /** A kernel source tree (--tree). */
  tree?: string;
  stdin?: NodeJS.ReadableStream;
  limits?: Limits;
  /** Worker threads for inputs larger than one batch; default one per core. */
  workers?: number;
}

export async function reviewInputs(paths: readonly string[], opts: ReviewInputsOptions): Promise<Review> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const pieces = (async function* (): AsyncGenerator<InputPiece> {
    for (const path of paths) {
      yield* openSource(path, { stdin: opts.stdin, limits, notice: () => {} }).pieces;
    }
  })();
  const patches: Review["patches"] = [];
  const engine = {
    rules: opts.rules,
    limits,
    ...(opts.tree !== undefined && { tree: opts.tree }),
    style: "entries" as const,
    workers: opts.workers ?? availableParallelism(),
  };
  for await (const result of reviewPieces(pieces, engine)) patches.push(result.entry!);
  return { patches };
}
