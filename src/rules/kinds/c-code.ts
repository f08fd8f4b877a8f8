import { literalAlternation, requiredLiterals } from "../../ingest/regex-literals.js";
import type { FileDiff, HunkLine } from "../../model.js";
import type { Hit, RuleContext } from "../context.js";
import { matchesAny } from "../glob.js";
import type { Rule } from "../load.js";
import { describeEffect } from "./c-effect.js";
import { type CLine, cLines, droppedArgument, renamedIdentifier, tokens } from "./c-hunks.js";

// Kind c-code: added or removed C lines that change a default, as the rule names them (all data in the rule):
// lines matching `patterns` (flags, calls, initial values); any code line inside a decision function named by
// `functions` (e.g. *_def_domain_type); entries of a device table named by `tables`; and `hooks` that attach an
// existing decision function to a struct the patch adds. A line removed and added back is no change unless it is
// a pattern line whose guard or order against an `orderAnchors` call changed; a pair that differs only by a
// renamed identifier, or by one of the rule's `equivalents`, is no change either. Comment lines never count.

const isComment = (text: string) => /^\s*(\/\/|\/\*|\*)/.test(text);

const matchers = new WeakMap<Rule, (text: string) => boolean>();

/**
 * Whether a line matches one of the rule's patterns, compiled once per rule. Each pattern is tried only on
 * lines holding a literal every one of its matches contains (ingest/regex-literals.ts): most changed lines
 * hold none, and a plain substring search is far cheaper than the patterns' comment-skipping prefix.
 */
function lineMatcher(rule: Rule): (text: string) => boolean {
  let matcher = matchers.get(rule);
  if (!matcher) {
    const gated = (rule.match.patterns ?? []).map((p) => ({
      re: new RegExp(p),
      literals: requiredLiterals(p),
    }));
    // When every pattern has literals, one search for any of them turns away most lines at once.
    const anyLiteral =
      gated.length > 0 && gated.every((g) => g.literals)
        ? literalAlternation(gated.flatMap((g) => g.literals!))
        : undefined;
    matcher = (text) =>
      gated.length > 0 &&
      (!anyLiteral || anyLiteral.test(text)) &&
      gated.some(
        ({ re, literals }) => (!literals || literals.some((l) => text.includes(l))) && re.test(text),
      );
    matchers.set(rule, matcher);
  }
  return matcher;
}

/**
 * Whether a file can hold a line the rule takes up, told cheaply: a changed line one of its patterns matches, or
 * (for rules that read functions, tables or hooks) one of their literals anywhere in the file's hunks.
 */
function mayHold(rule: Rule, file: FileDiff): boolean {
  const matches = lineMatcher(rule);
  const literals = compiled(rule).literals;
  for (const h of file.hunks) {
    if (literals?.test(h.section)) return true;
    for (const l of h.lines) {
      if (literals?.test(l.text)) return true;
      if (l.kind !== "context" && matches(l.text)) return true;
    }
  }
  return false;
}

interface Compiled {
  /** Literals of the functions, tables and hooks (undefined when the rule has none, or one has no literal). */
  literals?: RegExp;
  functions: RegExp[];
  ignoreFunctions: RegExp[];
  ignoreGuards: RegExp[];
  selectors: RegExp[];
  hooks: RegExp[];
  anchors: RegExp[];
  equivalents: { from: RegExp; to: string }[];
  tables: Set<string>;
}

const compiledRules = new WeakMap<Rule, Compiled>();

function compiled(rule: Rule): Compiled {
  let c = compiledRules.get(rule);
  if (!c) {
    const m = rule.match;
    const res = (list?: readonly string[]) => (list ?? []).map((p) => new RegExp(p));
    const sources = [...(m.functions ?? []), ...(m.hooks ?? []), ...(m.tables ?? [])];
    const required = sources.map((p) => requiredLiterals(p));
    c = {
      literals:
        sources.length === 0
          ? undefined
          : required.every((r) => r)
            ? literalAlternation(required.flatMap((r) => r!))
            : /(?:)/,
      functions: res(m.functions),
      ignoreFunctions: res(m.ignoreFunctions),
      ignoreGuards: res(m.ignoreGuards),
      selectors: [...res(m.selectors), ...(m.tables ?? []).map((t) => new RegExp(`\\b${t}\\b`))],
      hooks: res(m.hooks),
      anchors: res(m.orderAnchors),
      equivalents: (m.equivalents ?? []).map((e) => ({ from: new RegExp(e.from, "g"), to: e.to })),
      tables: new Set(m.tables ?? []),
    };
    compiledRules.set(rule, c);
  }
  return c;
}

const DECLARATION_RE =
  /^(?:(?:static|const|unsigned|signed|int|long|bool|u8|u16|u32|u64|char|extern)\s+)+(\w+)(?:\s+__\w+)*\s*=/;

/** One spelling for lines that say the same thing: white space, initial values, #ifdef vs IS_ENABLED. */
function normalise(text: string, equivalents: Compiled["equivalents"]): string {
  // Each changed line is compared with many others, by every c-code rule: remember the recent spellings.
  let cache = normalised.get(equivalents);
  if (!cache) {
    cache = new Map();
    normalised.set(equivalents, cache);
  }
  const known = cache.get(text);
  if (known !== undefined) return known;
  let t = text.trim().replace(/\s+/g, " ");
  for (const e of equivalents) t = t.replace(e.from, e.to);
  t = t.replace(DECLARATION_RE, "$1 =");
  t = t.replace(/\s*([(),;=|&!?:*])\s*/g, "$1");
  if (cache.size >= 10_000) cache.clear();
  cache.set(text, t);
  return t;
}
const normalised = new WeakMap<Compiled["equivalents"], Map<string, string>>();
const NO_EQUIVALENTS: Compiled["equivalents"] = [];

const some = (res: readonly RegExp[], text: string) => res.some((r) => r.test(text));

/** The CONFIG_ symbols a line tests by preprocessor (#ifdef, #if defined) or by IS_ENABLED(). */
const configTests = (text: string, preprocessor: boolean) =>
  preprocessor
    ? /^\s*#\s*(?:if|ifdef|ifndef|elif)\b/.test(text)
      ? [...text.matchAll(/\bCONFIG_\w+/g)].map((m) => m[0])
      : []
    : [...text.matchAll(/\bIS_ENABLED\s*\(\s*(CONFIG_\w+)\s*\)/g)].map((m) => m[1]!);

/** The normalised added and removed lines of every file the rule watches: a line moved to another file is no change. */
function patchLines(rule: Rule, files: readonly FileDiff[]): Record<"add" | "del", Map<string, FileDiff>> {
  const c = compiled(rule);
  const out = { add: new Map<string, FileDiff>(), del: new Map<string, FileDiff>() };
  for (const file of files)
    for (const h of file.hunks)
      for (const l of h.lines)
        if (l.kind !== "context" && l.text.trim() !== "")
          out[l.kind].set(normalise(l.text, c.equivalents), file);
  return out;
}

function realChanges(
  rule: Rule,
  file: FileDiff,
  inPatch: Record<"add" | "del", Map<string, FileDiff>>,
): { lines: CLine[]; all: CLine[] } {
  const c = compiled(rule);
  const matches = lineMatcher(rule);
  const all = cLines(file);
  const changed = all.filter(
    (l) => l.line.kind !== "context" && l.line.text.trim() !== "" && !isComment(l.line.text),
  );
  const side = (kind: "add" | "del") => changed.filter((l) => l.line.kind === kind);
  const added = side("add");
  const removed = side("del");
  const addedFunctions = new Set(added.filter((l) => l.definition && l.fnAdded).map((l) => l.fn!));
  // A function the patch adds counts only when it picks devices by a rule's selector or table.
  const selected = new Set(
    added.filter((l) => l.fnAdded && some(c.selectors, l.line.text)).map((l) => l.fn!),
  );
  const inDecision = (l: CLine) =>
    !!l.fn && some(c.functions, l.fn) && !l.definition && !/^[{}]\s*$/.test(l.line.text.trim());

  const isPatternLine = (l: CLine) => matches(l.line.text) && !l.definition;
  const candidate = (l: CLine): boolean => {
    if (l.fn && some(c.ignoreFunctions, l.fn)) return false;
    if (c.ignoreGuards.length > 0 && some(c.ignoreGuards, l.guard)) return false;
    const hook = c.hooks.map((h) => h.exec(l.line.text)).find((m) => m);
    if (hook) return l.blockAdded && !addedFunctions.has(hook[1] ?? "");
    if (isPatternLine(l)) return true;
    if (inDecision(l)) return !l.fnAdded || selected.has(l.fn!);
    return (
      !!l.block &&
      c.tables.has(l.block) &&
      !/=\s*\{\s*$/.test(l.line.text) &&
      !/^\s*(\{\s*\}|\};)/.test(l.line.text)
    );
  };

  const candidates = changed.filter(candidate);
  if (candidates.length === 0) return { lines: [], all };

  // Only a patch with candidate lines pays for the pairing below.
  const tokenSet = (ls: CLine[]) => new Set(ls.flatMap((l) => tokens(l.line.text)));
  const addedTokens = tokenSet(added);
  const removedTokens = tokenSet(removed);
  const normCache = new Map<CLine, string>();
  const norm = (l: CLine) => {
    let n = normCache.get(l);
    if (n === undefined) {
      n = normalise(l.line.text, c.equivalents);
      normCache.set(l, n);
    }
    return n;
  };
  const normsOf = (ls: CLine[]) => {
    const map = new Map<string, CLine[]>();
    for (const l of ls) {
      const list = map.get(norm(l));
      if (list) list.push(l);
      else map.set(norm(l), [l]);
    }
    return map;
  };
  const position = new Map(all.map((l, i) => [l, i]));
  const addedNorms = normsOf(added);
  const removedNorms = normsOf(removed);
  const removedIfdefs = new Set(removed.flatMap((l) => configTests(l.line.text, true)));
  const addedIfdefs = new Set(added.flatMap((l) => configTests(l.line.text, true)));
  const addedIsEnabled = new Set(added.flatMap((l) => configTests(l.line.text, false)));
  const removedIsEnabled = new Set(removed.flatMap((l) => configTests(l.line.text, false)));

  /** The anchor calls seen before a line in its own image, in file order. */
  const anchorsBefore = (l: CLine) => {
    const image = l.line.kind === "del" ? "add" : "del";
    const idx = position.get(l)!;
    return all
      .slice(0, idx)
      .filter((o) => o.line.kind !== image && some(c.anchors, o.line.text))
      .map((o) => norm(o))
      .join("\n");
  };
  // Two guards are the same test when they read the same, or test the same CONFIG_ symbols that the patch moves
  // from #ifdef to IS_ENABLED() (or back).
  const sameGuard = (a: string, b: string) => {
    if (normalise(a, NO_EQUIVALENTS) === normalise(b, NO_EQUIVALENTS)) return true;
    const symbols = [...configTests(a, false), ...configTests(b, false)];
    return symbols.length > 0 && symbols.every((s) => removedIfdefs.has(s) || addedIfdefs.has(s));
  };
  // A file-scope initial value has no guard to compare: it moved into code, and only its value counts.
  const inCode = (l: CLine) => /^\s/.test(l.line.text);
  const movedWithEffect = (l: CLine, counterpart: CLine) =>
    isPatternLine(l) &&
    ((inCode(l) && inCode(counterpart) && !sameGuard(l.guard, counterpart.guard)) ||
      (c.anchors.length > 0 && anchorsBefore(l) !== anchorsBefore(counterpart)));

  const cancelled = (l: CLine): boolean => {
    const others = l.line.kind === "add" ? removedNorms : addedNorms;
    const twins = others.get(norm(l));
    if (twins) return twins.some((twin) => !movedWithEffect(l, twin));
    const elsewhere = inPatch[l.line.kind === "add" ? "del" : "add"].get(norm(l));
    if (elsewhere && elsewhere !== file) return true;
    // #ifdef CONFIG_X re-spelled as IS_ENABLED(CONFIG_X) (or back) tests the same thing.
    const ifdefs = l.line.kind === "add" ? removedIfdefs : addedIfdefs;
    const tested = configTests(l.line.text, false);
    if (tested.length > 0 && tested.every((s) => ifdefs.has(s))) return true;
    // ... and so is a value set inside #ifdef CONFIG_X when the patch now tests CONFIG_X with IS_ENABLED().
    const respelled = l.line.kind === "add" ? removedIsEnabled : addedIsEnabled;
    if (l.cppSymbols.length > 0 && l.cppSymbols.every((s) => respelled.has(s))) return true;
    const otherSide = l.line.kind === "add" ? removed : added;
    return otherSide.some((o) => {
      const pair =
        l.line.kind === "add"
          ? renamedIdentifier(o.line.text, l.line.text)
          : renamedIdentifier(l.line.text, o.line.text);
      // A rename replaces the old name everywhere the patch touches: the old one is gone, the new one is new.
      if (pair) return !addedTokens.has(pair[0]) && !removedTokens.has(pair[1]);
      // So does a parameter the patch drops (or adds) everywhere: `f(dev, startup)` → `f(dev)`.
      const [del, add] = l.line.kind === "add" ? [o.line.text, l.line.text] : [l.line.text, o.line.text];
      const argument = droppedArgument(del, add);
      return (
        !!argument && (del.length > add.length ? !addedTokens.has(argument) : !removedTokens.has(argument))
      );
    });
  };
  return { lines: candidates.filter((l) => !cancelled(l)), all };
}

export function cCodeHits(rule: Rule, ctx: RuleContext): Hit[] {
  const hits: Hit[] = [];
  const watched = ctx.patch.files.filter(
    (file) => matchesAny(file.path, rule.match.paths) && !matchesAny(file.path, rule.match.excludePaths),
  );
  const inPatch = watched.length > 1 ? patchLines(rule, watched) : { add: new Map(), del: new Map() };
  for (const file of watched) {
    if (!mayHold(rule, file)) continue;
    const { lines: real, all } = realChanges(rule, file, inPatch);
    if (real.length === 0) continue;
    const first = real.find((l) => l.line.kind === "add") ?? real[0]!;
    const changed: HunkLine[] = real.map((l) => l.line);
    hits.push({
      path: file.path,
      line: first.line.kind === "add" ? first.line.newLine! : first.line.oldLine!,
      side: first.line.kind === "add" ? "new" : "old",
      table: [],
      quote: changed,
      changed,
      vars: {
        subject: file.path,
        path: file.path,
        matched: changed
          .slice(0, 3)
          .map((l) => `${l.kind === "add" ? "+" : "-"}${l.text.trim()}`)
          .join("; "),
        effect: describeEffect(rule, file.path, real, all),
        changes: "",
        changedArches: "",
        basis: "",
      },
    });
  }
  return hits;
}
