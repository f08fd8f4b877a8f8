// Benchmark figures in a commit message: a number with a unit ("14.9 Gbps", "600K IOPS"), the mode it was
// measured in when the text says so ("STRICT (default): 14.9 Gbps", "non-strict 1750K"), and pairs of figures
// that compare two modes.

import { percentChange } from "./percent-change.js";
import { lineEndWithin, lineStartWithin, SENTENCE_REACH, sentenceAround, sentenceText } from "./text.js";

export type Family = "throughput" | "iops" | "packet-rate" | "rate" | "latency" | "percent";

/** What a label says was measured; "default" alone is weaker than a named mode. */
export type Mode = "strict" | "lazy" | "passthrough" | "before" | "after";

export interface Measurement {
  /** Span of the figure (number, multiplier and unit) in the normalised message. */
  start: number;
  end: number;
  /** The figure as written, plus the unit when it was taken from a neighbour ("1750K" → "1750K IOPS"). */
  text: string;
  /** In the family's base unit: bit/s, operations/s, packets/s, ns, percent. */
  value: number;
  family: Family;
  mode?: Mode;
  /** How the message labels it, e.g. "STRICT (default)" or "lazy". */
  label?: string;
  /** Where the label starts, when it precedes the figure. */
  labelStart?: number;
}

export interface MeasurementPair {
  /** The earlier of the two in the message. */
  first: Measurement;
  second: Measurement;
}

interface UnitSpec {
  family: Family;
  factor: number;
  literals: string[];
}

const GIB = 2 ** 30;
const MIB = 2 ** 20;
const KIB = 2 ** 10;

const UNIT_SPECS: UnitSpec[] = [
  { family: "throughput", factor: 1e12, literals: ["Tbps", "Tbit/s", "Tbits/s", "Tb/s"] },
  {
    family: "throughput",
    factor: 1e9,
    literals: ["Gbps", "gbps", "Gbit/s", "Gbits/s", "Gbit/sec", "Gbits/sec", "Gb/s"],
  },
  {
    family: "throughput",
    factor: 1e6,
    literals: ["Mbps", "mbps", "Mbit/s", "Mbits/s", "Mbit/sec", "Mbits/sec", "Mb/s"],
  },
  { family: "throughput", factor: 1e3, literals: ["Kbps", "kbps", "Kbit/s", "kbit/s"] },
  { family: "throughput", factor: 8e9, literals: ["GB/s", "GBps", "GByte/s", "GBytes/s", "GBytes/sec"] },
  { family: "throughput", factor: 8e6, literals: ["MB/s", "MBps", "MByte/s", "MBytes/s", "MBytes/sec"] },
  { family: "throughput", factor: 8e3, literals: ["KB/s", "kB/s", "KBps", "kBps"] },
  { family: "throughput", factor: 8 * GIB, literals: ["GiB/s"] },
  { family: "throughput", factor: 8 * MIB, literals: ["MiB/s"] },
  { family: "throughput", factor: 8 * KIB, literals: ["KiB/s"] },
  { family: "iops", factor: 1, literals: ["IOPS", "iops", "IOPs"] },
  { family: "iops", factor: 1e3, literals: ["KIOPS", "kIOPS", "KIOPs"] },
  { family: "iops", factor: 1e6, literals: ["MIOPS"] },
  { family: "packet-rate", factor: 1, literals: ["pps"] },
  { family: "packet-rate", factor: 1e3, literals: ["Kpps", "kpps"] },
  { family: "packet-rate", factor: 1e6, literals: ["Mpps"] },
  {
    family: "rate",
    factor: 1,
    literals: [
      "ops/s",
      "ops/sec",
      "op/s",
      "req/s",
      "reqs/s",
      "requests/s",
      "requests/sec",
      "trans/s",
      "transactions/s",
      "transactions/sec",
      "msgs/s",
      "TPS",
      "RPS",
      "QPS",
    ],
  },
  { family: "latency", factor: 1, literals: ["ns", "nsec", "nsecs"] },
  { family: "latency", factor: 1e3, literals: ["us", "usec", "usecs", "µs", "μs"] },
  { family: "latency", factor: 1e6, literals: ["ms", "msec", "msecs"] },
  { family: "percent", factor: 1, literals: ["%"] },
];

const UNIT_BY_LITERAL = new Map<string, UnitSpec>(
  UNIT_SPECS.flatMap((spec) => spec.literals.map((literal) => [literal, spec] as const)),
);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

// Longest literal first, so "Gbits/sec" wins over "Gbits/s" and "msec" over "ms".
const UNIT_RE = new RegExp(
  `^[ \\t]?(${[...UNIT_BY_LITERAL.keys()]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join("|")})(?![A-Za-z0-9/])`,
);

/** A K/M multiplier: before a countable unit ("600K IOPS", "1.2 M pps") or standing alone ("1750K"). */
const MULTIPLIER_RE =
  /^[ \t]?([kKM])(?=[ \t]?(?:IOPS|iops|pps|ops\/|op\/|req|trans|TPS|RPS|QPS)|[^A-Za-z0-9]|$)/;

const RATIO_SUFFIX_RE = /^(?:[ \t]?[xX×](?![A-Za-z0-9])|[ \t]times\b|[- ]?fold\b)/;

const COUNTABLE: ReadonlySet<Family> = new Set(["iops", "packet-rate", "rate"]);

/** A decimal number that is not part of a word, a version ("6.12.74") or a list ("14,9"). */
const NUMBER_RE = /(?<![\w.,])(\d{1,3}(?:,\d{3}){1,4}|\d{1,12})(\.\d{1,6})?(?![.,]?\d)/g;

/** Figures for these families only count as benchmark results when the sentence says what they measure. */
const LATENCY_CONTEXT =
  /\b(?:latency|latencies|RTT|round[- ]trip|response time|completion time|p\d{2}|tail)\b/i;
const PERCENT_CONTEXT = /\b(?:CPU|utili[sz]ation|usage|load|idle|cycles|softirq|sys(?:tem)? time)\b/i;

const MODE_WORD_RE =
  /\b(non-?strict|strict[ \t]?=[ \t]?[01]|strict|lazy|deferred(?:[- ]flush)?|dma-fq|flush[- ]queue|passthrough|pass-through|identity|unpatched|patched|baseline|vanilla|before|after|without (?:the |this )?patch|with (?:the |this )?patch|default)\b/gi;

/** How far before a figure its label may start. */
const LABEL_REACH = 80;
/** How far after a figure a trailing label ("14.9 Gbps (strict)") may reach. */
const SUFFIX_REACH = 40;
/** A label longer than this is prose; the bare mode word is shown instead. */
const MAX_SHORT_LABEL = 24;
/** Work limits for pathological input. */
const MAX_NUMBERS = 5000;
const MAX_MEASUREMENTS = 400;

interface NumberToken {
  start: number;
  end: number;
  /** Number and multiplier as written. */
  text: string;
  value: number;
  unit?: UnitSpec;
  /** A ratio ("2.67x", "3-fold", "2 times"), never a figure. */
  isRatio: boolean;
}

type ModeWord = Mode | "default";

function modeOfWord(word: string): ModeWord {
  const w = word.toLowerCase().replace(/[ \t]/g, "");
  if (w.startsWith("non") || w === "strict=0" || w === "lazy") return "lazy";
  if (w.startsWith("deferred") || w === "dma-fq" || w.startsWith("flush")) return "lazy";
  if (w.startsWith("strict")) return "strict";
  if (w.startsWith("pass") || w === "identity") return "passthrough";
  if (w === "default") return "default";
  if (w.startsWith("without") || w === "unpatched" || w === "baseline" || w === "vanilla" || w === "before") {
    return "before";
  }
  return "after";
}

interface ModeFound {
  mode: Mode;
  /** The deciding word as written and where it starts in the segment. */
  word: string;
  index: number;
}

/** The mode a segment of text names: one distinct strict/lazy/passthrough word wins, else one distinct
 * before/after word, else "default" (read as "before"). Two different modes make it ambiguous. */
function modeOf(segment: string): ModeFound | undefined {
  const strong = new Map<Mode, ModeFound>();
  const weak = new Map<Mode, ModeFound>();
  let fallback: ModeFound | undefined;
  for (const m of segment.matchAll(MODE_WORD_RE)) {
    const mode = modeOfWord(m[1]!);
    const found = { word: m[1]!, index: m.index };
    const kept = mode === "before" || mode === "after" ? weak : strong;
    if (mode === "default") fallback ??= { mode: "before", ...found };
    else if (!kept.has(mode)) kept.set(mode, { mode, ...found });
  }
  if (strong.size > 0) return strong.size === 1 ? [...strong.values()][0] : undefined;
  if (weak.size > 0) return weak.size === 1 ? [...weak.values()][0] : undefined;
  return fallback;
}

function readUnit(text: string, end: number): { unit?: UnitSpec; multiplier: number; length: number } {
  let tail = text.slice(end, end + 24);
  let multiplier = 1;
  let length = 0;
  const mult = MULTIPLIER_RE.exec(tail);
  if (mult) {
    multiplier = mult[1] === "M" ? 1e6 : 1e3;
    length = mult[0].length;
    tail = tail.slice(length);
  }
  const unit = UNIT_RE.exec(tail);
  if (!unit) return { multiplier, length };
  const spec = UNIT_BY_LITERAL.get(unit[1]!)!;
  if (multiplier !== 1 && !COUNTABLE.has(spec.family)) return { multiplier: 1, length: 0 };
  return { unit: spec, multiplier, length: length + unit[0].length };
}

function readNumbers(text: string): NumberToken[] {
  const tokens: NumberToken[] = [];
  for (const m of text.matchAll(NUMBER_RE)) {
    if (tokens.length >= MAX_NUMBERS) break;
    const numberEnd = m.index + m[0].length;
    const { unit, multiplier, length } = readUnit(text, numberEnd);
    const value = Number.parseFloat(`${m[1]!.replace(/,/g, "")}${m[2] ?? ""}`) * multiplier;
    const end = numberEnd + length;
    const isRatio = !unit && RATIO_SUFFIX_RE.test(text.slice(numberEnd, numberEnd + 8));
    tokens.push({ start: m.index, end, text: text.slice(m.index, end).trim(), value, unit, isRatio });
  }
  return tokens;
}

/** A unit-bearing figure that is a benchmark result (latency and percentages need a word saying so). */
function isResult(text: string, token: NumberToken): boolean {
  const family = token.unit?.family;
  if (family === "latency") return LATENCY_CONTEXT.test(sentenceText(text, token.start, token.end));
  if (family === "percent") {
    if (percentChange(text, token.start, token.end)) return false;
    return PERCENT_CONTEXT.test(sentenceText(text, token.start, token.end));
  }
  return family !== undefined;
}

const CONNECTOR_RE = /^[ \t]*(?:vs\.?|versus|->|→|=>|to|and|\/)[ \t]*$/i;

/** A bare number takes the unit of a figure it is compared with: "14.9 vs 39.8 Gbps" (connected to the next
 * figure), or "strict 600K IOPS ... non-strict 1750K" (labelled with a mode, same sentence as a figure). */
function adoptedUnit(
  text: string,
  tokens: NumberToken[],
  i: number,
  isFigure: (t: NumberToken) => boolean,
): UnitSpec | undefined {
  const token = tokens[i]!;
  const next = tokens[i + 1];
  if (next && isFigure(next) && CONNECTOR_RE.test(text.slice(token.end, next.start))) return next.unit;
  const prefixStart = Math.max(lineStartWithin(text, token.start, LABEL_REACH), tokens[i - 1]?.end ?? 0);
  if (!modeOf(text.slice(prefixStart, token.start))) return undefined;
  const sentence = sentenceAround(text, token.start, token.end);
  for (let j = i - 1; j >= 0 && tokens[j]!.start >= sentence.start; j--) {
    if (isFigure(tokens[j]!)) return tokens[j]!.unit;
  }
  for (let j = i + 1; j < tokens.length && tokens[j]!.end <= sentence.end; j++) {
    if (isFigure(tokens[j]!)) return tokens[j]!.unit;
  }
  return undefined;
}

function unitSuffix(spec: UnitSpec): string {
  const literal = spec.literals[0]!;
  return literal === "%" ? literal : ` ${literal}`;
}

function toMeasurement(token: NumberToken, unit: UnitSpec, adopted: boolean): Measurement {
  return {
    start: token.start,
    end: token.end,
    text: adopted ? `${token.text}${unitSuffix(unit)}` : token.text,
    value: token.value * unit.factor,
    family: unit.family,
  };
}

/** Strips punctuation around a prefix label: "  STRICT (default): " → "STRICT (default)". */
function tidyLabel(s: string): string {
  return s.replace(/^[\s.,;:()*•\-–—]+/, "").replace(/[\s:=,;(\-–—]+$/, "");
}

function labelFromPrefix(text: string, m: Measurement, segmentStart: number): boolean {
  const prefix = text.slice(segmentStart, m.start);
  const found = modeOf(prefix);
  if (!found) return false;
  const tidy = tidyLabel(prefix);
  const short =
    tidy.length <= MAX_SHORT_LABEL &&
    !/(?<!=)\d/.test(tidy) &&
    tidy.toLowerCase().startsWith(found.word.toLowerCase());
  m.mode = found.mode;
  m.label = short ? tidy : found.word;
  m.labelStart = short ? m.start - prefix.length + prefix.indexOf(tidy) : segmentStart + found.index;
  return true;
}

/** Returns where the trailing label ends, or undefined when there is none. */
function labelFromSuffix(text: string, m: Measurement, nextStart: number): number | undefined {
  let end = Math.min(nextStart, m.end + SUFFIX_REACH, lineEndWithin(text, m.end, SUFFIX_REACH));
  const stop = text.slice(m.end, end).search(/[,;]/);
  if (stop >= 0) end = m.end + stop;
  const found = modeOf(text.slice(m.end, end));
  if (!found) return undefined;
  m.mode = found.mode;
  m.label = found.word;
  return end;
}

/** A figure with the numbers around it: a label never reaches past another number ("Lazy gives 2.67 times
 * more: 14.9 -> 39.8 Gbps" does not label 14.9 as lazy). */
interface Placed {
  measurement: Measurement;
  previousNumberEnd: number;
  nextNumberStart: number;
}

function assignLabels(text: string, placed: Placed[]): void {
  let consumed = 0;
  for (const { measurement: m, previousNumberEnd, nextNumberStart } of placed) {
    const segmentStart = Math.max(lineStartWithin(text, m.start, LABEL_REACH), consumed, previousNumberEnd);
    consumed = m.end;
    if (labelFromPrefix(text, m, segmentStart)) continue;
    consumed = labelFromSuffix(text, m, nextNumberStart) ?? m.end;
  }
}

/** The "1" of "strict=1" belongs to a label, so it does not cut one off. */
function isLabelDigit(text: string, token: NumberToken): boolean {
  return text[token.start - 1] === "=";
}

function place(text: string, tokens: NumberToken[], i: number, measurement: Measurement): Placed {
  let before = i - 1;
  while (before >= 0 && isLabelDigit(text, tokens[before]!)) before--;
  let after = i + 1;
  while (after < tokens.length && isLabelDigit(text, tokens[after]!)) after++;
  return {
    measurement,
    previousNumberEnd: tokens[before]?.end ?? 0,
    nextNumberStart: tokens[after]?.start ?? text.length,
  };
}

/** A bare number can only take a unit from a figure in its sentence, so only those close to one are worth
 * examining; in random text this skips nearly all of them. */
function nearFigureFlags(tokens: NumberToken[], isFigure: (t: NumberToken) => boolean): boolean[] {
  const reach = 2 * SENTENCE_REACH;
  const near = tokens.map(() => false);
  let lastFigureEnd = -Infinity;
  tokens.forEach((t, i) => {
    if (isFigure(t)) lastFigureEnd = t.end;
    near[i] = t.start - lastFigureEnd <= reach;
  });
  let nextFigureStart = Infinity;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (isFigure(t)) nextFigureStart = t.start;
    near[i] = near[i]! || nextFigureStart - t.end <= reach;
  }
  return near;
}

/** Benchmark figures in order of appearance, labelled with the mode they were measured in where stated. */
export function extractMeasurements(text: string): Measurement[] {
  const tokens = readNumbers(text);
  const figures = new Set(tokens.filter((t) => isResult(text, t)));
  const isFigure = (t: NumberToken) => figures.has(t);
  const nearFigure = nearFigureFlags(tokens, isFigure);
  const placed: Placed[] = [];
  tokens.forEach((token, i) => {
    if (placed.length >= MAX_MEASUREMENTS) return;
    if (token.unit) {
      if (isFigure(token)) placed.push(place(text, tokens, i, toMeasurement(token, token.unit, false)));
      return;
    }
    const bare = nearFigure[i] && !token.isRatio && !isLabelDigit(text, token);
    const adopted = bare ? adoptedUnit(text, tokens, i, isFigure) : undefined;
    if (adopted) placed.push(place(text, tokens, i, toMeasurement(token, adopted, true)));
  });
  assignLabels(text, placed);
  return placed.map((p) => p.measurement);
}

function contrasting(a: Measurement, b: Measurement): boolean {
  if (!a.mode || !b.mode || a.mode === b.mode) return false;
  const beforeAfter = (m: Mode) => m === "before" || m === "after";
  return beforeAfter(a.mode) === beforeAfter(b.mode);
}

const PAIR_CONNECTOR_RE = /\b(?:vs|versus|to|compared)\b|->|→|=>/i;
const MAX_CONNECTOR_GAP = 30;

function connected(text: string, a: Measurement, b: Measurement): boolean {
  const between = text.slice(a.end, b.start);
  return between.length <= MAX_CONNECTOR_GAP && PAIR_CONNECTOR_RE.test(between);
}

function pairWithinFamily(text: string, group: Measurement[]): MeasurementPair[] {
  const pairs: MeasurementPair[] = [];
  const used = new Set<Measurement>();
  const take = (first: Measurement, second: Measurement) => {
    pairs.push({ first, second });
    used.add(first).add(second);
  };
  group.forEach((m, i) => {
    if (used.has(m)) return;
    const partner = group.slice(i + 1).find((other) => !used.has(other) && contrasting(m, other));
    if (partner) take(m, partner);
  });
  group.forEach((m, i) => {
    const next = group[i + 1];
    if (next && !used.has(m) && !used.has(next) && connected(text, m, next)) take(m, next);
  });
  if (pairs.length === 0 && group.length === 2) take(group[0]!, group[1]!);
  return pairs.sort((a, b) => a.first.start - b.first.start);
}

/** Pairs of comparable figures: contrasting modes (strict/lazy, before/after), figures joined by "vs"/"to", or
 * the only two figures of a kind. Percentages are not paired: a ratio of utilisations says little. */
export function pairMeasurements(text: string, measurements: Measurement[]): MeasurementPair[] {
  const byFamily = new Map<Family, Measurement[]>();
  for (const m of measurements) {
    if (m.family === "percent" || m.value <= 0) continue;
    const group = byFamily.get(m.family);
    if (group) group.push(m);
    else byFamily.set(m.family, [m]);
  }
  return [...byFamily.values()]
    .flatMap((group) => pairWithinFamily(text, group))
    .sort((a, b) => a.first.start - b.first.start);
}

/** "LAZY 39.8 Gbps" or "39.8 Gbps". */
export function describeMeasurement(m: Measurement): string {
  return m.label ? `${m.label} ${m.text}` : m.text;
}
