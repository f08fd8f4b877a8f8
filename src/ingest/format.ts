// Which kind of input a file holds, judged from its first line.

export type InputFormat = "mbox" | "mail" | "diff" | "empty" | "unknown";

const HEADER_FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const DIFF_START = /^(?:diff |--- |Index:)/;
const GIT_DIFF_LINE = Buffer.from("\ndiff --git ");

/** The input without a UTF-8 byte order mark and leading blank lines (a view, not a copy). */
export function withoutLeadingBlank(data: Buffer): Buffer {
  let start = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  while (start < data.length && isSpace(data[start]!)) start++;
  if (start === data.length) return data.subarray(start);
  // Keep the indentation of the first line: back up to its start.
  while (start > 0 && data[start - 1] !== 0x0a && isSpace(data[start - 1]!)) start--;
  return start === 0 ? data : data.subarray(start);
}

/** Detects the format of input already passed through withoutLeadingBlank. */
export function detectFormat(data: Buffer): InputFormat {
  if (data.length === 0) return "empty";
  // latin1 maps every byte to one character, so nothing can fail to decode.
  const head = data.toString("latin1", 0, Math.min(data.length, 1024));
  if (head.startsWith("From ")) return "mbox";
  if (DIFF_START.test(head)) return "diff";
  if (HEADER_FIELD.test(head)) return "mail";
  // `git show` output and other text that carries a git diff further down.
  if (data.includes(GIT_DIFF_LINE)) return "diff";
  return "unknown";
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
