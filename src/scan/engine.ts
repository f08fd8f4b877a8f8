// The scan pipeline: pieces of input in, their results out in input order. Input is read in batches; a small
// input (one batch) is reviewed on the calling thread, anything larger by a pool of worker threads with at
// most two batches per worker in flight, so memory stays bounded however long the input is.

import type { InputPiece } from "../ingest/stream.js";
import { packBatch } from "./batch.js";
import type { ContextInit } from "./context.js";
import { WorkerPool } from "./pool.js";
import type { PieceResult, ResultStyle } from "./process-piece.js";

export interface EngineOptions extends ContextInit {
  style: ResultStyle;
  /** Worker threads; 0 reviews everything on the calling thread. */
  workers: number;
}

const BATCH_BYTES = 512 * 1024;
const BATCH_PIECES = 256;
const BATCHES_IN_FLIGHT_PER_WORKER = 2;

export async function* reviewPieces(
  pieces: AsyncIterable<InputPiece>,
  opts: EngineOptions,
): AsyncGenerator<PieceResult> {
  const input = pieces[Symbol.asyncIterator]();
  const first = await nextBatch(input);
  // Every piece, the first batch's included, for the paths that take them one at a time.
  const all = (async function* () {
    yield* first.pieces;
    if (first.done) return;
    for (let next = await input.next(); !next.done; next = await input.next()) yield next.value;
  })();
  if (opts.workers <= 0 || first.done) {
    // The review code is loaded only on threads that review: with batches shared out, not on this one.
    const [{ createReviewContext }, { processPiece }] = await Promise.all([
      import("./context.js"),
      import("./process-piece.js"),
    ]);
    const ctx = createReviewContext(opts);
    for await (const piece of all) yield await processPiece(piece, ctx, opts.style);
    return;
  }

  const { style, workers, ...context } = opts;
  const pool = new WorkerPool({ size: workers, init: { ...context, style } });
  if (workers === 1 && !opts.verifyPrefilter) {
    try {
      const [{ createReviewContext }, { reviewOffloaded }] = await Promise.all([
        import("./context.js"),
        import("./offload.js"),
      ]);
      yield* reviewOffloaded(all, createReviewContext(opts), style, pool);
    } finally {
      await pool.close();
    }
    return;
  }
  try {
    const inFlight: Promise<PieceResult[]>[] = [pool.run(packBatch(first.pieces))];
    for (let done = false; !done; ) {
      while (inFlight.length >= workers * BATCHES_IN_FLIGHT_PER_WORKER) yield* await inFlight.shift()!;
      const batch = await nextBatch(input);
      if (batch.pieces.length > 0) inFlight.push(pool.run(packBatch(batch.pieces)));
      done = batch.done;
    }
    while (inFlight.length > 0) yield* await inFlight.shift()!;
  } finally {
    await pool.close();
  }
}

async function nextBatch(input: AsyncIterator<InputPiece>): Promise<{ pieces: InputPiece[]; done: boolean }> {
  const pieces: InputPiece[] = [];
  let bytes = 0;
  while (pieces.length < BATCH_PIECES && bytes < BATCH_BYTES) {
    const next = await input.next();
    if (next.done) return { pieces, done: true };
    pieces.push(next.value);
    if (next.value.kind !== "error") bytes += next.value.bytes.length;
  }
  return { pieces, done: false };
}
