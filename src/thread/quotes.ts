// A reply body taken apart into the author's own text and everything else: quoted lines (any depth of ">"),
// "On ... wrote:" attributions, an Outlook "Original Message" block, the signature after "-- ", a closing such
// as "Thanks,\nRobin.", a mailing-list footer, and a patch pasted below the text.

import type { Paragraph, ReplyText, Segment, SegmentKind } from "./model.js";

const QUOTE = /^[ \t]{0,3}>/;
const QUOTE_MARKERS = /^[ \t>]*/;
const SIGNATURE = /^-- ?$/;
const ORIGINAL_MESSAGE = /^-{2,}\s*(?:original message|forwarded message)\s*-{2,}\s*$/i;
const PATCH_START = /^(?:diff --git |diff -[a-zA-Z]+ |Index: \S|--- a\/\S)/;
const FOOTER_RULE = /^_{10,}\s*$/;
const FOOTER_WORDS = /mailing list|listinfo|unsubscribe|you received this message/i;
const GROUPS_FOOTER =
  /^(?:you received this message because you are subscribed|to unsubscribe from this group)/i;
const ATTRIBUTION_ONE_LINE = /^On\b.*\bwrote:\s*$/;
const ATTRIBUTION_END = /(?:\bwrote|\bwrites|\bsaid):\s*$/;
const ATTRIBUTION_START = /^(?:On|Am|Le|El)\b/;
const CLOSING =
  /^(?:(?:many\s+)?thanks|thank you|thx|(?:best|kind|warm)?\s*regards|br|cheers|best|greetings|ciao)(?:\s*(?:&|and)\s*(?:best\s+)?regards)?[\s,.!-]*$/i;

export function quoteLevel(line: string): number {
  return (QUOTE_MARKERS.exec(line)?.[0] ?? "").split(">").length - 1;
}

function isQuote(line: string): boolean {
  return QUOTE.test(line);
}

function isBlank(line: string): boolean {
  return line.trim() === "";
}

function nextNonBlank(lines: readonly string[], from: number): string | undefined {
  for (let i = from; i < lines.length; i++) if (!isBlank(lines[i]!)) return lines[i];
  return undefined;
}

/** Lines from `at` to the end, when they are a list footer. */
function isFooterStart(lines: readonly string[], at: number): boolean {
  const line = lines[at]!;
  if (GROUPS_FOOTER.test(line)) return true;
  if (!FOOTER_RULE.test(line)) return false;
  return FOOTER_WORDS.test(lines.slice(at + 1, at + 6).join("\n"));
}

/** Number of attribution lines ending at `at` (0 when the line is not one). */
function attributionLength(lines: readonly string[], at: number): number {
  const line = lines[at]!;
  if (ATTRIBUTION_ONE_LINE.test(line)) return 1;
  if (!ATTRIBUTION_END.test(line)) return 0;
  const next = nextNonBlank(lines, at + 1);
  const previous = at > 0 ? lines[at - 1]! : "";
  const twoLines = ATTRIBUTION_START.test(previous) && !isQuote(previous) && line.length < 120;
  if (twoLines) return 2;
  return next === undefined || isQuote(next) ? 1 : 0;
}

class SegmentList {
  readonly segments: Segment[] = [];

  add(kind: SegmentKind, line: string, level?: number): void {
    const last = this.segments[this.segments.length - 1];
    if (last && last.kind === kind && last.level === level) last.lines.push(line);
    else this.segments.push(level === undefined ? { kind, lines: [line] } : { kind, lines: [line], level });
  }

  /** Moves the last `count` lines of text already added into an attribution segment. */
  retag(count: number): void {
    const moved: string[] = [];
    while (moved.length < count) {
      const last = this.segments[this.segments.length - 1];
      if (last?.kind !== "text") break;
      moved.unshift(last.lines.pop()!);
      if (last.lines.length === 0) this.segments.pop();
    }
    for (const line of moved) this.add("attribution", line);
  }
}

function segmentLines(lines: readonly string[]): Segment[] {
  const out = new SegmentList();
  let tail: SegmentKind | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (tail !== "footer" && isFooterStart(lines, i)) tail = "footer";
    else if (tail === undefined && SIGNATURE.test(line)) tail = "signature";
    else if (tail === undefined && ORIGINAL_MESSAGE.test(line)) tail = "quote";
    else if (tail === undefined && PATCH_START.test(line)) tail = "patch";
    if (tail === "quote") out.add("quote", line, Math.max(1, quoteLevel(line) + 1));
    else if (tail) out.add(tail, line);
    else if (isQuote(line)) out.add("quote", line, quoteLevel(line));
    else {
      const attribution = attributionLength(lines, i);
      if (attribution === 2) {
        out.retag(1);
        out.add("attribution", line);
      } else if (attribution === 1) out.add("attribution", line);
      else out.add("text", line);
    }
  }
  return out.segments;
}

function isSignOffParagraph(lines: readonly string[]): boolean {
  if (lines.length === 0 || lines.length > 3) return false;
  const words = (line: string) => line.trim().split(/\s+/).length;
  if (lines.some((l) => words(l) > 4)) return false;
  if (CLOSING.test(lines[0]!.trim())) return true;
  // A bare name or initial: "Jason", "-Doug", "greg k-h", "Robin.", "-R".
  const line = lines[0]!.trim();
  return lines.length === 1 && words(line) <= 3 && !/[?!:;,]/.test(line) && !/\.\s*\S/.test(line);
}

/** Moves a closing ("Thanks,\nRobin.") at the end of the last text segment into a signature segment. */
function splitClosing(segments: Segment[]): Segment[] {
  const lastText = segments.map((s) => s.kind).lastIndexOf("text");
  if (lastText < 0) return segments;
  const lines = [...segments[lastText]!.lines];
  while (lines.length > 0 && isBlank(lines[lines.length - 1]!)) lines.pop();
  let cut = lines.length;
  for (let paragraphs = 0; paragraphs < 2 && cut > 0; paragraphs++) {
    let start = cut;
    while (start > 0 && !isBlank(lines[start - 1]!)) start--;
    // A closing needs something of the author's own above it; a reply of one short line is that line.
    const textAbove = lines.slice(0, start).some((l) => !isBlank(l));
    if (!textAbove || !isSignOffParagraph(lines.slice(start, cut))) break;
    cut = start;
    while (cut > 0 && isBlank(lines[cut - 1]!)) cut--;
  }
  if (cut === lines.length) return segments;
  const kept: Segment = { kind: "text", lines: lines.slice(0, cut) };
  const closing: Segment = { kind: "signature", lines: segments[lastText]!.lines.slice(cut) };
  return [...segments.slice(0, lastText), kept, closing, ...segments.slice(lastText + 1)];
}

export function unquote(lines: readonly string[]): string {
  return lines
    .map((l) => l.replace(QUOTE_MARKERS, "").trim())
    .filter((l) => l !== "")
    .join(" ");
}

function paragraphsOf(segments: readonly Segment[]): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let lastQuote: string | undefined;
  for (const segment of segments) {
    if (segment.kind === "quote") {
      lastQuote = unquote(segment.lines);
      continue;
    }
    if (segment.kind !== "text") continue;
    let current: string[] = [];
    const flush = () => {
      if (current.length > 0) {
        const text = current.join(" ");
        paragraphs.push(lastQuote === undefined ? { text } : { text, answers: lastQuote });
      }
      current = [];
    };
    for (const line of segment.lines) {
      if (isBlank(line)) flush();
      else current.push(line.trim());
    }
    flush();
  }
  return paragraphs;
}

/** Splits a reply body into segments and the author's own paragraphs. */
export function splitReply(body: string): ReplyText {
  const lines = body.replace(/\r\n?/g, "\n").split("\n");
  const segments = splitClosing(segmentLines(lines)).filter((s) => s.lines.some((l) => !isBlank(l)));
  return { segments, paragraphs: paragraphsOf(segments) };
}

/** The quoted passages that the author answered with text of their own below them. */
export function answeredQuotes(reply: ReplyText): string[] {
  const answered: string[] = [];
  reply.segments.forEach((segment, i) => {
    if (segment.kind !== "quote") return;
    const next = reply.segments.slice(i + 1).find((s) => s.kind === "text" || s.kind === "quote");
    if (next?.kind === "text") answered.push(unquote(segment.lines));
  });
  return answered;
}
