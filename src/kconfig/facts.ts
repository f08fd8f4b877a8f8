import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import type { ArchInfo } from "./arches.js";
import type { SymbolResolver } from "./effective.js";

// Kconfig facts recorded from a real kernel tree by scripts/record-kconfig.mjs (rules/kconfig-facts.json): for
// each symbol an IOMMU default can depend on, the architectures on which it can be enabled at all, and its value
// in each architecture's default defconfig. They let the engine say that INTEL_IOMMU is n on arm64 without a
// kernel tree at hand.

const factsSchema = z
  .object({
    kernel: z.string().min(1),
    recordedWith: z.string(),
    method: z.string(),
    arches: z.array(z.string().min(1)).min(1),
    symbols: z.record(
      z.string().regex(/^[A-Za-z0-9_]+$/),
      z
        .object({
          possible: z.array(z.string()),
          defconfig: z.record(z.string(), z.enum(["y", "m"])),
        })
        .strict(),
    ),
  })
  .strict();

export type KconfigFacts = z.infer<typeof factsSchema>;

export const FACTS_FILE = "kconfig-facts.json";

/** Reads and validates a facts file; the error names the file and the field. */
export function readFacts(file: string): KconfigFacts {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`${file}: cannot read Kconfig facts: ${(e as Error).message}`);
  }
  const parsed = factsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join(".") || "(top)"}: ${issue.message}`);
  }
  return parsed.data;
}

let bundled: KconfigFacts | null | undefined;

/** The facts shipped beside the bundled rules, or undefined when the package has none. */
export function bundledFacts(): KconfigFacts | undefined {
  if (bundled === undefined) {
    const file = join(DEFAULT_RULES_DIR, FACTS_FILE);
    bundled = existsSync(file) ? readFacts(file) : null;
  }
  return bundled ?? undefined;
}

/**
 * n for a recorded symbol on a recorded architecture where it cannot be enabled; undefined (the configuration
 * decides) otherwise, and for architectures the facts do not cover (ia64 in a v6.12 record).
 */
export function factsResolver(facts: KconfigFacts): SymbolResolver {
  let resolver = resolvers.get(facts);
  if (!resolver) {
    const arches = new Set(facts.arches);
    resolver = (name: string, arch: ArchInfo) => {
      const s = facts.symbols[name];
      if (!s || !arches.has(arch.dir)) return undefined;
      return s.possible.includes(arch.dir) ? undefined : 0;
    };
    resolvers.set(facts, resolver);
  }
  return resolver;
}
const resolvers = new WeakMap<KconfigFacts, SymbolResolver>();

/** The architectures on which a recorded symbol can be enabled, or undefined when it is not recorded. */
export function possibleArches(facts: KconfigFacts | undefined, name: string): readonly string[] | undefined {
  return facts?.symbols[name]?.possible;
}

/** A recorded symbol's value in an architecture's default defconfig: 2 (y), 1 (m) or 0; undefined if unknown. */
export function defconfigValue(
  facts: KconfigFacts | undefined,
  name: string,
  arch: string,
): 0 | 1 | 2 | undefined {
  const s = facts?.symbols[name];
  if (!s || !facts!.arches.includes(arch)) return undefined;
  const v = s.defconfig[arch];
  return v === "y" ? 2 : v === "m" ? 1 : 0;
}

/** Tries each resolver in turn; the first that knows the symbol wins. */
export function firstOf(...resolvers: (SymbolResolver | undefined)[]): SymbolResolver | undefined {
  const list = resolvers.filter((r): r is SymbolResolver => r !== undefined);
  if (list.length <= 1) return list[0];
  return (name, arch) => {
    for (const r of list) {
      const v = r(name, arch);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}
