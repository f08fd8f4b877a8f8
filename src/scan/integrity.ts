// Damage a mail parser would quietly paper over, reported instead as an error entry: a base64 part cut
// short (its base64 text is not a whole number of 4-character groups) or a multipart message missing its
// closing boundary line. Only messages whose header announces base64 or multipart are looked at.

import type { HeaderFields } from "../ingest/header-fields.js";
import { walkParts } from "./mime-parts.js";

export function damage(message: Buffer, fields: HeaderFields): string | undefined {
  const multipart = /^\s*multipart\//i.test(fields.contentType ?? "");
  const base64 = /^\s*base64\s*$/i.test(fields.contentTransferEncoding ?? "");
  if (!multipart && !base64) return undefined;
  const walk = walkParts(message);
  if (walk.unterminated) return "damaged MIME: a multipart message without its closing boundary line";
  for (const leaf of walk.leaves) {
    if (leaf.encoding === "base64" && base64Length(leaf.body) % 4 !== 0)
      return "damaged MIME: a base64 part cut short (not a whole number of 4-character groups)";
  }
  return undefined;
}

const BASE64_CHAR = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
  BASE64_CHAR[c.charCodeAt(0)] = 1;

/** Bytes of the base64 alphabet (and "=") in the text. */
function base64Length(body: Buffer): number {
  let count = 0;
  for (let i = 0; i < body.length; i++) count += BASE64_CHAR[body[i]!]!;
  return count;
}
