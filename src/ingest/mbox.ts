// mbox files (mboxrd / mboxo) into messages. Every line starting "From " at column 0 separates messages;
// the separator line is dropped, and so is the blank line an mbox writer puts before the next separator.
// In mboxrd, body lines matching /^>*From / were escaped with one more ">": unescapeMboxrd undoes that.

const SEPARATOR = Buffer.from("\nFrom ");
const FROM = Buffer.from("From ");
const ESCAPED_FROM = Buffer.from(">From ");
const NEWLINE = 0x0a;
const EMPTY = Buffer.alloc(0);
const GREATER_THAN = 0x3e;

/** Splits an mbox held in a string; messages are un-escaped. */
export function splitMbox(text: string): string[] {
  const messages: string[] = [];
  let start = 0;
  let preamble = true;
  if (text.startsWith("From ")) {
    start = afterLine(text, 0);
    preamble = false;
  }
  for (;;) {
    // From start - 1, the "\n" that ended the separator line, so that a separator right after it is found.
    const separator = text.indexOf("\nFrom ", Math.max(start - 1, 0));
    const message = text.slice(start, separator < 0 ? text.length : separator + 1);
    if (!(preamble && message.trim() === ""))
      messages.push(unescapeMboxrdText(withoutTrailingBlankLineText(message)));
    preamble = false;
    if (separator < 0) return messages;
    start = afterLine(text, separator + 1);
  }
}

function afterLine(text: string, from: number): number {
  const eol = text.indexOf("\n", from);
  return eol < 0 ? text.length : eol + 1;
}

function withoutTrailingBlankLineText(message: string): string {
  if (message.endsWith("\r\n\r\n")) return message.slice(0, -2);
  return message.endsWith("\n\n") ? message.slice(0, -1) : message;
}

function unescapeMboxrdText(message: string): string {
  return message.includes(">From ") ? message.replace(/^>(>*From )/gm, "$1") : message;
}

/** Splits an mbox held in a Buffer; the messages are views into it, still mboxrd-escaped. */
export function splitMboxBuffer(mbox: Buffer): Buffer[] {
  const splitter = new MboxSplitter();
  return [...splitter.push(mbox), ...splitter.end()].map((m) => m.bytes);
}

/**
 * Splits an mbox read in chunks, holding only the message being read. Messages are still mboxrd-escaped:
 * call unescapeMboxrd on the ones you keep.
 */
export async function* splitMboxStream(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer>,
): AsyncGenerator<Buffer> {
  for await (const message of splitMboxStreamBounded(input)) yield message.bytes;
}

/** A message of an mbox split with a size limit. */
export interface BoundedMessage {
  /** The message, still mboxrd-escaped; when it was over the limit, only its first bytes. */
  bytes: Buffer;
  /** Its whole size in bytes. */
  size: number;
  truncated: boolean;
  /**
   * False when the message surely has no ">From " (so unescapeMboxrd would return it as it is): the splitter
   * tells that from the search it makes anyway.
   */
  mayHaveEscapes: boolean;
}

export interface SplitLimits {
  /** A message over this many bytes is not kept whole... */
  maxMessageBytes: number;
  /** ...only its first this many bytes (enough for its header block). */
  keepBytes: number;
}

/**
 * As splitMboxStream, holding at most `limits.maxMessageBytes` of a message whatever its size: a longer one
 * comes out truncated, with its size, so that the caller can report it.
 */
export async function* splitMboxStreamBounded(
  input: NodeJS.ReadableStream | AsyncIterable<Buffer>,
  limits?: SplitLimits,
): AsyncGenerator<BoundedMessage> {
  const splitter = new MboxSplitter(limits);
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    yield* splitter.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  }
  yield* splitter.end();
}

/** Removes one ">" from every line matching /^>+From /. Returns the input itself when there is none. */
export function unescapeMboxrd(message: Buffer): Buffer {
  let at = message.indexOf(ESCAPED_FROM);
  if (at < 0) return message;
  const pieces: Buffer[] = [];
  let copied = 0;
  while (at >= 0) {
    let lineStart = at;
    while (lineStart > 0 && message[lineStart - 1] === GREATER_THAN) lineStart--;
    if (lineStart === 0 || message[lineStart - 1] === NEWLINE) {
      pieces.push(message.subarray(copied, lineStart));
      copied = lineStart + 1;
    }
    at = message.indexOf(ESCAPED_FROM, at + ESCAPED_FROM.length);
  }
  pieces.push(message.subarray(copied));
  return Buffer.concat(pieces);
}

/** The splitting state machine, fed chunk by chunk; a chunk may end anywhere, even inside "\nFrom ". */
class MboxSplitter {
  /** Pieces of the message being read (its first bytes only, once it is over the limit). */
  private parts: Buffer[] = [];
  /** Bytes of the message being read, including those no longer kept. */
  private size = 0;
  private truncated = false;
  /** The last bytes of a truncated message, to tell its closing blank line. */
  private tail: Buffer = EMPTY;
  /** The preamble read so far is blank (judged as it arrives: a long one is not kept whole). */
  private blankSoFar = true;
  /** The end of the previous chunk when it could be the start of a separator. */
  private held: Buffer | undefined;
  /** At the start of the file or just after a separator line, where "From " needs no "\n" before it. */
  private atLineStart = true;
  private inSeparatorLine = false;
  /** Text before the first separator is a message only if it is not blank. */
  private inPreamble = true;
  /** The message being read may have a ">From " line. */
  private mayHaveEscapes = false;

  constructor(private readonly limits?: SplitLimits) {}

  push(chunk: Buffer): BoundedMessage[] {
    const data = this.held ? Buffer.concat([this.held, chunk]) : chunk;
    this.held = undefined;
    const messages: BoundedMessage[] = [];
    let position = 0;

    for (;;) {
      if (this.inSeparatorLine) {
        const eol = data.indexOf(NEWLINE, position);
        if (eol < 0) return messages;
        position = eol + 1;
        this.inSeparatorLine = false;
        this.atLineStart = true;
      }
      if (position >= data.length) return messages;

      if (this.atLineStart) {
        const checked = Math.min(data.length - position, FROM.length);
        if (data.compare(FROM, 0, checked, position, position + checked) === 0) {
          if (checked < FROM.length) {
            this.held = data.subarray(position);
            return messages;
          }
          this.finishMessage(messages);
          position += FROM.length;
          this.inSeparatorLine = true;
          continue;
        }
        this.atLineStart = false;
      }

      const separator = this.nextSeparator(data, position);
      if (separator < 0) {
        const heldLength = partialSeparatorLength(data, position);
        const end = data.length - heldLength;
        if (end > position) this.append(data.subarray(position, end));
        if (heldLength > 0) this.held = data.subarray(end);
        // A ">From " cut by the chunk's end: its start is in the last bytes.
        if (data.indexOf(GREATER_THAN, Math.max(position, data.length - FROM.length)) >= 0)
          this.mayHaveEscapes = true;
        return messages;
      }
      this.append(data.subarray(position, separator + 1));
      this.finishMessage(messages);
      position = separator + SEPARATOR.length;
      this.inSeparatorLine = true;
    }
  }

  /**
   * Where the next "\nFrom " after `position` starts, or -1. Searching for "From " finds the separators and
   * the ">From " lines of the message in one pass (and faster than searching for "\nFrom ").
   */
  private nextSeparator(data: Buffer, position: number): number {
    for (let at = data.indexOf(FROM, position + 1); at >= 0; at = data.indexOf(FROM, at + 1)) {
      const before = data[at - 1];
      if (before === NEWLINE) return at - 1;
      if (before === GREATER_THAN) this.mayHaveEscapes = true;
    }
    return -1;
  }

  end(): BoundedMessage[] {
    if (this.held) this.append(this.held);
    this.held = undefined;
    const messages: BoundedMessage[] = [];
    this.finishMessage(messages);
    return messages;
  }

  private append(piece: Buffer): void {
    this.size += piece.length;
    if (this.inPreamble && this.blankSoFar) this.blankSoFar = isBlank(piece);
    if (this.truncated) {
      this.tail = Buffer.concat([this.tail, piece.subarray(-4)]).subarray(-4);
      return;
    }
    this.parts.push(piece);
    // The blank line before the next separator (up to 2 bytes) is not part of the message.
    if (this.limits && this.size > this.limits.maxMessageBytes + 2) {
      const read = Buffer.concat(this.parts);
      // Copies, so that the chunks read so far can be let go.
      this.tail = Buffer.from(read.subarray(-4));
      this.parts = [Buffer.from(read.subarray(0, this.limits.keepBytes))];
      this.truncated = true;
    }
  }

  private finishMessage(into: BoundedMessage[]): void {
    const { parts, size, truncated, blankSoFar, tail, mayHaveEscapes } = this;
    this.mayHaveEscapes = false;
    this.parts = [];
    this.size = 0;
    this.truncated = false;
    this.tail = EMPTY;
    const wasPreamble = this.inPreamble;
    this.inPreamble = false;
    if (wasPreamble && blankSoFar) return;
    const message = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    if (truncated) {
      const whole = size - (tail.length - withoutTrailingBlankLine(tail).length);
      into.push({
        bytes: message.subarray(0, Math.min(message.length, whole)),
        size: whole,
        truncated,
        mayHaveEscapes,
      });
      return;
    }
    const bytes = withoutTrailingBlankLine(message);
    if (this.limits && bytes.length > this.limits.maxMessageBytes) {
      into.push({
        bytes: Buffer.from(bytes.subarray(0, this.limits.keepBytes)),
        size: bytes.length,
        truncated: true,
        mayHaveEscapes,
      });
    } else into.push({ bytes, size: bytes.length, truncated: false, mayHaveEscapes });
  }
}

/** Length of the longest end of data[from..] that is a proper beginning of "\nFrom ". */
function partialSeparatorLength(data: Buffer, from: number): number {
  const lastNewline = data.lastIndexOf(NEWLINE);
  if (lastNewline < from || data.length - lastNewline >= SEPARATOR.length) return 0;
  const tail = data.subarray(lastNewline);
  return tail.equals(SEPARATOR.subarray(0, tail.length)) ? tail.length : 0;
}

function withoutTrailingBlankLine(message: Buffer): Buffer {
  const n = message.length;
  if (n >= 2 && message[n - 1] === NEWLINE && message[n - 2] === NEWLINE) return message.subarray(0, n - 1);
  if (n >= 4 && message.toString("latin1", n - 4) === "\r\n\r\n") return message.subarray(0, n - 2);
  return message;
}

function isBlank(message: Buffer): boolean {
  for (const byte of message) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d) return false;
  }
  return true;
}
