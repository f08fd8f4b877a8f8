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
