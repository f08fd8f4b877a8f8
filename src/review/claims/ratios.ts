// Stated ratios ("2.67x", "2.67 times faster", "3-fold", "a 167% improvement") and the arithmetic check of
// each against the figures it summarises.

import type { ClaimCheck } from "../../model.js";
import { describeMeasurement, type Family, type Measurement, type MeasurementPair } from "./measurements.js";
import { isAboutCpu, percentChange } from "./percent-change.js";
import { decimalsOf, formatNumber, oneLine, type Span, sentenceAround } from "./text.js";

export type RatioKind = "times" | "increase" | "decrease";

/** How the message hedges the figure: "more than 2x", "nearly 3x", "about 2.7x". */
export type Qualifier = "exact" | "at-least" | "at-most" | "nearly" | "approx";

export interface StatedRatio {
  start: number;
  end: number;
  kind: RatioKind;
  value: number;
  /** The figure as written ("2.67"), for its precision. */
  numberText: string;
  qualifier: Qualifier;
  /** The qualifier's words as written ("more than"), empty for "exact". */
  qualifierText: string;
}

const TIMES_RE = /(?<![\w.,])(\d{1,6}(?:\.\d{1,4})?)[ \t]?(?:x|X|×)(?![\w×])(?![ \t]?\d)/g;
const TIMES_WORD_RE =
  /(?<![\w.,])(\d{1,6}(?:\.\d{1,4})?)[ \t]times[ \t](?:faster|higher|more|better|slower|lower|less|greater|the|as|over)\b/gi;
const FOLD_RE =
  /(?<![\w.,])(\d{1,4}(?:\.\d{1,3})?|two|three|four|five|six|seven|eight|nine|ten)[- ]?fold\b/gi;
const PERCENT_RE = /(?<![\w.,])(\d{1,6}(?:\.\d{1,3})?)[ \t]?%/g;

const NUMBER_WORDS: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
};

const QUALIFIERS: ReadonlyArray<[Qualifier, RegExp]> = [
  ["nearly", /(almost|nearly|close to|just under)[ \t](?:an?[ \t])?$/i],
  ["at-least", /(more than|over|above|at least|greater than|upwards of|>=?|≥)[ \t]?(?:an?[ \t])?$/i],
  ["at-most", /(less than|under|below|<=?|≤)[ \t]?(?:an?[ \t])?$/i],
  ["approx", /(about|around|roughly|approximately|approx\.?|circa|some|~|≈)[ \t]?(?:an?[ \t])?$/i],
];

/** A ratio counts only in a sentence about performance (not "2x the memory" or "4 x 25GbE"). */
const PERFORMANCE_WORDS =
  /\b(?:improv\w*|faster|slower|throughput|speed\w*|perform\w*|bandwidth|better|worse|gains?|higher|lower|increase\w*|decrease\w*|uplift|boost\w*|reduc\w*|degrad\w*|drop\w*|penalty|overhead|latency|IOPS|Gbps|more|less|regress\w*|difference)\b/i;

const FAMILY_HINTS: ReadonlyArray<[Family, RegExp]> = [
  ["iops", /\bIOPS\b/i],
  ["latency", /\blatenc(?:y|ies)\b/i],
  ["packet-rate", /\b(?:pps|packet rate|packets per second)\b/i],
  ["throughput", /\b(?:throughput|bandwidth|[GM]bps|[GM]B\/s)\b/i],
];

const MAX_RATIOS = 50;
/** Candidates looked at per pattern; random text can hold tens of thousands of "5x" or "7%". */
const MAX_CANDIDATES = 2000;
const MAX_ARITHMETIC_CHECKS = 12;

/** Cheap test that spares the word-form patterns a full scan of text that cannot match them. */
function mayHoldWordForm(text: string): boolean {
  return ["times", "Times", "TIMES", "fold", "Fold", "FOLD"].some((word) => text.includes(word));
}

function qualifierBefore(text: string, start: number): { qualifier: Qualifier; qualifierText: string } {
  const head = text.slice(Math.max(0, start - 24), start);
  for (const [qualifier, re] of QUALIFIERS) {
    const m = re.exec(head);
    if (m) return { qualifier, qualifierText: m[1]! };
  }
  return { qualifier: "exact", qualifierText: "" };
}

function stated(text: string, m: RegExpMatchArray, kind: RatioKind): StatedRatio {
  const numberText = m[1]!;
  const value = NUMBER_WORDS[numberText.toLowerCase()] ?? Number.parseFloat(numberText);
  const start = m.index!;
  return { start, end: start + m[0].length, kind, value, numberText, ...qualifierBefore(text, start) };
}

function percentRatios(text: string): StatedRatio[] {
  const found: StatedRatio[] = [];
  let looked = 0;
  for (const m of text.matchAll(PERCENT_RE)) {
    if (found.length >= MAX_RATIOS || ++looked > MAX_CANDIDATES) break;
    const end = m.index + m[0].length;
    const change = percentChange(text, m.index, end);
    if (change && !isAboutCpu(text, m.index, end)) found.push(stated(text, m, change));
  }
  return found;
}

function timesRatios(text: string, hasFigureIn: (s: Span) => boolean): StatedRatio[] {
  const found: StatedRatio[] = [];
  for (const re of [TIMES_RE, TIMES_WORD_RE, FOLD_RE]) {
    if (re !== TIMES_RE && !mayHoldWordForm(text)) continue;
    let looked = 0;
    for (const m of text.matchAll(re)) {
      if (found.length >= MAX_RATIOS || ++looked > MAX_CANDIDATES) break;
      const ratio = stated(text, m, "times");
      const sentence = sentenceAround(text, ratio.start, ratio.end);
      if (
        ratio.value > 0 &&
        (hasFigureIn(sentence) || PERFORMANCE_WORDS.test(text.slice(sentence.start, sentence.end)))
      ) {
        found.push(ratio);
      }
    }
  }
  return found;
}

/** Ratios stated in the message, in order of appearance. */
export function extractStatedRatios(text: string, measurements: readonly Measurement[]): StatedRatio[] {
  const hasFigureIn = (s: Span) => measurements.some((m) => m.start >= s.start && m.end <= s.end);
  return [...timesRatios(text, hasFigureIn), ...percentRatios(text)].sort((a, b) => a.start - b.start);
}

function familyHint(sentence: string): Family | undefined {
  return FAMILY_HINTS.find(([, re]) => re.test(sentence))?.[0];
}

function touches(pair: MeasurementPair, span: Span): boolean {
  return [pair.first, pair.second].some((m) => m.start >= span.start && m.end <= span.end);
}

/** The figures a ratio summarises: a pair in its sentence, else the nearest pair before it, else after it.
 * A word in the sentence naming a quantity (IOPS, latency, throughput) narrows the choice to that kind. */
function pairFor(
  text: string,
  ratio: StatedRatio,
  pairs: readonly MeasurementPair[],
): MeasurementPair | undefined {
  const span = sentenceAround(text, ratio.start, ratio.end);
  const hint = familyHint(text.slice(span.start, span.end));
  const ofHint = pairs.filter((p) => p.first.family === hint);
  const candidates = ofHint.length > 0 ? ofHint : pairs;
  const inSentence = candidates.find((p) => touches(p, span));
  if (inSentence) return inSentence;
  const before = candidates.filter((p) => p.second.end <= ratio.start).at(-1);
  return before ?? candidates.find((p) => p.first.start >= ratio.end);
}

interface Ordered {
  high: Measurement;
  low: Measurement;
  /** high / low */
  ratio: number;
}

function ordered(pair: MeasurementPair): Ordered {
  const [high, low] =
    pair.first.value >= pair.second.value ? [pair.first, pair.second] : [pair.second, pair.first];
  return { high, low, ratio: high.value / low.value };
}

function actualFor(ratio: StatedRatio, o: Ordered): number {
  if (ratio.kind === "increase") return (o.ratio - 1) * 100;
  if (ratio.kind === "decrease") return (1 - 1 / o.ratio) * 100;
  return ratio.value >= 1 ? o.ratio : 1 / o.ratio;
}

/** Half a unit of the last digit written, but never more than 10% of the figure (so "3x" does not cover
 * 2.67), and at least 1% (so a truncated "2.67" for 2.679 passes). */
function tolerance(ratio: StatedRatio): number {
  const halfUnit = 0.5 * 10 ** -decimalsOf(ratio.numberText);
  return Math.max(Math.min(halfUnit, 0.1 * ratio.value), 0.01 * ratio.value) + 1e-9;
}

function ratioHolds(ratio: StatedRatio, actual: number): boolean {
  const s = ratio.value;
  const tol = tolerance(ratio);
  switch (ratio.qualifier) {
    case "at-least":
      return actual >= s - tol;
    case "at-most":
      return actual <= s + tol;
    case "nearly":
      return actual <= s + tol && actual >= 0.9 * s;
    case "approx":
      return Math.abs(actual - s) <= Math.max(tol, 0.05 * s);
    case "exact":
      return Math.abs(actual - s) <= tol;
  }
}

function writtenRatio(ratio: StatedRatio): string {
  const figure = ratio.kind === "times" ? `${ratio.numberText}×` : `${ratio.numberText}%`;
  const qualified = ratio.qualifierText ? `${ratio.qualifierText} ${figure}` : figure;
  if (ratio.kind === "times") return qualified;
  return `${qualified} ${ratio.kind === "increase" ? "increase" : "drop"}`;
}

function near(a: number, b: number, ratio: StatedRatio): boolean {
  return Math.abs(a - b) <= tolerance(ratio);
}

/** Explains a wrong percentage when it is a well-known slip rather than a mismeasurement. */
function percentSlip(ratio: StatedRatio, o: Ordered): string {
  const increase = (o.ratio - 1) * 100;
  const drop = (1 - 1 / o.ratio) * 100;
  if (ratio.kind === "increase" && near(o.ratio * 100, ratio.value, ratio)) {
    return ` ${ratio.numberText}% is the ratio (${formatNumber(o.ratio, 2)}×) written as a percentage, not the increase.`;
  }
  if (ratio.kind === "decrease" && near(increase, ratio.value, ratio)) {
    return ` ${ratio.numberText}% is the increase measured from the lower figure, not the drop.`;
  }
  if (ratio.kind === "decrease" && ratio.value >= 100) return " A drop cannot exceed 100%.";
  if (ratio.kind === "increase" && near(drop, ratio.value, ratio)) {
    return ` ${ratio.numberText}% is the drop measured from the higher figure, not the increase.`;
  }
  return "";
}

function timesNote(ratio: StatedRatio, o: Ordered, actual: number, holds: boolean): string {
  const [top, bottom] = ratio.value >= 1 ? [o.high, o.low] : [o.low, o.high];
  const quotient = `${describeMeasurement(top)} / ${describeMeasurement(bottom)}`;
  if (holds) return `${quotient} = ${formatNumber(actual, 3)}, so the stated ${writtenRatio(ratio)} holds.`;
  return `${quotient} = ${formatNumber(actual, 2)}×, not ${writtenRatio(ratio)}.`;
}

function percentNote(ratio: StatedRatio, o: Ordered, actual: number, holds: boolean): string {
  const comparison =
    ratio.kind === "increase"
      ? `${describeMeasurement(o.high)} is ${formatNumber(actual, 1)}% above ${describeMeasurement(o.low)}`
      : `${describeMeasurement(o.low)} is ${formatNumber(actual, 1)}% below ${describeMeasurement(o.high)}`;
  if (holds) return `${comparison}, so the stated ${writtenRatio(ratio)} holds.`;
  return `${comparison} (${formatNumber(o.ratio, 2)}×), not ${ratio.numberText}%.${percentSlip(ratio, o)}`;
}

function checkStatedRatio(text: string, ratio: StatedRatio, pair: MeasurementPair): ClaimCheck {
  const o = ordered(pair);
  const actual = actualFor(ratio, o);
  const holds = ratioHolds(ratio, actual);
  const span = sentenceAround(text, ratio.start, ratio.end);
  const note =
    ratio.kind === "times" ? timesNote(ratio, o, actual, holds) : percentNote(ratio, o, actual, holds);
  return { kind: "arithmetic", ok: holds, claim: oneLine(text.slice(span.start, span.end)), note };
}

function pairClaim(text: string, pair: MeasurementPair): string {
  const literal = text.slice(pair.first.labelStart ?? pair.first.start, pair.second.end);
  if (literal.length <= 200) return oneLine(literal);
  return `${describeMeasurement(pair.first)}; ${describeMeasurement(pair.second)}`;
}

function unstatedRatio(text: string, pair: MeasurementPair): ClaimCheck {
  const o = ordered(pair);
  const note =
    `No ratio is stated; ${describeMeasurement(o.high)} / ${describeMeasurement(o.low)} = ` +
    `${formatNumber(o.ratio, 2)}× (${formatNumber((o.ratio - 1) * 100, 1)}% higher).`;
  return { kind: "arithmetic", ok: true, claim: pairClaim(text, pair), note };
}

/** One check per stated ratio that has figures to compare with, then the computed ratio of each remaining
 * pair as information. Nothing when the message has no figures. */
export function checkArithmetic(
  text: string,
  ratios: readonly StatedRatio[],
  pairs: readonly MeasurementPair[],
): ClaimCheck[] {
  const checks: ClaimCheck[] = [];
  const explained = new Set<MeasurementPair>();
  for (const ratio of ratios) {
    const pair = pairFor(text, ratio, pairs);
    if (!pair) continue;
    explained.add(pair);
    checks.push(checkStatedRatio(text, ratio, pair));
  }
  for (const pair of pairs) {
    if (!explained.has(pair)) checks.push(unstatedRatio(text, pair));
  }
  return checks.slice(0, MAX_ARITHMETIC_CHECKS);
}
