import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import yaml from "js-yaml";
import { type RuleFile, ruleSchema } from "./schema.js";

export interface Rule extends RuleFile {
  /** The rule file, as given (for error messages and SARIF). */
  file: string;
  /** The folder holding the rule and its fixtures. */
  dir: string;
}

/** A rule file that cannot be used; the message names the file and the field. */
export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(field ? `${file}: ${field}: ${problem}` : `${file}: ${problem}`);
    this.name = "RuleLoadError";
  }
}

const isRuleFile = (name: string) => name === "rule.yaml" || name === "rule.yml";

/** Rule files under `dir`: `<id>/rule.yaml` folders, or `*.yaml` files directly in `dir`. */
function findRuleFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new RuleLoadError(
      dir,
      undefined,
      `cannot read rules folder (${(e as NodeJS.ErrnoException).code})`,
    );
  }
  const files: string[] = [];
  for (const name of names) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      const inner = readdirSync(p).find(isRuleFile);
      if (inner) files.push(join(p, inner));
    } else if (/\.ya?ml$/.test(name)) files.push(p);
  }
  return files;
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
  const rules = findRuleFiles(dir).map((file) => {
    const text = readFileSync(file, "utf8");
    const shown = relative(process.cwd(), file) || file;
    const rule = parseRule(text, shown.startsWith("..") ? file : shown, join(file, ".."));
    return rule;
  });
  const seen = new Map<string, string>();
  for (const r of rules) {
    const other = seen.get(r.id);
    if (other) throw new RuleLoadError(r.file, "id", `duplicate rule id ${r.id} (also in ${other})`);
    seen.set(r.id, r.file);
  }
  if (rules.length === 0) throw new RuleLoadError(dir, undefined, "no rule files found");
  return rules;
}
