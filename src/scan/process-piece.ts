// One piece reviewed and turned into what the scan's consumer wants: text in the output format, or the entry
// itself (for callers that render the whole review at the end). The same on the main thread and in workers.

import type { InputPiece } from "../ingest/stream.js";
import type { PatchReview } from "../model.js";
import { type OutputFormat, serialise } from "./output.js";
import { type EntryStats, statsOf } from "./record.js";
import { type ReviewContext, reviewPiece } from "./review-piece.js";

/** "jsonl" or "json": serialised text; "entries": the PatchReview objects. */
export type ResultStyle = OutputFormat | "entries";

export interface PieceResult {
  text?: string;
  entry?: PatchReview;
  stats: EntryStats;
  /** "source#position", for messages about this entry. */
  where: string;
  /** Bytes of input the piece stands for. */
  bytes: number;
}

export async function processPiece(
  piece: InputPiece,
  ctx: ReviewContext,
  style: ResultStyle,
): Promise<PieceResult> {
  const reviewed = await reviewPiece(piece, ctx);
  const result: PieceResult = {
    stats: statsOf(reviewed),
    where: `${piece.source}#${piece.position}`,
    bytes: piece.kind === "error" ? 0 : piece.size,
  };
  if (style === "entries") result.entry = reviewed.review;
  else result.text = serialise(reviewed.review, style);
  return result;
}
