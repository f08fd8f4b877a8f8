import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, normalize, relative } from "node:path";
import type { FileSource } from "../model.js";
import type { ArchInfo } from "./arches.js";
import { archLookup } from "./arches.js";
import type { SymbolResolver } from "./effective.js";
import { evaluate } from "./evaluate.js";
import type { Expr } from "./expr.js";
import { parseKconfig, viewOf } from "./parse.js";

// A kernel source tree (--tree DIR): whole pre-images for the Kconfig engine, and per-architecture
// resolution of driver symbols through their `depends on` and where they are defined.

/** Throws with a one-line message when `dir` does not look like a kernel tree. */
export function checkKernelTree(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: not a directory`);
  if (!existsSync(join(dir, "Kconfig")) || !existsSync(join(dir, "arch")))
    throw new Error(`${dir}: not a kernel source tree (no top-level Kconfig or arch/)`);
}

function insideTree(dir: string, path: string): string | undefined {
  if (isAbsolute(path)) return undefined;
  const full = normalize(join(dir, path));
  return relative(dir, full).startsWith("..") ? undefined : full;
}

export function treeFileSource(dir: string): FileSource {
  return {
    before(path) {
      const full = insideTree(dir, path);
      if (!full) return undefined;
      try {
        return readFileSync(full, "utf8");
      } catch {
        return undefined;
      }
    },
    describe: () => `kernel tree ${dir}`,
  };
}

interface Definition {
  /** Architecture whose Kconfig defines it (arch/<dir>/...), or undefined for common code. */
  arch?: string;
  conditions: Expr[];
  /** It has a default other than a plain n. */
  hasDefault: boolean;
}

interface TreeIndex {
  definitions: Map<string, Definition[]>;
  /** Symbols some entry selects or implies. */
  selected: Set<string>;
}

const SKIP_DIRS = new Set([".git", "Documentation", "tools", "scripts", "include", "LICENSES", "usr"]);

function kconfigFiles(dir: string, rel = ""): string[] {
  const out: string[] = [];
  for (const d of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) {
      if (!SKIP_DIRS.has(d.name)) out.push(...kconfigFiles(dir, p));
    } else if (d.name.startsWith("Kconfig")) out.push(p);
  }
  return out;
}

function archOfPath(path: string): string | undefined {
  if (path.startsWith("arch/x86/um/")) return "um"; // UML sources this x86 file, x86 does not
  const m = /^arch\/([^/]+)\//.exec(path);
  return m ? m[1] : undefined;
}

function buildIndex(dir: string): TreeIndex {
  const definitions = new Map<string, Definition[]>();
  const selected = new Set<string>();
  for (const path of kconfigFiles(dir)) {
    const text = readFileSync(join(dir, path), "utf8");
    const entries = parseKconfig(viewOf(text));
    for (const e of entries) {
      for (const s of e.selects) selected.add(s);
      if (e.kind === "choice" || !e.name) continue;
      const defs = definitions.get(e.name) ?? [];
      const hasDefault = e.defaults.some((d) => !(d.value.type === "sym" && d.value.name === "n"));
      defs.push({ arch: archOfPath(path), conditions: [...e.enclosing, ...e.dependsOn], hasDefault });
      definitions.set(e.name, defs);
    }
  }
  return { definitions, selected };
}

const indexes = new Map<string, TreeIndex>();
function treeIndex(dir: string): TreeIndex {
  let index = indexes.get(dir);
  if (!index) {
    index = buildIndex(dir);
    indexes.set(dir, index);
  }
  return index;
}

/**
 * True when a symbol left out of a defconfig is n there: it has no default and nothing selects or implies it,
 * so `make savedefconfig` leaves it out exactly when it is n.
 */
export function absentMeansN(dir: string, name: string): boolean {
  const index = treeIndex(dir);
  const defs = index.definitions.get(name);
  return !!defs && !index.selected.has(name) && defs.every((d) => !d.hasDefault);
}

/**
 * A symbol is n on an architecture when every definition that architecture can see has a `depends on`
 * that is n there (ARM_SMMU_V3 on x86), or when it is only defined under other architectures' arch/ dirs.
 * Anything else stays unknown: the user (or a defconfig) decides.
 */
export function treeResolver(dir: string): SymbolResolver {
  const memo = new Map<string, 0 | undefined>();
  const resolve: SymbolResolver = (name: string, arch: ArchInfo) => {
    const index = treeIndex(dir).definitions;
    const key = `${arch.dir}\0${name}`;
    if (memo.has(key)) return memo.get(key);
    memo.set(key, undefined); // breaks dependency cycles
    const defs = index.get(name);
    let result: 0 | undefined;
    if (defs) {
      const visible = defs.filter((d) => d.arch === undefined || d.arch === arch.dir);
      const byArch = archLookup(arch);
      const env = (s: string) => byArch(s) ?? resolve(s, arch);
      const allOff = visible.every((d) =>
        d.conditions.some((c) => {
          const v = evaluate(c, env);
          return v.known && v.tri === 0;
        }),
      );
      result = allOff ? 0 : undefined;
    }
    memo.set(key, result);
    return result;
  };
  return resolve;
}

/** "6.12.118" from the tree's top-level Makefile, or undefined when it cannot be read. */
export function treeKernelVersion(dir: string): string | undefined {
  try {
    const make = readFileSync(join(dir, "Makefile"), "utf8");
    const field = (name: string) => new RegExp(`^${name}\\s*=\\s*(\\S*)`, "m").exec(make)?.[1];
    const [v, p, s] = [field("VERSION"), field("PATCHLEVEL"), field("SUBLEVEL")];
    return v && p ? `${v}.${p}.${s ?? 0}` : undefined;
  } catch {
    return undefined;
  }
}
