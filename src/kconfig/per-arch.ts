import type { ArchNote, ArchResult } from "../model.js";
import { ARCHES, type ArchInfo, RETIRED_ARCHES } from "./arches.js";
import { compareDecisions } from "./compare.js";
import type { DefconfigSource } from "./defconfigs.js";
import {
  archEnv,
  choiceDecision,
  conjunction,
  type Decision,
  printDecision,
  type SymbolResolver,
  symbolDecision,
} from "./effective.js";
import type { SymbolLookup } from "./evaluate.js";
import { printExpr, symbolsOf } from "./expr.js";
import type { KconfigEntry } from "./parse.js";

// One entry's effective default on every architecture, before and after a patch. An architecture where the
// entry is hidden (a choice whose `depends on` is n there), or where its result has no effect (the gate symbol,
// IOMMU_DMA for the default domain type since v6.7, is n there), is never a changed row: it is reported apart.

export const NOT_DEFINED = "(not defined)";

export interface PerArchInput {
  before?: KconfigEntry;
  after?: KconfigEntry;
  /** Defaults after the last one shown may exist (the text ended inside the entry). */
  tailUnknown?: boolean;
  resolver?: SymbolResolver;
  /** The entry without which the result has no effect on an architecture (config IOMMU_DMA), before and after. */
  gate?: { before?: KconfigEntry; after?: KconfigEntry };
  /** The name a value is compared under: renamed choice members are the same default. */
  canon?: (value: string) => string;
  /** Why a symbol matters on an architecture, in words, from recorded facts ("can be enabled on x86 only"). */
  explain?: (symbol: string, arch: string) => string | undefined;
  /** With a kernel tree: each architecture's defconfig files. */
  defconfigs?: DefconfigSource;
}

export interface PerArchResult {
  /** Every architecture the entry can affect, changed or not. */
  table: ArchResult[];
  /** Architectures whose Kconfig value the patch moves but where that has no effect, or that never see it. */
  unaffected: ArchNote[];
  /** Architectures where the entry becomes visible or hidden. */
  visibility: ArchNote[];
}

function namedSymbols(e: KconfigEntry | undefined, out: Set<string>): void {
  if (!e) return;
  for (const d of e.defaults) {
    symbolsOf(d.value, out);
    if (d.cond) symbolsOf(d.cond, out);
  }
  for (const x of [...e.dependsOn, ...e.enclosing]) symbolsOf(x, out);
  for (const m of e.members) namedSymbols(m, out);
}

/** Today's architectures, and retired ones (ia64) when the entry names them. */
function archesFor(input: PerArchInput): ArchInfo[] {
  const named = new Set<string>();
  namedSymbols(input.before, named);
  namedSymbols(input.after, named);
  return [...ARCHES, ...RETIRED_ARCHES.filter((a) => named.has(a.symbol))];
}

/** The `depends on` (and enclosing `if`) of a choice when it is known to be n, printed; else undefined. */
function hiddenBy(e: KconfigEntry | undefined, env: SymbolLookup): string | undefined {
  if (e?.kind !== "choice") return undefined;
  const conds = [...e.enclosing, ...e.dependsOn];
  const v = conjunction(conds, env);
  return v.known && v.tri === 0 ? conds.map((c) => printExpr(c, true)).join(" && ") : undefined;
}

function gateOff(e: KconfigEntry | undefined, env: SymbolLookup): boolean {
  if (!e) return false;
  const d = symbolDecision(e, env);
  return d.branches.length === 0 && d.otherwise === "n";
}

function decide(e: KconfigEntry | undefined, env: SymbolLookup, tailUnknown: boolean): Decision {
  if (!e) return { branches: [], otherwise: NOT_DEFINED };
  return e.kind === "choice"
    ? choiceDecision(e, env, { tailUnknown })
    : symbolDecision(e, env, { tailUnknown });
}

function summaryOf(
  arch: string,
  before: Decision,
  after: Decision,
  change: ReturnType<typeof compareDecisions>,
  explain: PerArchInput["explain"],
): string {
  const [only] = change.transitions;
  if (change.transitions.length !== 1 || !only)
    return `${arch}: ${printDecision(before)} → ${printDecision(after)}`;
  const notes = (change.whenSymbols ?? []).map((s) => explain?.(s, arch)).filter(Boolean);
  const when = change.when ? ` when ${change.when}` : "";
  return `${arch}: ${only.before} → ${only.after}${when}${notes.length ? ` (${notes.join("; ")})` : ""}`;
}

/** "; make ARCH=arm64 defconfig: STRICT → LAZY; 1 of 1 arm64 defconfigs change". */
function defconfigWords(arch: string, d: NonNullable<ArchResult["defconfigs"]>): string {
  const def = d.default
    ? d.default.before === d.default.after
      ? `; make ARCH=${arch} defconfig keeps ${d.default.before}`
      : `; make ARCH=${arch} defconfig: ${d.default.before} → ${d.default.after}`
    : "";
  const unknown = d.undetermined ? `, ${d.undetermined} undetermined` : "";
  return `${def}; ${d.changed} of ${d.total} ${arch} defconfigs change${unknown}`;
}

export function perArch(input: PerArchInput): PerArchResult {
  const table: ArchResult[] = [];
  const unaffected: ArchNote[] = [];
  const visibility: ArchNote[] = [];
  const gateName = input.gate?.after?.name ?? input.gate?.before?.name;
  for (const arch of archesFor(input)) {
    const env = archEnv(arch, input.resolver);
    const hiddenBefore = hiddenBy(input.before, env);
    const hiddenAfter = hiddenBy(input.after, env);
    const before = decide(input.before, env, !!input.tailUnknown);
    const after = decide(input.after, env, !!input.tailUnknown);
    const moved = printDecision(before) !== printDecision(after);
    const hiddenNow = input.after ? hiddenAfter : hiddenBefore;
    const hiddenThen = input.before ? hiddenBefore : hiddenAfter;
    if (hiddenNow !== undefined && hiddenThen !== undefined) {
      if (moved)
        unaffected.push({ arch: arch.dir, reason: `not visible: depends on ${hiddenNow}, which is n there` });
      continue;
    }
    if (hiddenNow !== undefined || hiddenThen !== undefined) {
      const shown = hiddenThen !== undefined;
      const value = printDecision(shown ? after : before);
      visibility.push({
        arch: arch.dir,
        reason: shown
          ? `now visible (${value}); before, depends on ${hiddenThen} was n there`
          : `now hidden (depends on ${hiddenNow} is n there); before, ${value}`,
      });
      continue;
    }
    const gate = input.gate;
    if (gate && gateOff(gate.before ?? gate.after, env) && gateOff(gate.after ?? gate.before, env)) {
      if (moved)
        unaffected.push({
          arch: arch.dir,
          reason: `no effect: ${gateName} is n there (${printDecision(before)} → ${printDecision(after)} in Kconfig only)`,
        });
      continue;
    }
    const change = compareDecisions(before, after, input.canon);
    const defconfigs = change.changed ? input.defconfigs?.counts(arch.dir, before, after) : undefined;
    const summary = change.changed ? summaryOf(arch.dir, before, after, change, input.explain) : undefined;
    table.push({
      arch: arch.dir,
      before: printDecision(before),
      after: printDecision(after),
      changed: change.changed,
      ...(change.when ? { when: change.when } : {}),
      ...(summary
        ? { summary: defconfigs ? `${summary}${defconfigWords(arch.dir, defconfigs)}` : summary }
        : {}),
      ...(defconfigs ? { defconfigs } : {}),
    });
  }
  return { table, unaffected, visibility };
}
