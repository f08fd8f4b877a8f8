// The result for a piece no worker could review, kept apart from process-piece.ts so that the pool (on the main
// thread) does not load the review code.

import type { InputPiece } from "../ingest/stream.js";
import type { PatchReview } from "../model.js";
import { serialise } from "./output.js";
import type { PieceResult, ResultStyle } from "./process-piece.js";
import { statsOf } from "./record.js";

/** The result for a piece that could not be reviewed at all (its worker died). */
export function failedResult(
  piece: Pick<InputPiece, "source" | "position"> & { size?: number },
  error: string,
  style: ResultStyle,
): PieceResult {
  const entry: PatchReview = {
    source: piece.source,
    position: piece.position,
    findings: [],
    claims: [],
    error,
  };
  const result: PieceResult = {
    stats: statsOf({ review: entry, route: "full" }),
    source: piece.source,
    position: piece.position,
    bytes: piece.size ?? 0,
  };
  if (style === "entries") result.entry = entry;
  else result.text = serialise(entry, style);
  return result;
}
