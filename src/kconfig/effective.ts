import { ARCHES, type ArchInfo, archLookup } from "./arches.js";
import { evaluate, type SymbolLookup, tristateName, type Value } from "./evaluate.js";
import { type Expr, printExpr } from "./expr.js";
import type { KconfigEntry } from "./parse.js";

// The effective default of a choice or a config symbol on one architecture.
// Choice: scripts/kconfig/symbol.c sym_choice_default(): the first default whose condition is not n and
// whose target member is visible wins; otherwise the first visible member.
// Config: sym_calc_value(): the first default whose condition is not n gives value && condition, provided
// the symbol's dependencies are not n. User values, select and imply are outside what a patch's defaults say.

/** Shown when the text the decision needs is not available (a hunk without the rest of the entry). */
export const NOT_SHOWN = "(not shown in the patch)";

export interface Branch {
  cond: Expr;
  value: string;
}

/** An ordered decision list: the value of the first branch whose condition holds, else `otherwise`. */
export interface Decision {
  branches: Branch[];
  otherwise: string;
}

export function printDecision(d: Decision): string {
  if (d.branches.length === 0) return d.otherwise;
  return `${d.branches.map((b) => `${b.value} if ${printExpr(b.cond, true)}`).join(", else ")}, else ${d.otherwise}`;
}

/** Resolves symbols that are neither constants nor architecture symbols, e.g. from a kernel tree's `depends on`. */
export type SymbolResolver = (name: string, arch: ArchInfo) => 0 | undefined;

/** Symbol values when building `arch`: its arch symbols, then the resolver (a kernel tree) for the rest. */
export function archEnv(arch: ArchInfo, resolver?: SymbolResolver): SymbolLookup {
  const byArch = archLookup(arch);
  return (name) => {
    const v = byArch(name);
    if (v !== undefined || !resolver) return v;
    return resolver(name, arch);
  };
}

const Y: Value = { known: true, tri: 2 };

export function conjunction(exprs: readonly (Expr | undefined)[], env: SymbolLookup): Value {
  let acc: Value = Y;
  for (const e of exprs) {
    if (!e) continue;
    const v = evaluate(e, env);
    if (v.known && v.tri === 0) return v;
    if (v.known) acc = acc.known ? { known: true, tri: Math.min(acc.tri, v.tri) as 0 | 1 | 2 } : acc;
    else acc = acc.known ? v : { known: false, expr: { type: "and", left: acc.expr, right: v.expr } };
  }
  return acc;
}

/** A decision list that stops at the first branch whose condition is known to hold. */
class DecisionBuilder {
  readonly branches: Branch[] = [];
  /** Returns true when the decision is complete. */
  add(cond: Value, value: string): boolean {
    if (cond.known) return cond.tri > 0;
    if (!this.branches.some((b) => b.value === value && printExpr(b.cond) === printExpr(cond.expr)))
      this.branches.push({ cond: cond.expr, value });
    return false;
  }
  finish(otherwise: string): Decision {
    // Trailing branches that give the same value as the fallback change nothing.
    while (this.branches.length && this.branches[this.branches.length - 1]!.value === otherwise)
      this.branches.pop();
    return { branches: this.branches, otherwise };
  }
}

export interface DecideOptions {
  /** Defaults after the last one shown may exist (the text ended inside the entry). */
  tailUnknown?: boolean;
}

export function choiceDecision(choice: KconfigEntry, env: SymbolLookup, opts: DecideOptions = {}): Decision {
  const members = new Map(choice.members.map((m) => [m.name, m]));
  // The conditions a member shares with its choice (enclosing "if" blocks) hold whenever the choice is shown,
  // so only what the member adds decides whether it is visible (scripts/kconfig/menu.c propagates them).
  const ownVisibility = (m: KconfigEntry): Value =>
    conjunction([...m.enclosing.slice(choice.enclosing.length), ...m.dependsOn, m.promptCond], env);
  const memberVisible = (name: string): Value => {
    const m = members.get(name);
    return m ? ownVisibility(m) : Y; // a member not in the text is taken as visible
  };
  const d = new DecisionBuilder();
  if (choice.leadUnknown) return d.finish(NOT_SHOWN);
  for (const def of choice.defaults) {
    if (def.value.type !== "sym") continue;
    const target = def.value.name;
    const cond = def.cond ? evaluate(def.cond, env) : Y;
    const both = cond.known && cond.tri === 0 ? cond : andValues(cond, memberVisible(target));
    if (d.add(both, target)) return d.finish(target);
  }
  if (opts.tailUnknown || choice.members.length === 0) return d.finish(NOT_SHOWN);
  for (const m of choice.members) {
    if (!m.name) continue;
    if (d.add(ownVisibility(m), m.name)) return d.finish(m.name);
  }
  return d.finish("(no visible member)");
}

function andValues(a: Value, b: Value): Value {
  if (a.known && b.known) return { known: true, tri: Math.min(a.tri, b.tri) as 0 | 1 | 2 };
  if (a.known) return a.tri === 0 ? a : b;
  if (b.known) return b.tri === 0 ? b : a;
  return { known: false, expr: { type: "and", left: a.expr, right: b.expr } };
}

function valueText(v: Value): string {
  return v.known ? tristateName(v.tri) : printExpr(v.expr, true);
}

export function symbolDecision(entry: KconfigEntry, env: SymbolLookup, opts: DecideOptions = {}): Decision {
  const deps = conjunction([...entry.enclosing, ...entry.dependsOn], env);
  const none = entry.type === "string" || entry.type === "int" || entry.type === "hex" ? '""' : "n";
  if (deps.known && deps.tri === 0) return { branches: [], otherwise: "n" };
  const d = new DecisionBuilder();
  for (const def of entry.defaults) {
    const cond = def.cond ? evaluate(def.cond, env) : Y;
    if (cond.known && cond.tri === 0) continue;
    const isTristate = entry.type === "bool" || entry.type === "tristate" || entry.type === undefined;
    const value =
      def.value.type === "lit" && !isTristate ? `"${def.value.value}"` : valueText(evaluate(def.value, env));
    if (d.add(cond, value)) return d.finish(value);
  }
  return d.finish(opts.tailUnknown ? NOT_SHOWN : none);
}

export interface ArchDecision {
  arch: ArchInfo;
  decision: Decision;
}

/** Evaluates an entry for every architecture. */
export function decideForArches(
  entry: KconfigEntry,
  opts: DecideOptions & { resolver?: SymbolResolver } = {},
  arches: readonly ArchInfo[] = ARCHES,
): ArchDecision[] {
  return arches.map((arch) => {
    const env = archEnv(arch, opts.resolver);
    const decision =
      entry.kind === "choice" ? choiceDecision(entry, env, opts) : symbolDecision(entry, env, opts);
    return { arch, decision };
  });
}
