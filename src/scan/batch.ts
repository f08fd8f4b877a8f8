// Pieces of input travel to a worker in batches: their bytes copied into one ArrayBuffer that is transferred,
// not cloned, and a small description of each piece.

import type { InputPiece } from "../ingest/stream.js";

type PieceHeader =
  | (Omit<Extract<InputPiece, { kind: "mail" }>, "bytes"> & { offset: number; length: number })
  | (Omit<Extract<InputPiece, { kind: "diff" }>, "bytes"> & { offset: number; length: number })
  | Extract<InputPiece, { kind: "error" }>;

export interface PackedBatch {
  pieces: PieceHeader[];
  data: ArrayBuffer;
  /** "parse": the main thread triaged these pieces; their bytes are the messages, for the full path only. */
  route?: "parse";
}

export function packBatch(pieces: readonly InputPiece[]): PackedBatch {
  let total = 0;
  for (const p of pieces) if (p.kind !== "error") total += p.bytes.length;
  const data = new ArrayBuffer(total);
  const view = new Uint8Array(data);
  let offset = 0;
  const headers = pieces.map((piece): PieceHeader => {
    if (piece.kind === "error") return piece;
    const { bytes, ...rest } = piece;
    view.set(bytes, offset);
    const header = { ...rest, offset, length: bytes.length };
    offset += bytes.length;
    return header;
  });
  return { pieces: headers, data };
}

export function unpackBatch(batch: PackedBatch): InputPiece[] {
  return batch.pieces.map((header): InputPiece => {
    if (header.kind === "error") return header;
    const { offset, length, ...rest } = header;
    return { ...rest, bytes: Buffer.from(batch.data, offset, length) };
  });
}
