import { createHash } from "node:crypto";
import { type Argument, type Finding, SEVERITIES, type Severity } from "../model.js";
import type { Hit, RuleContext } from "./context.js";
import { cCodeHits } from "./kinds/c-code.js";
import { configSettingHits } from "./kinds/config-setting.js";
import { kconfigHits } from "./kinds/kconfig.js";
import type { Rule } from "./load.js";

const HITS_BY_KIND = {
  "kconfig-choice-default": kconfigHits,
  "kconfig-default": kconfigHits,
  "config-setting": configSettingHits,
  "c-code": cCodeHits,
} as const;

/** Fills {placeholders}; an unknown placeholder is left as written so a typo shows in the output. */
export function fillTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (all, name: string) => vars[name] ?? all).trim();
}

/** Stable across re-runs and rebases: the rule, the path and the changed lines without white space. */
export function fingerprintOf(rule: string, hit: Hit): string {
  const h = createHash("sha256");
  h.update(`${rule}\0${hit.path}\0`);
  for (const l of hit.changed) h.update(`${l.kind}:${l.text.replace(/\s+/g, " ").trim()}\n`);
  return h.digest("hex").slice(0, 16);
}

function cap(sev: Severity, limit?: Severity): Severity {
  if (!limit) return sev;
  return SEVERITIES.indexOf(sev) > SEVERITIES.indexOf(limit) ? limit : sev;
}

/** A rule's argument as findings carry it: without the digest's cues, its sources reduced to where they are. */
function toArgument({ cues: _cues, sources, ...a }: Rule["arguments"][number]): Argument {
  const sourceIds = [
    ...new Set([a.where, ...(sources ?? []).map((s) => s.where)].filter((w): w is string => !!w)),
  ];
  return {
    ...a,
    category: a.category as Argument["category"],
    ...(sourceIds.length > 0 && { sourceIds }),
  };
}

export function evaluateRule(rule: Rule, ctx: RuleContext): Finding[] {
  return HITS_BY_KIND[rule.match.kind](rule, ctx).map((hit) => ({
    rule: rule.id,
    severity: cap(rule.severity as Severity, hit.severityCap),
    title: rule.title,
    message: fillTemplate((hit.noEffect && rule.messageNoEffect) || rule.message, hit.vars),
    path: hit.path,
    line: hit.line,
    side: hit.side,
    subject: hit.subject,
    table: hit.table,
    ...(hit.unaffected?.length ? { unaffected: hit.unaffected } : {}),
    ...(hit.visibility?.length ? { visibility: hit.visibility } : {}),
    basis: hit.basis,
    // The thread digest's cue patterns stay in the rule; a finding carries only the argument itself.
    arguments: rule.arguments.map(toArgument),
    quote: hit.quote,
    fingerprint: fingerprintOf(rule.id, hit),
  }));
}
