// Input files (or stdin) into InputItems: one per mbox message, mail message or bare diff, in input order.
// Files are read as streams; a message whose fate shows in its raw bytes (a reply or cover letter without a
// diff) gets its item from the prefilter, without the MIME parser.

import type { InputItem } from "../model.js";
import { diffToItem, messageToItem } from "../parse/patch.js";
import { unescapeMboxrd } from "./mbox.js";
import { prefilter, skippedItem } from "./prefilter.js";
import { type InputPiece, readPieces, streamPieces } from "./stream.js";

export interface ReadOptions {
  /** Read for the path "-"; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
}

export async function readInputs(paths: string[], opts: ReadOptions = {}): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for (const path of paths) {
    for await (const piece of readPieces(path, { stdin: opts.stdin })) items.push(await pieceToItem(piece));
  }
  return items;
}

/** The items of one input already in memory; `source` names it in the items. */
export async function bufferToItems(input: Buffer, source: string): Promise<InputItem[]> {
  const items: InputItem[] = [];
  const chunks = (async function* () {
    yield input;
  })();
  for await (const piece of streamPieces(chunks, source)) items.push(await pieceToItem(piece));
  return items;
}

/** The item of one piece of input, through the prefilter when it can tell. */
export async function pieceToItem(piece: InputPiece): Promise<InputItem> {
  const { source, position } = piece;
  switch (piece.kind) {
    case "error":
      return { kind: "error", source, position, error: piece.error };
    case "diff":
      return diffToItem(piece.bytes.toString("utf8"), source, position);
    case "mail": {
      const raw = piece.mboxrd ? unescapeMboxrd(piece.bytes) : piece.bytes;
      const verdict = prefilter(raw);
      if (verdict.kind === "skipped") return skippedItem(verdict, source, position);
      return messageToItem(raw, source, position);
    }
  }
}
