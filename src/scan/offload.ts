// The scan with one worker thread: the main thread reads, settles every piece the prefilter can (most of a
// list) and hands the rest, already unescaped, to the worker for the MIME and diff parse. Each thread compiles
// only the code it runs, and the parses of the worker overlap the triage of the main thread. Results come out
// in input order; at most MAX_WAITING entries wait for the worker, so memory stays bounded.

import type { InputPiece } from "../ingest/stream.js";
import { packBatch } from "./batch.js";
import type { WorkerPool } from "./pool.js";
import { type PieceResult, type ResultStyle, resultOf } from "./process-piece.js";
import { type ReviewContext, triagePiece } from "./review-piece.js";

const MAX_WAITING = 4096;
const BATCH_PIECES = 16;
const BATCH_BYTES = 1024 * 1024;

interface Slot {
  result?: PieceResult;
  /** Settles when the worker has answered for this slot. */
  answered?: Promise<void>;
}

export async function* reviewOffloaded(
  pieces: AsyncIterable<InputPiece>,
  ctx: ReviewContext,
  style: ResultStyle,
  pool: WorkerPool,
): AsyncGenerator<PieceResult> {
  const waiting: Slot[] = [];
  let batch: { pieces: InputPiece[]; slots: Slot[]; bytes: number } = { pieces: [], slots: [], bytes: 0 };
  const send = () => {
    if (batch.pieces.length === 0) return;
    const { pieces: sent, slots } = batch;
    batch = { pieces: [], slots: [], bytes: 0 };
    const packed = { ...packBatch(sent), route: "parse" as const };
    const answered = pool.run(packed).then((results) => {
      results.forEach((result, i) => {
        slots[i]!.result = result;
      });
    });
    for (const slot of slots) slot.answered = answered;
  };

  for await (const piece of pieces) {
    const triage = triagePiece(piece, ctx);
    if (triage.kind === "settled") waiting.push({ result: resultOf(piece, triage.review, style) });
    else if (piece.kind === "error") throw new Error("an error piece is always settled");
    else {
      const slot: Slot = {};
      batch.pieces.push({ ...piece, bytes: triage.raw, ...(piece.kind === "mail" && { mboxrd: false }) });
      batch.slots.push(slot);
      batch.bytes += triage.raw.length;
      waiting.push(slot);
      if (batch.pieces.length >= BATCH_PIECES || batch.bytes >= BATCH_BYTES) send();
    }
    while (waiting[0]?.result) yield waiting.shift()!.result!;
    if (waiting.length >= MAX_WAITING) {
      send();
      await waiting[0]!.answered;
    }
  }
  send();
  while (waiting.length > 0) {
    const head = waiting.shift()!;
    if (!head.result) await head.answered;
    yield head.result!;
  }
}
