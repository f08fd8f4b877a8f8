// One piece reviewed and turned into what the scan's consumer wants: text in the output format, or the entry
// itself (for callers that render the whole review at the end). The same on the main thread and in workers.

import type { InputPiece } from "../ingest/stream.js";
import type { PatchReview } from "../model.js";
import { type OutputFormat, serialise } from "./output.js";
import { type EntryStats, statsOf } from "./record.js";
import { type PieceReview, parsePiece, type ReviewContext, reviewPiece } from "./review-piece.js";

/** "jsonl" or "json": serialised text; "entries": the PatchReview objects. */
export type ResultStyle = OutputFormat | "entries";

export interface PieceResult {
  text?: string;
  entry?: PatchReview;
  stats: EntryStats;
  /** Where the entry comes from, for messages about it. */
  source: string;
  position: number;
  /** Bytes of input the piece stands for. */
  bytes: number;
}

export async function processPiece(
  piece: InputPiece,
  ctx: ReviewContext,
  style: ResultStyle,
): Promise<PieceResult> {
  return resultOf(piece, await reviewPiece(piece, ctx), style);
}

/** The full path only, for a piece whose bytes are already the message (see triagePiece). */
export async function processParse(
  piece: InputPiece & { bytes: Buffer },
  ctx: ReviewContext,
  style: ResultStyle,
): Promise<PieceResult> {
  return resultOf(piece, await parsePiece(piece.bytes, piece, ctx), style);
}

export function resultOf(piece: InputPiece, reviewed: PieceReview, style: ResultStyle): PieceResult {
  const result: PieceResult = {
    stats: statsOf(reviewed),
    source: piece.source,
    position: piece.position,
    bytes: piece.kind === "error" ? 0 : piece.size,
  };
  if (style === "entries") result.entry = forRenderers(reviewed.review);
  else result.text = serialise(reviewed.review, style);
  return result;
}

/**
 * The entry as the renderers read it: of its patch they take only the header fields (render/common.ts), so
 * the files and the commit message, the bulk of it, are neither copied from a worker nor walked again.
 */
function forRenderers(entry: PatchReview): PatchReview {
  return entry.patch ? { ...entry, patch: { ...entry.patch, message: "", files: [] } } : entry;
}
