import type { CompareOp, Expr } from "./expr.js";

// Kconfig's tristate logic (Documentation/kbuild/kconfig-language.rst, "Menu dependencies"):
// n/m/y = 0/1/2, "!" is 2-x, "&&" is min, "||" is max; comparisons give y or n.
// We evaluate partially: symbols we cannot know (a driver option, a sub-architecture) stay in a residual
// expression, so a result can be "LAZY if ARM_SMMU_V3" instead of a guess.

export type Tristate = 0 | 1 | 2;

export type Value = { known: true; tri: Tristate } | { known: false; expr: Expr };

/** A symbol's value: a tristate, a string (for non-bool symbols), or undefined when it cannot be known. */
export type SymbolLookup = (name: string) => Tristate | string | undefined;

const CONSTANTS: Record<string, Tristate> = { n: 0, m: 1, y: 2 };
const known = (tri: Tristate): Value => ({ known: true, tri });
const TRI_NAMES = ["n", "m", "y"] as const;

function tristateOf(v: Tristate | string): Tristate {
  if (typeof v === "number") return v;
  return CONSTANTS[v] ?? 0; // a non-bool symbol used as a condition is n
}

function operandValue(e: Expr, lookup: SymbolLookup): string | undefined {
  if (e.type === "lit") return e.value;
  if (e.type !== "sym") return undefined;
  if (e.name in CONSTANTS) return e.name;
  if (asNumber(e.name) !== undefined) return e.name; // numbers are constant symbols
  const v = lookup(e.name);
  if (v === undefined) return undefined;
  return typeof v === "number" ? TRI_NAMES[v] : v;
}

function asNumber(s: string): number | undefined {
  if (/^-?\d+$/.test(s)) return Number.parseInt(s, 10);
  if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s, 16);
  return undefined;
}

function compare(op: CompareOp, a: string, b: string): boolean {
  if (op === "=") return a === b;
  if (op === "!=") return a !== b;
  const na = asNumber(a);
  const nb = asNumber(b);
  const c = na !== undefined && nb !== undefined ? na - nb : a < b ? -1 : a > b ? 1 : 0;
  return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
}

const residual = (expr: Expr): Value => ({ known: false, expr });
const M: Expr = { type: "sym", name: "m" };

export function evaluate(e: Expr, lookup: SymbolLookup): Value {
  switch (e.type) {
    case "sym": {
      if (e.name in CONSTANTS) return known(CONSTANTS[e.name]!);
      const v = lookup(e.name);
      return v === undefined ? residual(e) : known(tristateOf(v));
    }
    case "lit":
      return known(tristateOf(e.value));
    case "not": {
      const a = evaluate(e.arg, lookup);
      if (a.known) return known((2 - a.tri) as Tristate);
      return residual(a.expr.type === "not" ? a.expr.arg : { type: "not", arg: a.expr });
    }
    case "and":
    case "or": {
      const l = evaluate(e.left, lookup);
      const r = evaluate(e.right, lookup);
      const absorbing = e.type === "and" ? 0 : 2; // n && x = n; y || x = y
      if ((l.known && l.tri === absorbing) || (r.known && r.tri === absorbing)) return known(absorbing);
      if (l.known && r.known)
        return known((e.type === "and" ? Math.min(l.tri, r.tri) : Math.max(l.tri, r.tri)) as Tristate);
      const identity = e.type === "and" ? 2 : 0; // y && x = x; n || x = x
      if (l.known && l.tri === identity) return r;
      if (r.known && r.tri === identity) return l;
      const lx = l.known ? M : l.expr; // the remaining known operand is m
      const rx = r.known ? M : r.expr;
      return residual({ type: e.type, left: lx, right: rx });
    }
    case "cmp": {
      const a = operandValue(e.left, lookup);
      const b = operandValue(e.right, lookup);
      if (a === undefined || b === undefined) return residual(e);
      return known(compare(e.op, a, b) ? 2 : 0);
    }
  }
}

export function tristateName(t: Tristate): "n" | "m" | "y" {
  return TRI_NAMES[t];
}
