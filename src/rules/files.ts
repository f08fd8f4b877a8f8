import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { FileFieldError } from "../parse/errors.js";

// Finding rule files, and the error that names a bad one. No YAML or schema here: the dry run's cached path
// (cache.ts) uses this module without loading either.

/** A rule file that cannot be used; the message names the file and the field. */
export class RuleLoadError extends FileFieldError {
  override name = "RuleLoadError";
}

export const isRuleFile = (name: string) => name === "rule.yaml" || name === "rule.yml";

/** Rule files under `dir`: `<id>/rule.yaml` folders, or `*.yaml` files directly in `dir`. */
export function findRuleFiles(dir: string): string[] {
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

/** How a rule file is named in messages: relative to the working directory when it is below it. */
export function shownPath(file: string): string {
  const shown = relative(process.cwd(), file) || file;
  return shown.startsWith("..") ? file : shown;
}
