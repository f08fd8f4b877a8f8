import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ArchDefconfigs } from "../model.js";
import type { Decision } from "./effective.js";
import { evaluate, type Tristate } from "./evaluate.js";
import { defconfigValue, type KconfigFacts } from "./facts.js";
import { absentMeansN } from "./tree.js";

// With --tree: what a changed default does to each arch/<arch>/configs/*defconfig. A defconfig lists only what
// differs from the defaults (make savedefconfig), so a symbol it leaves out takes its default: n for a driver
// option that has no default and that nothing selects. The arch's default defconfig (make ARCH=<arch> defconfig)
// is read from the recorded facts, which the kernel's own Kconfig tool produced, when they match the tree.

export interface DefconfigSource {
  counts(arch: string, before: Decision, after: Decision): ArchDefconfigs | undefined;
}

type Values = (name: string) => Tristate | undefined;

function readDefconfig(file: string): Map<string, Tristate> {
  const values = new Map<string, Tristate>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const set = /^CONFIG_([A-Za-z0-9_]+)=(y|m|n)\s*$/.exec(line);
    if (set) values.set(set[1]!, set[2] === "y" ? 2 : set[2] === "m" ? 1 : 0);
    const unset = /^# CONFIG_([A-Za-z0-9_]+) is not set/.exec(line);
    if (unset) values.set(unset[1]!, 0);
  }
  return values;
}

/** The decision's value under `values`, or undefined when a condition before the deciding one is unknown. */
function decisionValue(d: Decision, values: Values): string | undefined {
  for (const b of d.branches) {
    const v = evaluate(b.cond, values);
    if (!v.known) return undefined;
    if (v.tri > 0) return b.value;
  }
  return d.otherwise;
}

export function treeDefconfigs(dir: string, facts: KconfigFacts | null | undefined): DefconfigSource {
  const files = new Map<string, Map<string, Tristate>[]>();
  const defconfigsOf = (arch: string) => {
    let list = files.get(arch);
    if (!list) {
      const configs = join(dir, "arch", arch, "configs");
      const names = existsSync(configs) ? readdirSync(configs).filter((f) => /(^|_)defconfig$/.test(f)) : [];
      list = names.sort().map((f) => readDefconfig(join(configs, f)));
      files.set(arch, list);
    }
    return list;
  };
  return {
    counts(arch, before, after) {
      const list = defconfigsOf(arch);
      if (list.length === 0) return undefined;
      let changed = 0;
      let undetermined = 0;
      for (const explicit of list) {
        const values: Values = (n) => explicit.get(n) ?? (absentMeansN(dir, n) ? 0 : undefined);
        const [b, a] = [decisionValue(before, values), decisionValue(after, values)];
        if (b === undefined || a === undefined) undetermined++;
        else if (b !== a) changed++;
      }
      const recorded: Values = (n) => defconfigValue(facts ?? undefined, n, arch);
      const [b, a] = [decisionValue(before, recorded), decisionValue(after, recorded)];
      return {
        total: list.length,
        changed,
        undetermined,
        ...(facts && b !== undefined && a !== undefined ? { default: { before: b, after: a } } : {}),
      };
    },
  };
}
