// Wording that misdescribes the change. Deliberately narrow: a missed weak case costs less than a reviewer
// bot nagging about ordinary prose.

import type { ClaimCheck } from "../../model.js";
import { oneLine, sentenceAround } from "./text.js";

const REGRESSION_RE = /\bregress(?:ion|ions|ed|es|ing)?\b/gi;

/** The sentence is about the default policy itself. */
const ABOUT_DEFAULT_RE =
  /\b(?:default\w*|strict|non-strict|lazy|behaviou?r|IOMMU_DEFAULT\w*|Kconfig|mode|policy|setting)\b/i;

/** A regression in the proper sense: a change that made things worse, named or bisected. */
const REAL_REGRESSION_RE =
  /introduced (?:by|in|with)|caused by|since commit|after commit|\bcommit [0-9a-f]{7,40}\b|\bbisect\w*|\b[0-9a-f]{12,40}\b|\bsince (?:v|kernel |linux )?\d{1,2}\.\d{1,2}/i;
const FIXES_TRAILER_RE = /^Fixes:[ \t]/im;

/** "no regression", "without regressions", "regression tests": not a claim about the default. */
const NEGATED_BEFORE_RE =
  /\b(?:no|not|never|without|any|avoids?|avoiding|prevents?|preventing|zero)[ \t](?:[A-Za-z-]{1,15}[ \t])?$/i;
const NOT_A_CLAIM_AFTER_RE = /^[ \t]?(?:tests?|testing|suites?|checks?|runs?)\b/i;

const NO_COST_RE =
  /\b(?:(?:no|zero|without(?: any)?)[ \t](?:real |significant |measurable |obvious |visible |)(?:downsides?|drawbacks?|costs?|penalty|trade-?offs?|disadvantages?|security (?:impact|implications?|risks?|costs?))|for free|free (?:performance|lunch|win|speed-?up)|pure win|no-brainer)\b/gi;
const ALWAYS_FASTER_RE = /\balways[ \t](?:faster|better|quicker|outperforms?|wins?|improves?|beneficial)\b/gi;
const NEGATED_FREE_RE = /\b(?:not|isn't|is not|no|never)[ \t](?:an?[ \t])?$/i;

/** The sentence is about lazy invalidation or the change to it. */
const ABOUT_LAZY_RE =
  /\b(?:lazy|non-strict|deferred|flush[- ]queue|DMA-FQ|iommu\.strict|this (?:change|patch)|the (?:change|patch)|default|switch\w*)\b/i;

const MAX_WORDING_CHECKS = 5;

export interface WordingContext {
  changedArches?: readonly string[];
}

function sentenceOf(text: string, start: number, end: number): string {
  const span = sentenceAround(text, start, end);
  return text.slice(span.start, span.end);
}

/** The sentence and the one before it, for "Make lazy the default. It is always faster." */
function withPreviousSentence(text: string, start: number, end: number): string {
  const span = sentenceAround(text, start, end);
  const back = Math.max(0, span.start - 2);
  return text.slice(sentenceAround(text, back, back).start, span.end);
}

function isArm64(text: string, context: WordingContext): boolean {
  if (context.changedArches?.some((a) => a.toLowerCase() === "arm64")) return true;
  return /\b(?:arm64|aarch64)\b/i.test(text);
}

function regressionNote(text: string, context: WordingContext): string {
  const history = isArm64(text, context)
    ? "arm64 has defaulted to strict invalidation since its IOMMU DMA support began (lazy mode came later)"
    : "a default that has been this way all along";
  return (
    `A regression is behaviour that became worse than it was; ${history}, so this is a long-standing ` +
    "trade-off, not a regression. Describe it as the cost of the current default."
  );
}

function isRegressionClaim(text: string, m: RegExpMatchArray, sentence: string): boolean {
  const before = text.slice(Math.max(0, m.index! - 30), m.index);
  const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 20);
  if (NEGATED_BEFORE_RE.test(before) || NOT_A_CLAIM_AFTER_RE.test(after)) return false;
  return ABOUT_DEFAULT_RE.test(sentence) && !REAL_REGRESSION_RE.test(sentence);
}

function regressionChecks(text: string, context: WordingContext): ClaimCheck[] {
  if (FIXES_TRAILER_RE.test(text)) return [];
  const checks: ClaimCheck[] = [];
  const flagged = new Set<string>();
  for (const m of text.matchAll(REGRESSION_RE)) {
    if (checks.length >= MAX_WORDING_CHECKS) break;
    const sentence = sentenceOf(text, m.index, m.index + m[0].length);
    if (flagged.has(sentence) || !isRegressionClaim(text, m, sentence)) continue;
    flagged.add(sentence);
    checks.push({
      kind: "wording",
      ok: false,
      claim: oneLine(sentence),
      note: regressionNote(text, context),
    });
  }
  return checks;
}

const NO_COST_NOTE =
  "Lazy invalidation is not free: until the flush queue is flushed, a device can still reach memory that was " +
  "already unmapped. State the trade-off instead of denying it.";
const ALWAYS_FASTER_NOTE =
  'The evidence does not support "always": lazy mode gains nothing where the IOMMU driver still invalidates on ' +
  "every unmap or the workload is not limited by unmap cost.";

function overstatementChecks(text: string): ClaimCheck[] {
  const checks: ClaimCheck[] = [];
  const flagged = new Set<string>();
  const scan = (re: RegExp, note: string) => {
    for (const m of text.matchAll(re)) {
      if (checks.length >= MAX_WORDING_CHECKS) break;
      if (NEGATED_FREE_RE.test(text.slice(Math.max(0, m.index - 12), m.index))) continue;
      const sentence = sentenceOf(text, m.index, m.index + m[0].length);
      const about = withPreviousSentence(text, m.index, m.index + m[0].length);
      if (flagged.has(sentence) || !ABOUT_LAZY_RE.test(about)) continue;
      flagged.add(sentence);
      checks.push({ kind: "wording", ok: false, claim: oneLine(sentence), note });
    }
  };
  scan(NO_COST_RE, NO_COST_NOTE);
  scan(ALWAYS_FASTER_RE, ALWAYS_FASTER_NOTE);
  return checks;
}

/** "Regression" for a long-standing default, and claims that lazy mode costs nothing or always wins. */
export function checkWording(text: string, context: WordingContext = {}): ClaimCheck[] {
  return [...regressionChecks(text, context), ...overstatementChecks(text)].slice(0, MAX_WORDING_CHECKS);
}
