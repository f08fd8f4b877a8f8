// The few header fields the prefilter needs, read from a message's header block without a MIME parser.
// They must come out exactly as the full path (parse/mail.ts, through postal-mime) reads them, because a
// message the prefilter settles gets the same entry the full path would give it:
// - a field is its first occurrence; folded lines are joined as they are, without the line break; trailing
//   CRs of each line are dropped; the value is trimmed of spaces and tabs; lines are UTF-8 (postal-mime);
// - Subject and Message-ID go through postal-mime's decodeWords (From is left to its addressParser).
// Header blocks this reader cannot vouch for (a bare CR, no blank line, an oversized block, a first line that
// is not a header field) are left to the full path: readHeaderFields returns undefined for them.

import { decodeWords } from "postal-mime";

export interface HeaderFields {
  /** End of the header block, its last line ending included (where plain-body.ts puts it). */
  headerEnd: number;
  /** Start of the body, after the blank line. */
  bodyStart: number;
  /** Decoded, white space runs collapsed to one space, trimmed; "" when absent or empty. */
  subject: string;
  /** The raw value of the first From field, when not empty. */
  from?: string;
  /** The raw values of the first Reply-To and X-Original-From fields (parse/dmarc.ts reads them). */
  replyTo?: string;
  originalFrom?: string;
  /** The decoded value of the first Message-ID field, when not empty. */
  messageId?: string;
  /** The message has a From, Subject, Date or Message-ID field (else the full path rejects it). */
  hasKnownField: boolean;
  /** The first Content-Type, Content-Transfer-Encoding and Content-Disposition values (postal-mime's view). */
  contentType?: string;
  contentTransferEncoding?: string;
  contentDisposition?: string;
  /**
   * The first Content-Type, Content-Transfer-Encoding and Content-Disposition fields as latin1 text, folded
   * lines included, in their order: all plain-body.ts reads of a header block.
   */
  contentFields: string;
}

/** Larger header blocks go to the full path (postal-mime rejects blocks over 2 MB). */
const MAX_HEADER_BLOCK = 256 * 1024;
const HEADER_FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const NOT_ASCII = /[^\x00-\x7f]/;
const LF_LF = Buffer.from("\n\n");
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

const FIELD_NAMES = [
  "subject",
  "from",
  "message-id",
  "date",
  "content-type",
  "content-transfer-encoding",
  "content-disposition",
  "reply-to",
  "x-original-from",
];
const KNOWN_FIELDS = new Set(["from", "subject", "date", "message-id"]);

/** The header block of `message` (mbox envelope line already removed), or undefined for the full path. */
export function readHeaderFields(message: Buffer): HeaderFields | undefined {
  // As plain-body.ts: the header block ends at the first "\n\n" or "\n\r\n".
  const lf = message.indexOf(LF_LF);
  let head = message.toString("latin1", 0, lf < 0 ? MAX_HEADER_BLOCK : lf + 1);
  const crlf = head.indexOf("\n\r\n");
  let block: { headerEnd: number; bodyStart: number };
  if (crlf >= 0) {
    head = head.slice(0, crlf + 1);
    block = { headerEnd: crlf + 1, bodyStart: crlf + 3 };
  } else if (lf >= 0) block = { headerEnd: lf + 1, bodyStart: lf + 2 };
  else return undefined;
  if (block.headerEnd > MAX_HEADER_BLOCK) return undefined;
  if (!HEADER_FIELD.test(head)) return undefined;
  return readFieldBlock(message, head, block);
}

/**
 * The fields of a header block (of a message or of a MIME part): `head` is its text as latin1, every line
 * ending with "\n", and `bytes` starts where it starts. Undefined when it has a bare CR.
 */
export function readFieldBlock(
  bytes: Buffer,
  head: string,
  block: { headerEnd: number; bodyStart: number },
): HeaderFields | undefined {
  if (hasBareCarriageReturn(head)) return undefined;
  // Every property set up front, in one order: one object shape for all messages.
  const fields: HeaderFields = {
    headerEnd: block.headerEnd,
    bodyStart: block.bodyStart,
    subject: "",
    from: undefined,
    replyTo: undefined,
    originalFrom: undefined,
    messageId: undefined,
    hasKnownField: false,
    contentType: undefined,
    contentTransferEncoding: undefined,
    contentDisposition: undefined,
    contentFields: "",
  };
  let seen = 0;
  for (let start = 0; start < head.length; ) {
    // A field: its first line and the folded lines after it (lines starting with a space or a tab).
    const lineEnd = head.indexOf("\n", start);
    let end = lineEnd + 1;
    while (end < head.length && isSpaceOrTab(head.charCodeAt(end))) end = head.indexOf("\n", end) + 1;
    const index = fieldIndex(head, start, lineEnd, end);
    if (index >= 0 && (seen & (1 << index)) === 0) {
      seen |= 1 << index;
      const name = FIELD_NAMES[index]!;
      if (name.startsWith("content-")) fields.contentFields += head.slice(start, end);
      readField(fields, name, fieldValue(bytes, head, start, lineEnd, end));
    }
    start = end;
  }
  return fields;
}

function readField(fields: HeaderFields, name: string, value: string): void {
  if (KNOWN_FIELDS.has(name)) fields.hasKnownField = true;
  switch (name) {
    case "subject":
      if (value) fields.subject = collapseWhiteSpace(decodeValue(value));
      break;
    case "from":
      if (value) fields.from = value;
      break;
    case "message-id":
      if (value) fields.messageId = decodeValue(value);
      break;
    case "content-type":
      fields.contentType = value;
      break;
    case "content-transfer-encoding":
      fields.contentTransferEncoding = value;
      break;
    case "content-disposition":
      fields.contentDisposition = value;
      break;
    case "reply-to":
      if (value) fields.replyTo = value;
      break;
    case "x-original-from":
      if (value) fields.originalFrom = value;
      break;
  }
}

/** As parse/mail.ts does to the subject. */
function collapseWhiteSpace(text: string): string {
  return (/\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, " ") : text).trim();
}

/** decodeWords returns its input unchanged when there is no encoded word; skipping it saves its regex. */
function decodeValue(value: string): string {
  return value.includes("=?") ? decodeWords(value) : value;
}

/**
 * The index in FIELD_NAMES of the field's name, or -1: the text before the first ":" of the unfolded field,
 * trimmed of spaces and tabs, compared without case.
 */
function fieldIndex(head: string, start: number, lineEnd: number, end: number): number {
  const first = head.charCodeAt(start) | 0x20;
  // s, f, m, d, c, r, x: the first letters of FIELD_NAMES.
  if (
    first !== 0x73 &&
    first !== 0x66 &&
    first !== 0x6d &&
    first !== 0x64 &&
    first !== 0x63 &&
    first !== 0x72 &&
    first !== 0x78
  )
    return -1;
  const colon = head.indexOf(":", start);
  if (colon < 0 || colon >= end) return -1;
  if (colon > lineEnd) {
    // "Subject\n : x": postal-mime unfolds before it looks for the ":".
    const name = trimSpaceAndTab(head.slice(start, colon).replace(/\r?\n/g, "")).toLowerCase();
    return FIELD_NAMES.indexOf(name);
  }
  let nameEnd = colon;
  while (nameEnd > start && isSpaceOrTab(head.charCodeAt(nameEnd - 1))) nameEnd--;
  for (let i = 0; i < FIELD_NAMES.length; i++) {
    const name = FIELD_NAMES[i]!;
    if (name.length === nameEnd - start && equalsIgnoringAsciiCase(head, start, name)) return i;
  }
  return -1;
}

/** Whether head[start..] begins with `lower` (lower-case ASCII letters, digits and "-"), ignoring case. */
function equalsIgnoringAsciiCase(head: string, start: number, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) {
    const c = head.charCodeAt(start + i);
    const l = lower.charCodeAt(i);
    if (c !== l && !(l >= 0x61 && l <= 0x7a && c === l - 0x20)) return false;
  }
  return true;
}

/** The value as postal-mime gives it: the unfolded field after its first ":", trimmed of spaces and tabs. */
function fieldValue(message: Buffer, head: string, start: number, lineEnd: number, end: number): string {
  if (end === lineEnd + 1) {
    const colon = head.indexOf(":", start);
    const value = head.slice(colon + 1, withoutCarriageReturns(head, colon + 1, lineEnd));
    return trimSpaceAndTab(
      NOT_ASCII.test(value) ? utf8.decode(message.subarray(colon + 1, colon + 1 + value.length)) : value,
    );
  }
  let unfolded = "";
  for (let at = start; at < end; ) {
    const eol = head.indexOf("\n", at);
    const line = head.slice(at, withoutCarriageReturns(head, at, eol));
    unfolded += NOT_ASCII.test(line) ? utf8.decode(message.subarray(at, at + line.length)) : line;
    at = eol + 1;
  }
  return trimSpaceAndTab(unfolded.slice(unfolded.indexOf(":") + 1));
}

/** The end of head[start, end) without the CRs that end it. */
function withoutCarriageReturns(head: string, start: number, end: number): number {
  while (end > start && head.charCodeAt(end - 1) === 0x0d) end--;
  return end;
}

function trimSpaceAndTab(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isSpaceOrTab(text.charCodeAt(start))) start++;
  while (end > start && isSpaceOrTab(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

function isSpaceOrTab(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

/** A CR not followed by LF: line splitting then differs between the readers involved. */
function hasBareCarriageReturn(head: string): boolean {
  for (let at = head.indexOf("\r"); at >= 0; at = head.indexOf("\r", at + 1)) {
    if (head.charCodeAt(at + 1) !== 0x0a) return true;
  }
  return false;
}
