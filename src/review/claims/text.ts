// Text helpers for the commit-message checks. Everything here looks at a bounded window around a
// position, so the checks stay linear in the length of the message however it is shaped.

export interface Span {
  start: number;
  end: number;
}

/** How far a sentence may reach on either side of a position. */
export const SENTENCE_REACH = 400;

/** A claim quoted in a note is cut to this length. */
const MAX_CLAIM_LENGTH = 240;

/** Words that end in a full stop without ending the sentence. */
const ABBREVIATION_BEFORE_DOT = /(?:^|[\s(])(?:e\.g|i\.e|vs|etc|approx|cf|fig|no|al|resp)$/i;

/** CRLF to LF and whitespace-only lines to empty ones, so a blank line is always "\n\n". Lengths shift, so
 * every position used afterwards refers to the normalised text. */
export function normaliseMessage(message: string): string {
  const lf = message.includes("\r") ? message.replace(/\r\n?/g, "\n") : message;
  return lf.replace(/\n[ \t]+(?=\n)/g, "\n");
}

function isSentenceEnd(text: string, dot: number): boolean {
  const next = text[dot + 1];
  if (next !== undefined && next !== " " && next !== "\n" && next !== "\t") return false;
  if (text[dot] !== ".") return true;
  return !ABBREVIATION_BEFORE_DOT.test(text.slice(Math.max(0, dot - 8), dot));
}

function isTerminator(ch: string | undefined): boolean {
  return ch === "." || ch === "!" || ch === "?";
}

/** The sentence (or paragraph fragment) holding text[start, end): bounded by ". ", "! ", "? ", a blank line,
 * or SENTENCE_REACH characters. */
export function sentenceAround(text: string, start: number, end: number): Span {
  const lowest = Math.max(0, start - SENTENCE_REACH);
  let from = start;
  while (from > lowest) {
    const ch = text[from - 1];
    if (ch === "\n" && text[from - 2] === "\n") break;
    if (isTerminator(ch) && isSentenceEnd(text, from - 1)) break;
    from--;
  }
  const highest = Math.min(text.length, end + SENTENCE_REACH);
  let to = end;
  while (to < highest) {
    const ch = text[to];
    if (ch === "\n" && text[to + 1] === "\n") break;
    if (isTerminator(ch) && isSentenceEnd(text, to)) {
      to++;
      break;
    }
    to++;
  }
  return { start: from, end: to };
}

export function sentenceText(text: string, start: number, end: number): string {
  const span = sentenceAround(text, start, end);
  return text.slice(span.start, span.end);
}

/** Start of the line holding pos, or pos - reach when the line starts further back. */
export function lineStartWithin(text: string, pos: number, reach: number): number {
  const lowest = Math.max(0, pos - reach);
  let i = pos;
  while (i > lowest && text[i - 1] !== "\n") i--;
  return i;
}

/** End of the line holding pos (exclusive), or pos + reach. */
export function lineEndWithin(text: string, pos: number, reach: number): number {
  const highest = Math.min(text.length, pos + reach);
  let i = pos;
  while (i < highest && text[i] !== "\n") i++;
  return i;
}

/** Whitespace collapsed to single spaces, trimmed, cut with an ellipsis when long. */
export function oneLine(s: string, max = MAX_CLAIM_LENGTH): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** x with at most `decimals` decimals, trailing zeros dropped: 2.6711 → "2.671", 3.0 → "3". */
export function formatNumber(x: number, decimals: number): string {
  return String(Number(x.toFixed(decimals)));
}

/** Number of digits after the decimal point in a number as written ("2.67" → 2, "3" → 0). */
export function decimalsOf(numberText: string): number {
  const dot = numberText.indexOf(".");
  return dot < 0 ? 0 : numberText.length - dot - 1;
}

/** "a", "a and b", "a, b and c". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
