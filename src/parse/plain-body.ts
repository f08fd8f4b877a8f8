// The fast path for the commonest patch mail: one text/plain part, 7bit, 8bit or base64.
// postal-mime's pass-through decoder pushes every body line through a Blob and reads it back, which made
// MIME decoding about three quarters of the time spent on a real list archive; these bodies need no
// decoding beyond their charset, so parseMessage hands postal-mime only their header block.

import { TextDecoder } from "node:util";
import { decodeFlowed, type FlowedParams, flowedParams } from "./flowed.js";

export interface PlainBodyLayout {
  /** End of the header block, its last line ending included. */
  headerEnd: number;
  /** Start of the body, after the blank line. */
  bodyStart: number;
  decoder: TextDecoder;
  base64: boolean;
  /** A format=flowed body (RFC 3676), unflowed by parse/flowed.ts rather than by postal-mime. */
  flowed?: FlowedParams;
}

const PLAIN_TRANSFER_ENCODINGS = new Set(["7bit", "8bit", "binary", "base64"]);
const CONTENT_TYPE = /^content-type[ \t]*:(.*)$/im;
const CONTENT_TRANSFER_ENCODING = /^content-transfer-encoding[ \t]*:(.*)$/im;
const CONTENT_DISPOSITION = /^content-disposition[ \t]*:(.*)$/im;
const decoders = new Map<string, TextDecoder | null>();

/** The layout of `message` when its body can be decoded as is, or undefined when it needs postal-mime. */
export function plainBodyLayout(message: Buffer): PlainBodyLayout | undefined {
  const blankLine = findBlankLine(message);
  if (blankLine === undefined) return undefined;
  const head = message.toString("latin1", 0, blankLine.headerEnd).replace(/\r?\n[ \t]+/g, " ");

  const transferEncoding = headerValue(head, CONTENT_TRANSFER_ENCODING)?.trim().toLowerCase();
  if (transferEncoding !== undefined && !PLAIN_TRANSFER_ENCODINGS.has(transferEncoding)) return undefined;
  // postal-mime makes a top-level part with "Content-Disposition: attachment" an attachment, not the text.
  if (/^\s*attachment/i.test(headerValue(head, CONTENT_DISPOSITION) ?? "")) return undefined;

  const contentType = headerValue(head, CONTENT_TYPE);
  let charset = "utf-8";
  if (contentType !== undefined) {
    const [type, ...params] = contentType.split(";");
    if (type!.trim().toLowerCase() !== "text/plain") return undefined;
    for (const param of params) {
      const [name, value] = param.split("=", 2).map((s) =>
        s
          .trim()
          .replace(/^"(.*)"$/, "$1")
          .toLowerCase(),
      );
      if (name === "charset" && value) charset = value;
    }
  }
  const decoder = decoderFor(charset);
  if (!decoder) return undefined;
  const flowed = flowedParams(contentType);
  return { ...blankLine, decoder, base64: transferEncoding === "base64", ...(flowed && { flowed }) };
}

/** The body decoded, with "\n" line ends, as postal-mime returns it. */
export function decodePlainBody(body: Buffer, layout: PlainBodyLayout): string {
  const bytes = layout.base64 ? Buffer.from(body.toString("latin1"), "base64") : body;
  if (bytes.length === 0) return "";
  let text = layout.decoder.decode(bytes);
  if (text.includes("\r\n")) text = text.replace(/\r\n/g, "\n");
  if (layout.flowed) text = decodeFlowed(text, layout.flowed);
  // postal-mime ends every line of an unencoded body with "\n", and returns a base64 body as decoded.
  return layout.base64 || text.endsWith("\n") ? text : `${text}\n`;
}

function findBlankLine(message: Buffer): { headerEnd: number; bodyStart: number } | undefined {
  let at = message.indexOf(0x0a);
  while (at >= 0) {
    const next = message[at + 1];
    if (next === 0x0a) return { headerEnd: at + 1, bodyStart: at + 2 };
    if (next === 0x0d && message[at + 2] === 0x0a) return { headerEnd: at + 1, bodyStart: at + 3 };
    at = message.indexOf(0x0a, at + 1);
  }
  return undefined;
}

/** The value of the first header `pattern` matches in an unfolded header block, or undefined. */
function headerValue(head: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(head);
  return match ? match[1]!.replace(/\r$/, "") : undefined;
}

/** A charset postal-mime would decode with the same TextDecoder; null for labels left to it. */
function decoderFor(charset: string): TextDecoder | null {
  let decoder = decoders.get(charset);
  if (decoder === undefined) {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      decoder = null;
    }
    decoders.set(charset, decoder);
  }
  return decoder;
}
