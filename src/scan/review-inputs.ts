// The dry run's inputs reviewed through the scan engine: the same entries as readInputs followed by review,
// in input order, but streamed, prefiltered and (for large inputs) spread over worker threads. For the
// ordinary CLI, whose --format renderers need the whole review at the end.

import type { InputPiece } from "../ingest/stream.js";
import type { Review } from "../model.js";
import type { Rule } from "../rules/load.js";
import { reviewPieces } from "./engine.js";
import { DEFAULT_LIMITS, type Limits } from "./limits.js";
import type { PieceResult, ResultStyle } from "./process-piece.js";
import { openSource } from "./sources.js";
import { defaultWorkers } from "./workers.js";

export interface ReviewInputsOptions {
  rules: readonly Rule[];
  /** A kernel source tree (--tree). */
  tree?: string;
  stdin?: NodeJS.ReadableStream;
  limits?: Limits;
  /** Worker threads for inputs larger than one batch; default defaultWorkers(). */
  workers?: number;
}

export async function reviewInputs(paths: readonly string[], opts: ReviewInputsOptions): Promise<Review> {
  const patches: Review["patches"] = [];
  for await (const result of streamInputs(paths, "entries", opts)) patches.push(result.entry!);
  return { patches };
}

/** The entries one by one, in input order, in `style`: for callers that write them as they come. */
export async function* streamInputs(
  paths: readonly string[],
  style: ResultStyle,
  opts: ReviewInputsOptions,
): AsyncGenerator<PieceResult> {
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const pieces = (async function* (): AsyncGenerator<InputPiece> {
    for (const path of paths) {
      yield* openSource(path, { stdin: opts.stdin, limits, notice: () => {} }).pieces;
    }
  })();
  const engine = {
    rules: opts.rules,
    limits,
    ...(opts.tree !== undefined && { tree: opts.tree }),
    style,
    workers: opts.workers ?? defaultWorkers(),
  };
  yield* reviewPieces(pieces, engine);
}
