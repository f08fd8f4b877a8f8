import type { FileDiff, HunkLine } from "../../model.js";

// A small model of a C file's hunks, enough for the c-code rules: which function, struct initialiser or table a
// changed line sits in (from the hunk header's section text and the definitions the hunk itself shows), whether
// the patch adds that function or struct, and the guard over each line (the nearest less-indented line above it
// in the same image). No C parser: kernel style (definitions at column 0, closing brace at column 0) is assumed.

export interface CLine {
  line: HunkLine;
  /** The enclosing function, when known. */
  fn?: string;
  /** The enclosing function is added by the patch (its definition line is an added line). */
  fnAdded: boolean;
  /** The enclosing table (`name[] = {`) or struct initialiser (`struct s name = {`), when known. */
  block?: string;
  /** The block's opening line is added by the patch. */
  blockAdded: boolean;
  /** The line is a function definition or prototype, not code. */
  definition: boolean;
  /** The nearest less-indented line above, in the line's own image, trimmed ("" at top level). */
  guard: string;
  /** The CONFIG_ symbols of the preprocessor conditional (#if, #ifdef) the line sits in, as far as the hunk shows. */
  cppSymbols: string[];
  /** The hunk the line is in (index into file.hunks). */
  hunk: number;
}

const KEYWORDS = new Set(["if", "while", "for", "switch", "return", "sizeof", "else", "do"]);
const DEFINITION_RE = /^(?![\s#}{])([A-Za-z_][\w\s*]*?[\s*])?([A-Za-z_]\w*)\s*\(/;
const BLOCK_RE = /\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\])?(?:\s+__\w+)*\s*=\s*\{\s*$/;

/** The name a function definition or prototype line defines, or undefined for other lines. */
export function definedFunction(text: string): string | undefined {
  const m = DEFINITION_RE.exec(text);
  if (!m || KEYWORDS.has(m[2]!) || /=/.test(text.slice(0, m.index + m[0].length))) return undefined;
  // Without a return type before the name it is a definition only when the type sat on the line above
  // (kernel style for long types); `MACRO(...);` at column 0 is a statement, not a prototype.
  if (!m[1] && /;\s*$/.test(text)) return undefined;
  return m[2];
}

/**
 * The nearest less-indented line above (a condition, loop or the function's own definition), with the lines that
 * continue it until its parentheses close, so that a multi-line `if (a &&\n b)` reads whole.
 */
function guardAbove(before: readonly string[], end: number, indent: number): string {
  for (let i = end - 1; i >= 0; i--) {
    const above = before[i]!;
    if (above.trim() === "" || indentOf(above) >= indent || /^\s*[{}]/.test(above)) continue;
    // A continuation line (`    b) {`) closes more than it opens: start from the line that opened it.
    const balance = (t: string) => (t.match(/\(/g)?.length ?? 0) - (t.match(/\)/g)?.length ?? 0);
    for (let open = balance(before[i]!); open < 0 && i > 0; ) open += balance(before[--i]!);
    let statement = before[i]!.trim();
    let depth = 0;
    for (let j = i; j < end && j < i + 6; j++) {
      if (j > i) statement += ` ${before[j]!.trim()}`;
      for (const ch of before[j]!) depth += ch === "(" ? 1 : ch === ")" ? -1 : 0;
      if (depth <= 0) break;
    }
    return statement;
  }
  return "";
}

/** The CONFIG_ symbols the innermost open #if / #ifdef above tests (through #else and #elif), or none. */
function conditionalAbove(before: readonly string[], end: number): string[] {
  let depth = 0;
  for (let i = end - 1; i >= 0 && i >= end - 200; i--) {
    const directive = /^\s*#\s*(if|ifdef|ifndef|endif)\b/.exec(before[i]!)?.[1];
    if (directive === "endif") depth++;
    else if (directive && depth > 0) depth--;
    else if (directive) return [...before[i]!.matchAll(/\bCONFIG_\w+/g)].map((m) => m[0]);
  }
  return [];
}

const indentOf = (text: string) => /^\s*/.exec(text.replace(/\t/g, "        "))![0].length;

const cache = new WeakMap<FileDiff, CLine[]>();

/** The file's lines with their context, computed once per file whichever rules ask. */
export function cLines(file: FileDiff): CLine[] {
  let lines = cache.get(file);
  if (!lines) {
    lines = modelLines(file);
    cache.set(file, lines);
  }
  return lines;
}

function modelLines(file: FileDiff): CLine[] {
  const out: CLine[] = [];
  file.hunks.forEach((hunk, index) => {
    let fn = definedFunction(hunk.section);
    let fnAdded = false;
    let block = BLOCK_RE.exec(hunk.section)?.[1];
    let blockAdded = false;
    // per image: the lines seen so far, for the guard
    const images: Record<"old" | "new", string[]> = { old: [], new: [] };
    for (const line of hunk.lines) {
      const text = line.text;
      const defined = definedFunction(text);
      const definition = defined !== undefined || /^\s*extern\b/.test(text);
      if (defined && !/;\s*$/.test(text)) {
        // A definition added right after one removed is the same function renamed or re-typed, not a new one.
        const previous = out[out.length - 1];
        fnAdded = line.kind === "add" && !(previous?.definition && previous.line.kind === "del");
        fn = defined;
        block = undefined;
      }
      // Function bodies are indented: any other statement at column 0 is at file scope.
      if (!defined && /^[A-Za-z_]/.test(text) && !/^\w+:\s*$/.test(text)) {
        fn = undefined;
        fnAdded = false;
      }
      const opened = !defined ? BLOCK_RE.exec(text)?.[1] : undefined;
      if (opened && indentOf(text) === 0) {
        block = opened;
        blockAdded = line.kind === "add";
      }
      const seen = line.kind === "del" ? images.old : line.kind === "add" ? images.new : undefined;
      const before = seen ?? images.new;
      // The guard and the #if block are read only for the few lines a rule takes up: worked out when asked.
      const end = before.length;
      const blank = text.trim() === "";
      let guard: string | undefined;
      let cppSymbols: string[] | undefined;
      out.push({
        line,
        fn,
        fnAdded,
        block,
        blockAdded,
        definition,
        get guard() {
          guard ??= blank ? "" : guardAbove(before, end, indentOf(text));
          return guard;
        },
        get cppSymbols() {
          cppSymbols ??= conditionalAbove(before, end);
          return cppSymbols;
        },
        hunk: index,
      });
      if (line.kind !== "add") images.old.push(text);
      if (line.kind !== "del") images.new.push(text);
      if (/^\}/.test(text)) {
        if (block && /^\};/.test(text)) block = undefined;
        else fn = undefined;
      }
    }
  });
  return out;
}

/** C tokens: identifiers, numbers, and single punctuation characters. */
export const tokens = (text: string): string[] => text.match(/[A-Za-z_]\w*|\d\w*|\S/g) ?? [];

const IDENT_RE = /^[A-Za-z_]\w*$/;

/**
 * The pair of identifiers a removed and an added line differ by, when they differ by exactly one identifier
 * (a rename: `dev->untrusted = true` → `dev->untrusted_dma = true`).
 */
export function renamedIdentifier(removed: string, added: string): [string, string] | undefined {
  const a = tokens(removed);
  const b = tokens(added);
  if (a.length !== b.length) return undefined;
  let pair: [string, string] | undefined;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (pair || !IDENT_RE.test(a[i]!) || !IDENT_RE.test(b[i]!)) return undefined;
    pair = [a[i]!, b[i]!];
  }
  return pair;
}

/**
 * The argument a removed line has and an added line lacks (or the reverse), when that is their only difference:
 * `f(dev, startup)` → `f(dev)` gives "startup".
 */
export function droppedArgument(removed: string, added: string): string | undefined {
  const [long, short] =
    removed.length > added.length ? [tokens(removed), tokens(added)] : [tokens(added), tokens(removed)];
  if (long.length !== short.length + 2) return undefined;
  let i = 0;
  while (i < short.length && long[i] === short[i]) i++;
  const gap = long.slice(i, i + 2);
  const rest = (a: string[], b: string[]) => a.every((t, k) => t === b[k]);
  if (!rest(long.slice(i + 2), short.slice(i))) return undefined;
  if (gap[0] === "," && IDENT_RE.test(gap[1]!)) return gap[1];
  if (gap[1] === "," && IDENT_RE.test(gap[0]!)) return gap[0];
  return undefined;
}
