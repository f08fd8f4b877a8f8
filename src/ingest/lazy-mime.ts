// The parts of a MIME message, decoded from their transfer encoding (base64, quoted-printable) but not from
// their charset, found the way postal-mime finds them: lines split at LF with trailing CRs dropped, a
// boundary line is "--boundary" (or "--boundary--" to close) followed only by spaces and tabs, the innermost
// open multipart's boundary checked first, a part's header block ending at its first empty line.
// The prefilter reads these bytes to show that a message holds no diff line, without postal-mime's cost.
// Whatever this reader does not model (message/rfc822, HTML, unusual charsets or header syntax) makes it
// give up: mimeParts returns undefined and the message takes the full path.

import type { HeaderFields } from "./header-fields.js";
import { readFieldBlock } from "./header-fields.js";

export interface MimePart {
  /** An inline text/plain part, which postal-mime puts in the message's text: it starts the body the full path reads. */
  text: boolean;
  /** The content, transfer encoding undone; ASCII text in it is ASCII text of the decoded part. */
  bytes: Buffer;
}

interface Node {
  parent?: Node;
  children: Node[];
  depth: number;
  state: "header" | "body" | "finished";
  headerStart: number;
  headerEnd: number;
  /** Body content as [start, end) ranges of the message, line ends included. */
  lines: [number, number][];
  fields?: ContentFields;
}

interface ContentFields {
  type: string;
  attachment: boolean;
  params: Record<string, string>;
  encoding: "7bit" | "base64" | "quoted-printable";
  boundary?: Buffer;
}

class GiveUp extends Error {}

const MAX_DEPTH = 32;
const MAX_HEADER_BYTES = 256 * 1024;
const TRANSPARENT_CHARSET = /^(?:us-ascii|ascii|utf-?8|iso-?8859-\d{1,2}|windows-125\d|cp125\d|latin-?1)$/i;
const SIMPLE_CONTENT_TYPE =
  /^([\w!#$&^.+-]+\/[\w!#$&^.+-]+)((?:[ \t]*;[ \t]*[\w-]+[ \t]*=[ \t]*(?:"[^"\\]*"|[\w!#$%&'*+.^`|~-]+))*)[ \t]*;?[ \t]*$/;
const PARAMETER = /;[ \t]*([\w-]+)[ \t]*=[ \t]*(?:"([^"\\]*)"|([\w!#$%&'*+.^`|~-]+))/g;

/** The decoded parts of `message`, whose top header block is `fields`, or undefined to leave it to postal-mime. */
export function mimeParts(message: Buffer, fields: HeaderFields): MimePart[] | undefined {
  try {
    return new Walker(message, fields).parts();
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

/** A Content-Type of plain tokens and parameters, each named once; undefined for anything fancier. */
export function simpleContentType(
  value: string,
): { type: string; params: Record<string, string> } | undefined {
  const match = SIMPLE_CONTENT_TYPE.exec(value.trim());
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const p of match[2]!.matchAll(PARAMETER)) {
    const name = p[1]!.toLowerCase();
    if (name in params) return undefined;
    params[name] = p[2] ?? p[3]!;
  }
  return { type: match[1]!.toLowerCase(), params };
}

class Walker {
  private readonly root: Node;
  /** Multipart nodes whose boundary is open, innermost last. */
  private readonly open: Node[] = [];
  private headerBytes: number;
  private readonly bodyStart: number;

  constructor(
    private readonly message: Buffer,
    top: HeaderFields,
  ) {
    this.headerBytes = top.headerEnd;
    this.bodyStart = top.bodyStart;
    this.root = {
      children: [],
      depth: 0,
      state: "body",
      headerStart: 0,
      headerEnd: top.headerEnd,
      lines: [],
    };
    this.setFields(this.root, top);
  }

  parts(): MimePart[] {
    let current = this.root;
    const { message } = this;
    for (let start = this.bodyStart; start < message.length; ) {
      if (current.state === "body" && !(message[start] === 0x2d && message[start + 1] === 0x2d)) {
        // Content up to the next line that could be a boundary, in one piece.
        const dashes = message.indexOf(LF_DASH_DASH, start);
        const end = dashes < 0 ? message.length : dashes + 1;
        current.lines.push([start, end]);
        start = end;
        continue;
      }
      const eol = message.indexOf(0x0a, start);
      const next = eol < 0 ? message.length : eol + 1;
      let end = eol < 0 ? message.length : eol;
      while (end > start && message[end - 1] === 0x0d) end--;
      current = this.line(current, start, end, next);
      start = next;
    }
    this.finish(this.root);
    const parts: MimePart[] = [];
    this.collect(this.root, parts);
    return parts;
  }

  /** Feeds one line (without its line end) to the walk; returns the node the next line goes to. */
  private line(current: Node, start: number, end: number, next: number): Node {
    const { message } = this;
    if (end - start > 2 && message[start] === 0x2d && message[start + 1] === 0x2d) {
      for (let i = this.open.length - 1; i >= 0; i--) {
        const node = this.open[i]!;
        const closing = boundaryLine(message, start, end, node.fields!.boundary!);
        if (closing === undefined) continue;
        if (closing) {
          this.finish(node);
          return node.parent ?? this.root;
        }
        for (const child of node.children) this.finish(child);
        if (node.depth + 1 > MAX_DEPTH) throw new GiveUp();
        const child: Node = {
          parent: node,
          children: [],
          depth: node.depth + 1,
          state: "header",
          headerStart: next,
          headerEnd: next,
          lines: [],
        };
        node.children.push(child);
        return child;
      }
    }
    if (current.state === "header") {
      if (end === start) this.endHeader(current, start);
      else current.headerEnd = next;
      return current;
    }
    current.lines.push([start, next]);
    return current;
  }

  private endHeader(node: Node, at: number): void {
    node.state = "body";
    const { headerStart, headerEnd } = node;
    this.headerBytes += headerEnd - headerStart;
    if (this.headerBytes > MAX_HEADER_BYTES) throw new GiveUp();
    if (headerEnd > headerStart && this.message[headerEnd - 1] !== 0x0a) throw new GiveUp();
    const bytes = this.message.subarray(headerStart, headerEnd);
    const fields = readFieldBlock(bytes, bytes.toString("latin1"), { headerEnd: at, bodyStart: at });
    if (!fields) throw new GiveUp();
    this.setFields(node, fields);
  }

  private setFields(node: Node, fields: HeaderFields): void {
    if (node.parent?.fields?.type === "multipart/digest" && fields.contentType === undefined)
      throw new GiveUp();
    const contentType = simpleContentType(fields.contentType ?? "text/plain");
    if (!contentType) throw new GiveUp();
    const { type, params } = contentType;
    if (
      type.startsWith("message/") ||
      type === "text/html" ||
      type === "text/calendar" ||
      type === "application/ics"
    )
      throw new GiveUp();
    const encoding = transferEncoding(fields.contentTransferEncoding);
    const disposition = /^\s*([\w-]*)\s*(?:;.*)?$/.exec(fields.contentDisposition ?? "");
    if (!disposition) throw new GiveUp();
    const attachment = disposition[1]!.toLowerCase() === "attachment";
    const content: ContentFields = { type, attachment, params, encoding };
    if (type.startsWith("multipart/")) {
      if (!params.boundary) throw new GiveUp();
      content.boundary = Buffer.from(params.boundary, "utf8");
      this.open.push(node);
    } else if (type === "text/plain") {
      if (!TRANSPARENT_CHARSET.test(params.charset ?? "utf-8")) throw new GiveUp();
      if (params.delsp !== undefined && params.delsp.toLowerCase() !== "no") throw new GiveUp();
    }
    node.fields = content;
  }

  private finish(node: Node): void {
    if (node.state === "finished") return;
    if (node.state === "header") this.endHeader(node, node.headerEnd);
    const index = this.open.lastIndexOf(node);
    if (index >= 0) this.open.splice(index, 1);
    for (const child of node.children) this.finish(child);
    node.state = "finished";
  }

  private collect(node: Node, into: MimePart[]): void {
    if (node.fields!.boundary) {
      for (const child of node.children) this.collect(child, into);
      return;
    }
    const { type, attachment } = node.fields!;
    into.push({ text: type === "text/plain" && !attachment, bytes: this.decode(node) });
  }

  private decode(node: Node): Buffer {
    const { message } = this;
    const content = Buffer.concat(node.lines.map(([s, e]) => message.subarray(s, e)));
    switch (node.fields!.encoding) {
      case "base64":
        return decodeBase64AsPostalMime(content);
      case "quoted-printable":
        return decodeQuotedPrintable(content);
      default:
        // As is: postal-mime also drops the CRs that end lines, which changes nothing the prefilter looks for.
        return content;
    }
  }
}

const LF_DASH_DASH = Buffer.from("\n--");

/** true for "--boundary--", false for "--boundary", undefined when the line is neither. */
function boundaryLine(message: Buffer, start: number, end: number, boundary: Buffer): boolean | undefined {
  if (end - start < boundary.length + 2) return undefined;
  if (message.compare(boundary, 0, boundary.length, start + 2, start + 2 + boundary.length) !== 0)
    return undefined;
  let at = start + 2 + boundary.length;
  const closing = end - at >= 2 && message[at] === 0x2d && message[at + 1] === 0x2d;
  if (closing) at += 2;
  for (; at < end; at++) if (message[at] !== 0x20 && message[at] !== 0x09) return undefined;
  return closing;
}

/** postal-mime's choice of decoder: base64, quoted-printable, or the bytes as they are. */
function transferEncoding(value: string | undefined): ContentFields["encoding"] {
  const encoding = (value ?? "").trim().toLowerCase();
  if (encoding === "base64" || encoding === "quoted-printable") return encoding;
  if (encoding === "" || encoding === "7bit" || encoding === "8bit" || encoding === "binary") return "7bit";
  throw new GiveUp();
}

/**
 * As postal-mime: characters outside the base64 alphabet dropped, each run between "=" paddings decoded on
 * its own (Node's decoder stops at the first "="), and a run of 4n+1 characters losing its last one.
 */
export function decodeBase64AsPostalMime(content: Buffer | readonly Buffer[]): Buffer {
  const text = Buffer.isBuffer(content)
    ? content.toString("latin1")
    : content.map((l) => l.toString("latin1")).join("");
  const pieces: Buffer[] = [];
  for (const unit of text.replace(/[^a-zA-Z0-9+/=]+/g, "").split(/=+/)) {
    if (unit !== "") pieces.push(Buffer.from(unit.length % 4 === 1 ? unit.slice(0, -1) : unit, "base64"));
  }
  return pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
}

/** As postal-mime's QP decoder, which reads line by line (line ends and the CRs before them dropped). */
function decodeQuotedPrintable(content: Buffer): Buffer {
  const lines: Buffer[] = [];
  for (let start = 0; start < content.length; ) {
    const eol = content.indexOf(0x0a, start);
    const next = eol < 0 ? content.length : eol + 1;
    let end = eol < 0 ? content.length : eol;
    while (end > start && content[end - 1] === 0x0d) end--;
    lines.push(decodeQuotedPrintableLine(content.subarray(start, end)));
    start = next;
  }
  return Buffer.concat(lines);
}

function decodeQuotedPrintableLine(line: Buffer): Buffer {
  let length = line.length;
  const softBreak = length > 0 && line[length - 1] === 0x3d;
  if (softBreak) length--;
  const out: number[] = [];
  for (let i = 0; i < length; i++) {
    const c = line[i]!;
    if (c === 0x3d && i + 2 < length) {
      const high = hexNibble(line[i + 1]!);
      const low = hexNibble(line[i + 2]!);
      if (high >= 0 && low >= 0) {
        out.push((high << 4) | low);
        i += 2;
        continue;
      }
    }
    out.push(c);
  }
  if (!softBreak) out.push(0x0a);
  return Buffer.from(out);
}

function hexNibble(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}
