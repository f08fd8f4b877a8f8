import { readFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { findRuleFiles, RuleLoadError, shownPath } from "./files.js";
import { type RuleFile, ruleSchema } from "./schema.js";

export { RuleLoadError } from "./files.js";

export interface Rule extends RuleFile {
  /** The rule file, as given (for error messages and SARIF). */
  file: string;
  /** The folder holding the rule and its fixtures. */
  dir: string;
}

export function parseRule(text: string, file: string, dir: string): Rule {
  let data: unknown;
  try {
    data = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA }); // no timestamps: dates stay strings
  } catch (e) {
    const reason = (e as { reason?: string; mark?: { line: number } }) ?? {};
    const where = reason.mark ? `line ${reason.mark.line + 1}` : undefined;
    throw new RuleLoadError(file, where, `invalid YAML: ${reason.reason ?? (e as Error).message}`);
  }
  const parsed = ruleSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuleLoadError(file, issue.path.join(".") || undefined, issue.message);
  }
  return { ...parsed.data, file, dir } as Rule;
}

/** Loads and validates every rule in `dir`; the first bad file throws a RuleLoadError naming it. */
export function loadRules(dir: string): Rule[] {
  const rules = findRuleFiles(dir).map((file) =>
    parseRule(readFileSync(file, "utf8"), shownPath(file), join(file, "..")),
  );
  const seen = new Map<string, string>();
  for (const r of rules) {
    const other = seen.get(r.id);
    if (other) throw new RuleLoadError(r.file, "id", `duplicate rule id ${r.id} (also in ${other})`);
    seen.set(r.id, r.file);
  }
  if (rules.length === 0) throw new RuleLoadError(dir, undefined, "no rule files found");
  return rules;
}
