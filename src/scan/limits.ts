// Limits that keep a scan's memory bounded whatever one message looks like. A message over a limit is not
// parsed: it becomes an error entry naming the limit, and the scan goes on.

import type { InputPiece } from "../ingest/stream.js";
import { mimePartSizes } from "./mime-parts.js";

export interface Limits {
  /** A message larger than this is not read whole (the splitter keeps only its header block). */
  maxMessageBytes: number;
  /** Nor is one with a line longer than this. */
  maxLineBytes: number;
  /** Nor is one with a MIME part (an attachment, or the body itself) larger than this. */
  maxAttachmentBytes: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_LIMITS: Limits = {
  maxMessageBytes: 32 * MiB,
  maxLineBytes: 1 * MiB,
  maxAttachmentBytes: 16 * MiB,
};

/** Command-line names, for messages that tell the user which option to raise. */
export const LIMIT_OPTIONS: Record<keyof Limits, string> = {
  maxMessageBytes: "--max-message-bytes",
  maxLineBytes: "--max-line-bytes",
  maxAttachmentBytes: "--max-attachment-bytes",
};

/** Why `raw` (the bytes of `piece`, un-escaped) may not be parsed, or undefined when it is within limits. */
export function limitBreached(piece: InputPiece, raw: Buffer, limits: Limits): string | undefined {
  if (piece.kind === "error") return undefined;
  if (piece.truncated) return overLimit("message", piece.size, "maxMessageBytes", limits);
  // Only a message longer than a limit can hold a line or a part longer than it.
  if (raw.length > limits.maxLineBytes) {
    const longest = longestLine(raw);
    if (longest > limits.maxLineBytes) return overLimit("line", longest, "maxLineBytes", limits);
  }
  if (piece.kind === "mail" && raw.length > limits.maxAttachmentBytes) {
    const largest = Math.max(0, ...mimePartSizes(raw));
    if (largest > limits.maxAttachmentBytes)
      return overLimit("MIME part", largest, "maxAttachmentBytes", limits);
  }
  return undefined;
}

function overLimit(what: string, size: number, limit: keyof Limits, limits: Limits): string {
  return `${what} of ${size} bytes is over the limit of ${limits[limit]} bytes (${LIMIT_OPTIONS[limit]})`;
}

function longestLine(bytes: Buffer): number {
  let longest = 0;
  let start = 0;
  for (let eol = bytes.indexOf(0x0a); eol >= 0; eol = bytes.indexOf(0x0a, start)) {
    longest = Math.max(longest, eol - start);
    start = eol + 1;
  }
  return Math.max(longest, bytes.length - start);
}
