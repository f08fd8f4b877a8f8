import type { Decision } from "./effective.js";
import { evaluate } from "./evaluate.js";
import { symbolsOf } from "./expr.js";

// Whether a default really changes on one architecture, and under which configuration. The two decisions may
// still depend on symbols nothing could resolve (a driver option the user picks): every assignment of those
// symbols is tried, so "LAZY if AMD_IOMMU || INTEL_IOMMU, else STRICT" against "LAZY" is a change only for
// kernels that set neither driver, and the row says so.

/** More unresolved symbols than this and the comparison falls back to the printed decisions. */
const MAX_SYMBOLS = 10;

const CONSTANT = new Set(["y", "m", "n"]);

export interface DecisionChange {
  changed: boolean;
  /** The configurations in which the value differs, in words ("INTEL_IOMMU=y"); undefined when it always does. */
  when?: string;
  /** The symbols `when` names. */
  whenSymbols?: string[];
  /** The distinct before → after pairs where it differs. */
  transitions: { before: string; after: string }[];
}

type Assignment = Map<string, 0 | 2>;

function decide(d: Decision, a: Assignment): string {
  for (const b of d.branches) {
    const v = evaluate(b.cond, (name) => a.get(name));
    if (v.known && v.tri > 0) return b.value;
  }
  return d.otherwise;
}

function unresolved(ds: readonly Decision[]): string[] {
  const names = new Set<string>();
  for (const d of ds) for (const b of d.branches) symbolsOf(b.cond, names);
  return [...names].filter((n) => !CONSTANT.has(n)).sort();
}

function* assignments(names: readonly string[]): Generator<Assignment> {
  for (let bits = 0; bits < 1 << names.length; bits++)
    yield new Map(names.map((n, i) => [n, (bits >> i) & 1 ? 2 : 0]));
}

const literal = (name: string, v: 0 | 2) => `${name}=${v ? "y" : "n"}`;

/** The shortest conjunction or disjunction of at most two literals that holds exactly on `differ`, in words. */
function describe(
  names: readonly string[],
  all: readonly Assignment[],
  differ: readonly boolean[],
): { text: string; symbols: string[] } {
  const matches = (test: (a: Assignment) => boolean) => all.every((a, i) => test(a) === differ[i]);
  const literals = names.flatMap((n) => [
    { n, v: 2 as const },
    { n, v: 0 as const },
  ]);
  for (const l of literals)
    if (matches((a) => a.get(l.n) === l.v)) return { text: literal(l.n, l.v), symbols: [l.n] };
  for (let i = 0; i < literals.length; i++)
    for (let j = i + 1; j < literals.length; j++) {
      const [p, q] = [literals[i]!, literals[j]!];
      if (p.n === q.n) continue;
      const symbols = [p.n, q.n];
      if (matches((a) => a.get(p.n) === p.v && a.get(q.n) === q.v))
        return { text: `${literal(p.n, p.v)} and ${literal(q.n, q.v)}`, symbols };
      if (matches((a) => a.get(p.n) === p.v || a.get(q.n) === q.v))
        return { text: `${literal(p.n, p.v)} or ${literal(q.n, q.v)}`, symbols };
    }
  return { text: `some settings of ${names.join(", ")}`, symbols: [...names] };
}

/**
 * Compares two decisions for one architecture. `canon` maps a value to the name it is compared under (a renamed
 * choice member is the same default).
 */
export function compareDecisions(
  before: Decision,
  after: Decision,
  canon: (value: string) => string = (v) => v,
): DecisionChange {
  const names = unresolved([before, after]);
  if (names.length > MAX_SYMBOLS) {
    const print = (d: Decision) => JSON.stringify(d);
    const changed = print(before) !== print(after);
    return { changed, transitions: [], when: changed ? `some settings of ${names.join(", ")}` : undefined };
  }
  const all = [...assignments(names)];
  const pairs = new Map<string, { before: string; after: string }>();
  const differ = all.map((a) => {
    const b = decide(before, a);
    const f = decide(after, a);
    if (canon(b) === canon(f)) return false;
    pairs.set(`${b}\0${f}`, { before: b, after: f });
    return true;
  });
  const changed = differ.some(Boolean);
  const always = differ.every(Boolean);
  const when = changed && !always ? describe(names, all, differ) : undefined;
  return { changed, transitions: [...pairs.values()], when: when?.text, whenSymbols: when?.symbols };
}
