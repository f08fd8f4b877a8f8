import { literalAlternation, requiredLiterals } from "../../ingest/regex-literals.js";
import type { HunkLine } from "../../model.js";
import type { Hit, RuleContext } from "../context.js";
import { matchesAny } from "../glob.js";
import type { Rule } from "../load.js";

// Kind c-code: added or removed source lines that match one of the rule's patterns. Comment lines are
// ignored, so a comment that mentions iommu_set_dma_strict() does not fire.

const isComment = (text: string) => /^\s*(\/\/|\/\*|\*)/.test(text);

const matchers = new WeakMap<Rule, (text: string) => boolean>();

/**
 * Whether a line matches one of the rule's patterns, compiled once per rule. Each pattern is tried only on
 * lines holding a literal every one of its matches contains (ingest/regex-literals.ts): most changed lines
 * hold none, and a plain substring search is far cheaper than the patterns' comment-skipping prefix.
 */
function lineMatcher(rule: Rule): (text: string) => boolean {
  let matcher = matchers.get(rule);
  if (!matcher) {
    const gated = (rule.match.patterns ?? []).map((p) => ({
      re: new RegExp(p),
      literals: requiredLiterals(p),
    }));
    // When every pattern has literals, one search for any of them turns away most lines at once.
    const anyLiteral = gated.every((g) => g.literals)
      ? literalAlternation(gated.flatMap((g) => g.literals!))
      : undefined;
    matcher = (text) =>
      (!anyLiteral || anyLiteral.test(text)) &&
      gated.some(
        ({ re, literals }) => (!literals || literals.some((l) => text.includes(l))) && re.test(text),
      );
    matchers.set(rule, matcher);
  }
  return matcher;
}

export function cCodeHits(rule: Rule, ctx: RuleContext): Hit[] {
  const matches = lineMatcher(rule);
  const hits: Hit[] = [];
  for (const file of ctx.patch.files) {
    if (!matchesAny(file.path, rule.match.paths) || matchesAny(file.path, rule.match.excludePaths)) continue;
    const changed: HunkLine[] = [];
    for (const h of file.hunks)
      for (const l of h.lines)
        if (l.kind !== "context" && matches(l.text) && !isComment(l.text)) changed.push(l);
    if (changed.length === 0) continue;
    const addedTexts = new Set(changed.filter((l) => l.kind === "add").map((l) => l.text.trim()));
    const removedTexts = new Set(changed.filter((l) => l.kind === "del").map((l) => l.text.trim()));
    // A line removed and added back unchanged (re-indented, moved within the file) changes nothing.
    const real = changed.filter((l) => !(addedTexts.has(l.text.trim()) && removedTexts.has(l.text.trim())));
    if (real.length === 0) continue;
    const first = real.find((l) => l.kind === "add") ?? real[0]!;
    hits.push({
      path: file.path,
      line: first.kind === "add" ? first.newLine! : first.oldLine!,
      side: first.kind === "add" ? "new" : "old",
      table: [],
      quote: real,
      changed: real,
      vars: {
        subject: file.path,
        path: file.path,
        matched: real
          .slice(0, 3)
          .map((l) => `${l.kind === "add" ? "+" : "-"}${l.text.trim()}`)
          .join("; "),
        changes: "",
        changedArches: "",
        basis: "",
      },
    });
  }
  return hits;
}
