import { type Expr, parseExpr } from "./expr.js";

// A tolerant reader of Kconfig text (Documentation/kbuild/kconfig-language.rst, "Menu entries" and
// "Menu attributes"). It also reads fragments: the lines of a hunk, which may start or end in the middle
// of an entry. Entries record whether their start and end were seen, so callers know what they may conclude.

export interface ViewLine {
  text: string;
  /** Line number in the file (pre- or post-image). */
  line: number;
}

export interface DefaultProp {
  /** The default value: a symbol, y/m/n, or a literal. */
  value: Expr;
  cond?: Expr;
  line: number;
  /** The attribute as written, trimmed (e.g. "default IOMMU_DEFAULT_DMA_LAZY if X86 || S390"). */
  text: string;
}

export interface KconfigEntry {
  kind: "config" | "menuconfig" | "choice";
  /** Symbol name of a config; the optional name of a choice. */
  name?: string;
  prompt?: string;
  promptCond?: Expr;
  /** bool, tristate, string, int or hex. */
  type?: string;
  dependsOn: Expr[];
  /** Conditions of enclosing "if" blocks and menus seen in the text. */
  enclosing: Expr[];
  defaults: DefaultProp[];
  /** Members of a choice, in order. */
  members: KconfigEntry[];
  /** Symbols this entry selects or implies (they may be enabled without their own default). */
  selects: string[];
  /** The choice a member belongs to. */
  choice?: KconfigEntry;
  /** First and last line of the entry's attributes (help text included). */
  startLine: number;
  endLine: number;
  /** The "config"/"choice" line itself was in the text. */
  headerSeen: boolean;
  /** The text showed where the entry's attributes end (help, another entry, endchoice...). */
  endSeen: boolean;
  /**
   * A choice whose text starts below its header without showing its prompt first: defaults above the text may
   * exist, so what the shown ones decide is not known.
   */
  leadUnknown?: boolean;
}

const ENTRY_RE = /^(config|menuconfig)\s+([A-Za-z0-9_]+)\s*$/;
const CHOICE_RE = /^choice(?:\s+([A-Za-z0-9_]+))?\s*$/;
const BLOCK_END_RE = /^(endchoice|endmenu|endif|source|rsource|osource|orsource|mainmenu|menu|comment|if)\b/;
const TYPES = ["bool", "tristate", "string", "int", "hex", "boolean"];

/** Width of leading white space, tabs to 8 columns, as the Kconfig lexer counts help indentation. */
function indentWidth(s: string): number {
  let w = 0;
  for (const c of s) {
    if (c === " ") w++;
    else if (c === "\t") w = (w & ~7) + 8;
    else break;
  }
  return w;
}

/** Splits "EXPR if COND" at a top-level "if" (outside quotes and parentheses). */
export function splitIf(text: string): { value: string; cond?: string } {
  let depth = 0;
  let quote = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = "";
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (
      depth === 0 &&
      text.startsWith("if", i) &&
      /\s/.test(text[i - 1] ?? "") &&
      /\s/.test(text[i + 2] ?? "")
    ) {
      return { value: text.slice(0, i).trim(), cond: text.slice(i + 2).trim() };
    }
  }
  return { value: text.trim() };
}

/** An expression that could not be parsed is kept as an opaque, never-resolved symbol. */
function safeExpr(src: string): Expr {
  try {
    return parseExpr(src);
  } catch {
    return { type: "sym", name: `<unparsed: ${src}>` };
  }
}

function stripComment(s: string): string {
  let quote = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#") return s.slice(0, i);
  }
  return s;
}

function parsePrompt(rest: string): { prompt?: string; cond?: Expr } {
  const { value, cond } = splitIf(rest);
  const m = /^"((?:[^"\\]|\\.)*)"|^'((?:[^'\\]|\\.)*)'/.exec(value);
  const prompt = m ? (m[1] ?? m[2]) : value || undefined;
  return { prompt, cond: cond ? safeExpr(cond) : undefined };
}

/** Joins backslash-continued lines, keeping the number of the first. */
function joinContinuations(lines: readonly ViewLine[]): ViewLine[] {
  const out: ViewLine[] = [];
  let pending: ViewLine | undefined;
  for (const l of lines) {
    const text = pending ? `${pending.text.trimEnd()} ${l.text.trim()}` : l.text;
    const start = pending?.line ?? l.line;
    if (text.endsWith("\\")) pending = { text: text.slice(0, -1), line: start };
    else {
      pending = undefined;
      out.push({ text, line: start });
    }
  }
  if (pending) out.push(pending);
  return out;
}

export interface ParseOptions {
  /**
   * The text starts inside a choice's attributes, above its first member: git names such a hunk's section
   * "choice" (the last unindented line before it), and the lines belong to that choice.
   */
  openChoice?: boolean;
}

export function parseKconfig(input: readonly ViewLine[], opts: ParseOptions = {}): KconfigEntry[] {
  const entries: KconfigEntry[] = [];
  const lines = joinContinuations(input);
  const enclosing: Expr[] = [];
  let current: KconfigEntry | undefined;
  let choice: KconfigEntry | undefined;
  let helpIndent = -1; // >= 0 while inside a help text: the indentation of the "help" line

  const newEntry = (
    kind: KconfigEntry["kind"],
    line: number,
    headerSeen: boolean,
    name?: string,
  ): KconfigEntry => ({
    kind,
    name,
    dependsOn: [],
    enclosing: [...enclosing],
    defaults: [],
    members: [],
    selects: [],
    startLine: line,
    endLine: line,
    headerSeen,
    endSeen: false,
  });
  const close = () => {
    if (current) current.endSeen = true;
    current = undefined;
  };
  if (opts.openChoice) {
    current = newEntry("choice", lines[0]?.line ?? 0, false);
    choice = current;
    entries.push(current);
  }

  for (const { text: raw, line } of lines) {
    if (helpIndent >= 0) {
      if (raw.trim() === "") continue;
      if (indentWidth(raw) > helpIndent) {
        if (current) current.endLine = line;
        continue;
      }
      helpIndent = -1;
    }
    const text = stripComment(raw).trim();
    if (text === "") continue;

    const entryMatch = ENTRY_RE.exec(text);
    if (entryMatch) {
      const m = entryMatch;
      if (choice && !choice.headerSeen) choice.leadUnknown ??= true;
      close();
      current = newEntry(m[1] as "config" | "menuconfig", line, true, m[2]);
      if (choice) {
        current.choice = choice;
        choice.members.push(current);
      }
      entries.push(current);
      continue;
    }
    const choiceMatch = CHOICE_RE.exec(text);
    if (choiceMatch) {
      const m = choiceMatch;
      close();
      current = newEntry("choice", line, true, m[1]);
      choice = current;
      entries.push(current);
      continue;
    }
    if (text === "endchoice") {
      close();
      if (choice) choice.endSeen = true;
      choice = undefined;
      continue;
    }
    if (BLOCK_END_RE.test(text)) {
      close();
      const [kw, ...rest] = text.split(/\s+/);
      if (kw === "if") enclosing.push(safeExpr(rest.join(" ")));
      else if (kw === "endif") enclosing.pop();
      continue;
    }

    // An attribute. Text that starts in the middle of an entry gets an entry whose header was not seen.
    if (!current) {
      current = newEntry("config", line, false);
      entries.push(current);
    }
    current.endLine = line;
    const [keyword = "", ...restWords] = text.split(/\s+/);
    // By convention a choice's prompt comes first; an open choice that starts elsewhere may hide defaults.
    if (opts.openChoice && current === choice && !current.headerSeen && current.leadUnknown === undefined)
      current.leadUnknown = keyword !== "prompt";
    const rest = text.slice(keyword.length).trim();
    if (keyword === "help" || keyword === "---help---") {
      helpIndent = indentWidth(raw);
      current.endSeen = true; // help closes the attribute list by convention
      continue;
    }
    if (TYPES.includes(keyword) || keyword === "prompt") {
      if (keyword !== "prompt") current.type = keyword === "boolean" ? "bool" : keyword;
      if (rest) {
        const p = parsePrompt(rest);
        current.prompt = p.prompt;
        current.promptCond = p.cond;
      }
    } else if (keyword === "def_bool" || keyword === "def_tristate") {
      current.type = keyword === "def_bool" ? "bool" : "tristate";
      const { value, cond } = splitIf(rest);
      current.defaults.push({ value: safeExpr(value), cond: cond ? safeExpr(cond) : undefined, line, text });
    } else if (keyword === "default") {
      const { value, cond } = splitIf(rest);
      current.defaults.push({ value: safeExpr(value), cond: cond ? safeExpr(cond) : undefined, line, text });
    } else if (keyword === "depends" && restWords[0] === "on") {
      current.dependsOn.push(safeExpr(rest.slice(2).trim()));
    } else if ((keyword === "select" || keyword === "imply") && restWords[0]) {
      current.selects.push(restWords[0]);
    }
    // range, option, visible, modules and transitional do not change a default.
  }
  return entries;
}

/** A whole file's text as numbered lines, for parseKconfig. */
export const viewOf = (text: string): ViewLine[] =>
  text.split("\n").map((t, i) => ({ text: t, line: i + 1 }));

/** The entry whose lines include `line`, if any. */
export function entryAt(entries: readonly KconfigEntry[], line: number): KconfigEntry | undefined {
  return entries.find((e) => e.startLine <= line && line <= e.endLine);
}

/** How an entry is known across pre- and post-image: by symbol, by choice prompt, or by position. */
export function entryKey(e: KconfigEntry): string | undefined {
  if (e.kind === "choice") return e.prompt ? `choice:${e.prompt}` : e.name ? `choice:${e.name}` : undefined;
  return e.name ? `config:${e.name}` : undefined;
}
