import { matchesAny } from "../rules/glob.js";
import type { Rule } from "../rules/load.js";
import type { ChangedFile } from "./api.js";

/** Whether some rule looks at `path` at all (its path globs, minus its exclusions). */
export function isWatched(
  path: string,
  rules: readonly Rule[],
  ignorePaths: readonly string[] = [],
): boolean {
  if (matchesAny(path, ignorePaths)) return false;
  return rules.some((r) => matchesAny(path, r.match.paths) && !matchesAny(path, r.match.excludePaths));
}

/** The changed files some rule watches; a rename counts when either name is watched. */
export function watchedFiles(
  files: readonly ChangedFile[],
  rules: readonly Rule[],
  ignorePaths: readonly string[] = [],
): ChangedFile[] {
  return files.filter(
    (f) =>
      isWatched(f.filename, rules, ignorePaths) ||
      (f.previous_filename !== undefined && isWatched(f.previous_filename, rules, ignorePaths)),
  );
}

/** Kconfig files and config files (defconfigs, fragments): the ones whose whole text the engine can use. */
export function isKconfigOrConfigFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf("/") + 1);
  return (
    name.startsWith("Kconfig") ||
    name.includes("defconfig") ||
    name.endsWith(".config") ||
    /^arch\/[^/]+\/configs\//.test(path) ||
    path.startsWith("kernel/configs/")
  );
}
