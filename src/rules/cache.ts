import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { findRuleFiles, shownPath } from "./files.js";
import type { Rule } from "./load.js";

// Validated rules, cached by content. The build (scripts/cache-rules.mjs) validates the shipped rules once and
// writes the result beside the compiled loader; a dry run whose rule files and schema are byte-identical to
// what was validated reuses it and skips YAML parsing and schema validation (zod alone costs ~45 ms of start-up).
// Anything different, a user's --rules folder included, is validated in full by load.ts.

const CACHE_FILE = fileURLToPath(new URL("./validated-rules.json", import.meta.url));
const SCHEMA_FILE = fileURLToPath(new URL("./schema.js", import.meta.url));

interface CacheFile {
  key: string;
  rules: { path: string; rule: Omit<Rule, "file" | "dir"> }[];
}

function contentKey(dir: string, files: readonly string[]): string {
  const h = createHash("sha256");
  try {
    h.update(readFileSync(SCHEMA_FILE));
  } catch {
    h.update("no compiled schema");
  }
  for (const f of files) h.update(`\0${relative(dir, f)}\0`).update(readFileSync(f));
  return h.digest("hex");
}

function readCache(dir: string, cacheFile: string): Rule[] | undefined {
  let cache: CacheFile;
  try {
    cache = JSON.parse(readFileSync(cacheFile, "utf8")) as CacheFile;
  } catch {
    return undefined;
  }
  const files = findRuleFiles(dir);
  if (cache.key !== contentKey(dir, files)) return undefined;
  return cache.rules.map(({ path, rule }) => {
    const file = join(dir, path);
    return { ...rule, file: shownPath(file), dir: join(file, "..") } as Rule;
  });
}

/** Rules from the cache when their content was validated at build time, else loaded and validated now. */
export async function loadRulesQuickly(dir: string, cacheFile = CACHE_FILE): Promise<Rule[]> {
  const cached = readCache(dir, cacheFile);
  if (cached) return cached;
  const { loadRules } = await import("./load.js");
  return loadRules(dir);
}

/** Validates the rules in `dir` and records them for loadRulesQuickly (run by the build). */
export async function writeRulesCache(dir: string, cacheFile = CACHE_FILE): Promise<number> {
  const { loadRules } = await import("./load.js");
  const rules = loadRules(dir);
  const files = findRuleFiles(dir);
  const byFile = new Map(rules.map((r) => [r.file, r]));
  const entries = files.map((f) => {
    const { file: _file, dir: _dir, ...rule } = byFile.get(shownPath(f))!;
    return { path: relative(dir, f), rule };
  });
  const cache: CacheFile = { key: contentKey(dir, files), rules: entries };
  writeFileSync(cacheFile, JSON.stringify(cache));
  return entries.length;
}
