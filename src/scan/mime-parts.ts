// A message's MIME parts found by their boundary lines, without decoding anything: enough to refuse an
// oversized attachment before the MIME parser holds it (and its decoded copy) in memory, and to notice a
// multipart message cut short.

const MAX_DEPTH = 16;
const CONTENT_TYPE = /^content-type[ \t]*:([^\n]*(?:\n[ \t][^\n]*)*)/im;
const CONTENT_TRANSFER_ENCODING = /^content-transfer-encoding[ \t]*:[ \t]*([^\s;]*)/im;
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]+)"|([^\s;]+))/i;

export interface LeafPart {
  /** Its transfer encoding, lower-cased ("" when none is given). */
  encoding: string;
  body: Buffer;
}

export interface PartWalk {
  leaves: LeafPart[];
  /** Some multipart lacks its closing "--boundary--" line. */
  unterminated: boolean;
}

/** The leaf parts of `message` (itself when it is not multipart). */
export function walkParts(message: Buffer, depth = 0): PartWalk {
  const blank = blankLine(message);
  if (blank === undefined) return { leaves: [{ encoding: "", body: message }], unterminated: false };
  const body = message.subarray(blank.bodyStart);
  const head = message.toString("latin1", 0, blank.headerEnd);
  const contentType = CONTENT_TYPE.exec(head)?.[1] ?? "";
  const boundaryMatch = /^\s*multipart\//i.test(contentType) ? BOUNDARY.exec(contentType) : null;
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (!boundary || depth >= MAX_DEPTH) {
    const encoding = (CONTENT_TRANSFER_ENCODING.exec(head)?.[1] ?? "").toLowerCase();
    return { leaves: [{ encoding, body }], unterminated: false };
  }
  const walk: PartWalk = { leaves: [], unterminated: true };
  for (const part of partsOf(body, Buffer.from(`--${boundary}`, "latin1"))) {
    if (part === CLOSED) {
      walk.unterminated = false;
      continue;
    }
    const inner = walkParts(part, depth + 1);
    walk.leaves.push(...inner.leaves);
    walk.unterminated ||= inner.unterminated;
  }
  return walk;
}

/** Body sizes of the leaf parts of `message`. */
export function mimePartSizes(message: Buffer): number[] {
  return walkParts(message).leaves.map((leaf) => leaf.body.length);
}

const CLOSED = Symbol("closing delimiter");

/** The parts between delimiter lines ("--boundary" at a line start), then CLOSED if "--boundary--" is seen. */
function* partsOf(body: Buffer, delimiter: Buffer): Generator<Buffer | typeof CLOSED> {
  let previous = -1;
  let at = body.subarray(0, delimiter.length).equals(delimiter) ? 0 : lineStart(body, delimiter, 0);
  while (at >= 0) {
    if (previous >= 0) yield body.subarray(previous, at);
    const closing = body[at + delimiter.length] === 0x2d && body[at + delimiter.length + 1] === 0x2d;
    if (closing) {
      yield CLOSED;
      return;
    }
    const eol = body.indexOf(0x0a, at);
    if (eol < 0) return;
    previous = eol + 1;
    at = lineStart(body, delimiter, eol);
  }
  if (previous >= 0) yield body.subarray(previous);
}

/** Offset of the next occurrence of `text` right after a "\n" at or after `from`, or -1. */
function lineStart(body: Buffer, text: Buffer, from: number): number {
  for (let at = body.indexOf(text, from); at >= 0; at = body.indexOf(text, at + 1)) {
    if (at > 0 && body[at - 1] === 0x0a) return at;
  }
  return -1;
}

const LF_LF = Buffer.from("\n\n");
const LF_CR_LF = Buffer.from("\n\r\n");

function blankLine(message: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  const lf = message.indexOf(LF_LF);
  // A CRLF blank line counts only before the first LF one ("\n\r\n" ending by lf + 1), so the search stops there.
  const crlf = (lf < 0 ? message : message.subarray(0, lf + 1)).indexOf(LF_CR_LF);
  if (crlf >= 0) return { headerEnd: crlf + 1, bodyStart: crlf + 3 };
  return lf >= 0 ? { headerEnd: lf + 1, bodyStart: lf + 2 } : undefined;
}
