// What the loaded rules look at, in terms the prefilter can test on a patch body without parsing its hunks:
// the path globs of each rule and, for rules that only fire on certain changed lines, literal strings one of
// which such a line must contain. Derived from the rule data, so a new rule is watched without code changes;
// a kind this file does not know is treated as "any change to a matching path may matter".

import { matchesAny } from "../rules/glob.js";
import { isKconfigPath } from "../rules/kinds/kconfig.js";
import type { Rule } from "../rules/load.js";
import type { DiffFile } from "./diff-files.js";
import { literalAlternation, requiredLiterals } from "./regex-literals.js";

export interface RuleWatch {
  rule: string;
  paths: readonly string[];
  excludePaths: readonly string[];
  /** The kconfig kinds only look at Kconfig files (rules/kinds/kconfig.ts). */
  kconfigFilesOnly: boolean;
  /**
   * Changed lines that can fire the rule contain one of these (global, for exec loops); undefined when any
   * change to a matching file may fire it.
   */
  lineLiterals?: RegExp;
  /**
   * c-code rules that read a whole function or table (match.functions, tables, hooks): the file's section of the
   * diff (hunk headers and context included) contains one of these wherever such a change is.
   */
  sectionLiterals?: RegExp;
}

export interface Watch {
  rules: readonly RuleWatch[];
  /** Every rule's literals in one alternation, when every rule has some: one search turns most messages away. */
  anyLiteral?: RegExp;
}

export function compileWatch(rules: readonly Rule[]): Watch {
  const watches = rules.map(ruleWatch);
  const literals: string[] = [];
  for (const rule of rules) {
    const m = rule.match;
    if (m.kind === "kconfig-choice-default" || m.kind === "kconfig-default") literals.push("Kconfig");
    else {
      const line = lineLiteralsOf(rule);
      const section = sectionLiteralsOf(rule);
      if (!line || section === null) return { rules: watches };
      literals.push(...line, ...(section ?? []));
    }
  }
  return { rules: watches, anyLiteral: literalAlternation(literals) };
}

function ruleWatch(rule: Rule): RuleWatch {
  const m = rule.match;
  const watch: RuleWatch = {
    rule: rule.id,
    paths: m.paths,
    excludePaths: m.excludePaths ?? [],
    kconfigFilesOnly: m.kind === "kconfig-choice-default" || m.kind === "kconfig-default",
  };
  const literals = lineLiteralsOf(rule);
  if (literals) watch.lineLiterals = literalAlternation(literals, "g");
  const section = sectionLiteralsOf(rule);
  if (section === null) delete watch.lineLiterals;
  else if (section) watch.sectionLiterals = literalAlternation(section, "g");
  return watch;
}

/** Literals of the functions, tables and hooks a c-code rule reads; null when one of them has none. */
function sectionLiteralsOf(rule: Rule): string[] | null | undefined {
  const m = rule.match;
  if (m.kind !== "c-code") return undefined;
  const sources = [...(m.functions ?? []), ...(m.hooks ?? []), ...(m.tables ?? [])];
  if (sources.length === 0) return undefined;
  const literals: string[] = [];
  for (const source of sources) {
    const required = requiredLiterals(source);
    if (!required) return null;
    literals.push(...required);
  }
  return literals;
}

/**
 * rules/kinds/c-code.ts fires on a changed line one of the patterns matches; rules/kinds/config-setting.ts
 * on a changed line that sets one of the symbols (CONFIG_<symbol>=…, "# CONFIG_<symbol> is not set") or that
 * a pattern matches. The kconfig kinds depend on the whole entry, which the hunk may not show.
 */
function lineLiteralsOf(rule: Rule): string[] | undefined {
  const m = rule.match;
  if (m.kind !== "c-code" && m.kind !== "config-setting") return undefined;
  const literals = m.kind === "config-setting" ? [...(m.symbols ?? [])] : [];
  for (const pattern of m.patterns ?? []) {
    const required = requiredLiterals(pattern);
    if (!required) return undefined;
    literals.push(...required);
  }
  return literals.length > 0 ? literals : undefined;
}

/**
 * False when no rule can fire on any diff in `text`, told without finding its files: no Kconfig path for the
 * kconfig kinds, and none of a rule's literals anywhere (changed lines or not) for the others. True means
 * only that touchesWatched must decide.
 */
export function mayTouchWatched(text: string, watch: Watch): boolean {
  if (watch.anyLiteral && !watch.anyLiteral.test(text)) return false;
  return watch.rules.some((rule) => {
    if (rule.kconfigFilesOnly) return text.includes("Kconfig");
    if (!rule.lineLiterals) return true;
    rule.lineLiterals.lastIndex = 0;
    if (rule.lineLiterals.test(text)) return true;
    if (!rule.sectionLiterals) return false;
    rule.sectionLiterals.lastIndex = 0;
    return rule.sectionLiterals.test(text);
  });
}

/** Whether some rule could fire on these files of `text` (the body their sections index into). */
export function touchesWatched(text: string, files: readonly DiffFile[], watch: Watch): boolean {
  for (const file of files) {
    for (const rule of watch.rules) {
      if (rule.kconfigFilesOnly && !isKconfigPath(file.path)) continue;
      if (!matchesAny(file.path, rule.paths) || matchesAny(file.path, rule.excludePaths)) continue;
      const section = text.slice(file.start, file.end);
      if (!rule.lineLiterals || changedLineContains(section, rule.lineLiterals)) return true;
      if (rule.sectionLiterals) {
        rule.sectionLiterals.lastIndex = 0;
        if (rule.sectionLiterals.test(section)) return true;
      }
    }
  }
  return false;
}

/** Whether a line starting with "+" or "-" contains a match of `literals`. */
function changedLineContains(section: string, literals: RegExp): boolean {
  literals.lastIndex = 0;
  for (let m = literals.exec(section); m; m = literals.exec(section)) {
    const lineStart = section.lastIndexOf("\n", m.index - 1) + 1;
    const marker = section.charCodeAt(lineStart);
    if (marker === 0x2b || marker === 0x2d) return true;
    literals.lastIndex = m.index + 1;
  }
  return false;
}
