// One input (a file or stdin) read as a stream into the pieces the review works on: the messages of an mbox,
// one at a time, or the whole input when it is a single mail message or a bare diff. Nothing holds more
// than the message being read, so an archive of any size goes through in bounded memory.

import { createReadStream } from "node:fs";
import { errorMessage } from "../parse/errors.js";
import { detectFormat, withoutLeadingBlank } from "./format.js";
import { type SplitLimits, splitMboxStreamBounded } from "./mbox.js";

export type InputPiece =
  | {
      /** One mail message: of an mbox (still mboxrd-escaped) or a whole .eml/.patch file. */
      kind: "mail";
      source: string;
      position: number;
      bytes: Buffer;
      /** Its whole size; more than bytes.length when it was cut at the message size limit. */
      size: number;
      truncated: boolean;
      /** Taken out of an mbox, so lines ">From " are mboxrd-escaped. */
      mboxrd: boolean;
    }
  | { kind: "diff"; source: string; position: number; bytes: Buffer; size: number; truncated: boolean }
  | { kind: "error"; source: string; position: number; error: string };

export type StreamLimits = SplitLimits;

/** Enough for any real mail's header block, so that a message cut at the limit can still be named. */
export const KEEP_BYTES_OF_LONG_MESSAGES = 64 * 1024;
const UNLIMITED: StreamLimits = { maxMessageBytes: Number.POSITIVE_INFINITY, keepBytes: 0 };
const READ_CHUNK = 1024 * 1024;

/** The pieces of the file `path`, or of `stdin` when path is "-". */
export function readPieces(
  path: string,
  opts: { stdin?: NodeJS.ReadableStream; limits?: StreamLimits } = {},
): AsyncGenerator<InputPiece> {
  const stream =
    path === "-" ? (opts.stdin ?? process.stdin) : createReadStream(path, { highWaterMark: READ_CHUNK });
  return streamPieces(stream as AsyncIterable<Buffer | string>, path, opts.limits ?? UNLIMITED);
}

/** The pieces of one input read from `chunks`; `source` names it. A read error ends it with an error piece. */
export async function* streamPieces(
  chunks: AsyncIterable<Buffer | string>,
  source: string,
  limits: StreamLimits = UNLIMITED,
): AsyncGenerator<InputPiece> {
  const input = chunks[Symbol.asyncIterator]();
  let position = 0;
  try {
    const head = await readHead(input);
    const start = withoutLeadingBlank(head.bytes);
    if (start.toString("latin1", 0, 5) === "From ") {
      for await (const { bytes, size, truncated, mayHaveEscapes } of splitMboxStreamBounded(
        rest(start, head.done ? undefined : input),
        limits,
      )) {
        // Without a ">From " line there is nothing to unescape.
        yield { kind: "mail", source, position: position++, bytes, size, truncated, mboxrd: mayHaveEscapes };
      }
      return;
    }
    yield await wholeInput(start, head.done ? undefined : input, source, limits);
  } catch (error) {
    yield { kind: "error", source, position, error: `cannot read file: ${errorMessage(error)}` };
  }
}

/** The first bytes of the input: enough to see past leading blank lines whether it starts with "From ". */
async function readHead(input: AsyncIterator<Buffer | string>): Promise<{ bytes: Buffer; done: boolean }> {
  let bytes: Buffer = Buffer.alloc(0);
  for (;;) {
    const next = await input.next();
    if (next.done) return { bytes, done: true };
    bytes = bytes.length === 0 ? toBuffer(next.value) : Buffer.concat([bytes, toBuffer(next.value)]);
    if (withoutLeadingBlank(bytes).length >= 5) return { bytes, done: false };
  }
}

async function* rest(
  first: Buffer,
  input: AsyncIterator<Buffer | string> | undefined,
): AsyncGenerator<Buffer> {
  yield first;
  if (!input) return;
  for (let next = await input.next(); !next.done; next = await input.next()) yield toBuffer(next.value);
}

/** A single mail message or diff: read whole, up to the size limit. */
async function wholeInput(
  first: Buffer,
  input: AsyncIterator<Buffer | string> | undefined,
  source: string,
  limits: StreamLimits,
): Promise<InputPiece> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of rest(first, input)) {
    size += chunk.length;
    if (size <= limits.maxMessageBytes) chunks.push(chunk);
  }
  const truncated = size > limits.maxMessageBytes;
  const data = truncated ? Buffer.concat(chunks).subarray(0, limits.keepBytes) : Buffer.concat(chunks);
  switch (truncated ? "mail" : detectFormat(data)) {
    case "empty":
      return { kind: "error", source, position: 0, error: "empty input" };
    case "mail":
      return { kind: "mail", source, position: 0, bytes: data, size, truncated, mboxrd: false };
    case "diff":
      return { kind: "diff", source, position: 0, bytes: data, size, truncated };
    default:
      return {
        kind: "error",
        source,
        position: 0,
        error: "unrecognised input: not an mbox, a mail message or a diff",
      };
  }
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
}
