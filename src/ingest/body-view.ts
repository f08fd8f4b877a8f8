// How much of a message body the prefilter can read without postal-mime.
// - "decoded": a single text/plain part that parse/plain-body.ts decodes itself: the exact body string the
//   full path reads.
// - "parts": any other message lazy-mime.ts can take apart: the content of each MIME part, transfer encoding
//   undone, in ASCII-compatible charsets. Enough to show that the text the full path reads has no diff line.
// Anything else is left to the full path.

import { decodePlainBody, type PlainBodyLayout, plainBodyLayout } from "../parse/plain-body.js";
import type { HeaderFields } from "./header-fields.js";
import { type MimePart, mimeParts } from "./lazy-mime.js";

export type BodyView = { kind: "decoded"; text: string } | { kind: "parts"; parts: MimePart[] };

/**
 * plainBodyLayout reads three Content-* fields out of a header block. Handing it only those fields, after a
 * dummy first line, gives the decision it would make on the whole block; most messages of a list share a
 * handful of such blocks, so the decisions are kept.
 */
const LAYOUT_PREAMBLE = "X-Iommu-Review:\n";
const layouts = new Map<string, PlainBodyLayout | null>();
const MAX_LAYOUTS = 512;

/**
 * Charsets whose decoding maps every ASCII byte to the same character and no other byte (or byte sequence) to
 * an ASCII character: the lines of the text start where the lines of the bytes start.
 */
const ASCII_TRANSPARENT = /^(?:utf-8|windows-125\d|iso-8859-\d+)$/;
const DIFF_LINE_STARTS = [Buffer.from("diff --git "), Buffer.from("+++ ")];

/**
 * True when the body is a plain one (see bodyView) that surely has no line starting "diff --git " or "+++ "
 * once decoded, told from its bytes without decoding it: findDiffFiles would find nothing. False when only
 * the decoded text can tell. The caller checks that the body cannot start with what decoding or the in-body header
 * split would read differently (a byte order mark, in-body header lines).
 */
export function plainBodyLacksDiff(message: Buffer, fields: HeaderFields): boolean {
  const layout = layoutOf(fields.contentFields);
  if (!layout || layout.base64 || !ASCII_TRANSPARENT.test(layout.decoder.encoding)) return false;
  return !showsDiffLine(message, fields.bodyStart, layout.decoder.encoding === "utf-8", !!layout.flowed);
}

/**
 * Whether the bytes from `start` have a line starting "diff --git " or "+++ " (see startsLine). Unflowing
 * (RFC 3676) only joins a line to the one before it and removes one stuffed space, so in a flowed body such a
 * decoded line starts a raw line, perhaps after one space.
 */
function showsDiffLine(message: Buffer, start: number, utf8: boolean, flowed: boolean): boolean {
  for (const needle of DIFF_LINE_STARTS) {
    for (let at = message.indexOf(needle, start); at >= 0; at = message.indexOf(needle, at + 1)) {
      if (startsLine(message, at, start, utf8)) return true;
      if (flowed && at > start && message[at - 1] === 0x20 && startsLine(message, at - 1, start, utf8))
        return true;
    }
  }
  return false;
}

/**
 * Where a multiline "^" of the decoded text matches: the start, or after "\n", a lone "\r" (decoding keeps
 * it), or U+2028/U+2029 (E2 80 A8/A9 in UTF-8).
 */
function startsLine(bytes: Buffer, at: number, start: number, utf8: boolean): boolean {
  if (at === start) return true;
  const before = bytes[at - 1];
  if (before === 0x0a || before === 0x0d) return true;
  return utf8 && (before === 0xa8 || before === 0xa9) && bytes[at - 2] === 0x80 && bytes[at - 3] === 0xe2;
}

export function bodyView(message: Buffer, fields: HeaderFields): BodyView | undefined {
  const layout = layoutOf(fields.contentFields);
  if (layout) return { kind: "decoded", text: decodePlainBody(message.subarray(fields.bodyStart), layout) };
  const parts = mimeParts(message, fields);
  return parts ? { kind: "parts", parts } : undefined;
}

function layoutOf(contentFields: string): PlainBodyLayout | undefined {
  let layout = layouts.get(contentFields);
  if (layout === undefined) {
    layout = plainBodyLayout(Buffer.from(`${LAYOUT_PREAMBLE}${contentFields}\n`, "latin1")) ?? null;
    if (layouts.size >= MAX_LAYOUTS) layouts.clear();
    layouts.set(contentFields, layout);
  }
  return layout ?? undefined;
}
