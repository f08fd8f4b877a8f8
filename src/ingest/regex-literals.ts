// The literal strings a regular expression cannot match without: for a rule pattern such as
// `\biommu_set_dma_strict\s*\(`, every match contains "iommu_set_dma_strict". The prefilter looks for these
// in raw message bytes, so a message that contains none of them cannot fire the rule.
//
// Reads JavaScript regular expression source as `new RegExp(source)` does (no flags, Annex B syntax).
// Anything it does not understand counts as "could match anything": the answer is then undefined, never wrong.

interface Info {
  /** The node matches exactly one of these strings; undefined when unknown or too many. */
  exact?: Set<string>;
  /** Every match contains one of these strings; undefined when nothing is known. */
  required?: Set<string>;
}

const MAX_SET = 64;
const MAX_LITERAL = 256;
const ANYTHING: Info = {};
const EMPTY: Info = { exact: new Set([""]) };

class Unsupported extends Error {}

/**
 * Strings one of which is a substring of every match of `source`, or undefined when the pattern can match
 * without any literal (or uses syntax this reader does not know). Never returns an empty string.
 */
export function requiredLiterals(source: string): string[] | undefined {
  let info: Info;
  try {
    const parser = new Parser(source);
    info = parser.disjunction();
    if (!parser.atEnd()) return undefined;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
  const best = requirementOf(info);
  return best ? [...best].sort() : undefined;
}

/** A node's own usable requirement: its exact strings when none is empty, else what it requires. */
function requirementOf(info: Info): Set<string> | undefined {
  if (info.exact && usable(info.exact)) return info.exact;
  return info.required;
}

function usable(set: Set<string>): boolean {
  for (const s of set) if (s === "" || /[\r\n]/.test(s)) return false;
  return true;
}

/** The more selective of two requirements: the one whose shortest string is longer. */
function better(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const shortest = (s: Set<string>) => Math.min(...[...s].map((x) => x.length));
  const [la, lb] = [shortest(a), shortest(b)];
  if (la !== lb) return la > lb ? a : b;
  return a.size <= b.size ? a : b;
}

function product(a: Set<string>, b: Set<string>): Set<string> | undefined {
  if (a.size * b.size > MAX_SET) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  for (const s of out) if (s.length > MAX_LITERAL) return undefined;
  return out;
}

function sequence(items: readonly Info[]): Info {
  // `run` holds the exact strings of the items read since the last one without exact strings.
  let run = new Set([""]);
  let whole = true;
  let required: Set<string> | undefined;
  const closeRun = () => {
    if (usable(run)) required = better(required, run);
  };
  for (const item of items) {
    required = better(required, item.required);
    const joined = item.exact ? product(run, item.exact) : undefined;
    if (joined) {
      run = joined;
      continue;
    }
    whole = false;
    closeRun();
    run = item.exact ? new Set(item.exact) : new Set([""]);
  }
  closeRun();
  return whole ? { exact: run, required } : { required };
}

function alternation(branches: readonly Info[]): Info {
  if (branches.length === 1) return branches[0]!;
  let exact: Set<string> | undefined = new Set();
  for (const b of branches) {
    if (!b.exact || !exact) {
      exact = undefined;
      break;
    }
    for (const s of b.exact) exact.add(s);
    if (exact.size > MAX_SET) exact = undefined;
  }
  let required: Set<string> | undefined = new Set();
  for (const b of branches) {
    const r = requirementOf(b);
    if (!r) {
      required = undefined;
      break;
    }
    for (const s of r) required.add(s);
  }
  return { exact, required: required && required.size <= MAX_SET ? required : undefined };
}

function repeat(info: Info, min: number, max: number): Info {
  if (min === 0) {
    if (max === 1 && info.exact) {
      const exact = new Set(info.exact);
      exact.add("");
      return { exact };
    }
    return ANYTHING;
  }
  const required = requirementOf(info);
  if (min === max && info.exact) {
    let exact: Set<string> | undefined = new Set([""]);
    for (let i = 0; i < min && exact; i++) exact = product(exact, info.exact);
    if (exact) return { exact, required };
  }
  return { required };
}

class Parser {
  private at = 0;

  constructor(private readonly src: string) {}

  atEnd(): boolean {
    return this.at >= this.src.length;
  }

  disjunction(): Info {
    const branches = [this.alternative()];
    while (this.src[this.at] === "|") {
      this.at++;
      branches.push(this.alternative());
    }
    return alternation(branches);
  }

  private alternative(): Info {
    const items: Info[] = [];
    while (!this.atEnd() && this.src[this.at] !== "|" && this.src[this.at] !== ")") {
      items.push(this.term());
    }
    return sequence(items);
  }

  private term(): Info {
    const c = this.src[this.at]!;
    if (c === "^" || c === "$") {
      this.at++;
      return EMPTY;
    }
    if (c === "(" && this.src.startsWith("(?", this.at)) {
      const lookaround = /^\(\?(?:=|!|<=|<!)/.exec(this.src.slice(this.at, this.at + 4));
      if (lookaround) {
        this.at += lookaround[0].length;
        this.disjunction();
        this.expect(")");
        return EMPTY; // consumes nothing, whatever it looks at
      }
    }
    const atom = this.atom();
    return this.quantified(atom);
  }

  private quantified(atom: Info): Info {
    const c = this.src[this.at];
    let min: number;
    let max: number;
    if (c === "*" || c === "+" || c === "?") {
      this.at++;
      [min, max] = c === "*" ? [0, Infinity] : c === "+" ? [1, Infinity] : [0, 1];
    } else if (c === "{") {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.at));
      if (!braces) return atom; // Annex B: a "{" that is no quantifier is a literal, read by atom()
      this.at += braces[0].length;
      min = Number(braces[1]);
      max = braces[2] === undefined ? min : braces[3] === "" ? Infinity : Number(braces[3]);
    } else return atom;
    if (this.src[this.at] === "?") this.at++; // lazy: same strings
    return repeat(atom, min, max);
  }

  private atom(): Info {
    const c = this.src[this.at]!;
    this.at++;
    switch (c) {
      case ".":
        return ANYTHING;
      case "(": {
        if (this.src.startsWith("?:", this.at)) this.at += 2;
        else if (this.src.startsWith("?<", this.at)) {
          const close = this.src.indexOf(">", this.at);
          if (close < 0) throw new Unsupported();
          this.at = close + 1;
        } else if (this.src[this.at] === "?") throw new Unsupported();
        const inner = this.disjunction();
        this.expect(")");
        return inner;
      }
      case "[":
        return this.characterClass();
      case "\\":
        return this.escape();
      case "*":
      case "+":
      case "?":
      case ")":
        throw new Unsupported();
      default:
        return { exact: new Set([c]) };
    }
  }

  private escape(): Info {
    const c = this.src[this.at];
    if (c === undefined) throw new Unsupported();
    this.at++;
    if (c === "b" || c === "B") return EMPTY;
    if ("dDwWsS".includes(c)) return ANYTHING;
    if (c >= "1" && c <= "9") return ANYTHING; // a back-reference (or an octal escape): unknown text
    if (c === "k") throw new Unsupported();
    const char = this.escapedChar(c);
    return { exact: new Set([char]) };
  }

  /** The character an escape outside a class stands for; `c` is the character after the backslash. */
  private escapedChar(c: string): string {
    const simple: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v", "0": "\0" };
    if (c in simple) return simple[c]!;
    if (c === "x" || c === "u") {
      const digits = c === "x" ? 2 : 4;
      const hex = this.src.slice(this.at, this.at + digits);
      if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) throw new Unsupported();
      this.at += digits;
      return String.fromCharCode(Number.parseInt(hex, 16));
    }
    if (c === "c") throw new Unsupported();
    return c; // an escaped punctuation character (or an identity escape) stands for itself
  }

  private characterClass(): Info {
    const negated = this.src[this.at] === "^";
    if (negated) this.at++;
    const chars = new Set<string>();
    let wide = negated;
    if (this.src[this.at] === "]") throw new Unsupported(); // "[]" matches nothing, "[^]" anything
    for (;;) {
      const c = this.src[this.at];
      if (c === undefined) throw new Unsupported();
      if (c === "]") break;
      const char = this.classAtom();
      if (char === undefined) wide = true;
      else chars.add(char);
      if (this.src[this.at] === "-" && this.src[this.at + 1] !== "]") {
        this.at++;
        this.classAtom();
        wide = true; // a range: too many characters to be worth listing
      }
    }
    this.at++;
    if (wide || chars.size > 16) return ANYTHING;
    return { exact: chars };
  }

  /** One character of a class, or undefined for a class escape such as \d. */
  private classAtom(): string | undefined {
    const c = this.src[this.at];
    if (c === undefined) throw new Unsupported();
    this.at++;
    if (c !== "\\") return c;
    const e = this.src[this.at];
    if (e === undefined) throw new Unsupported();
    this.at++;
    if ("dDwWsS".includes(e)) return undefined;
    if (e === "b") return "\b";
    if (e === "B" || e === "k" || (e >= "1" && e <= "9")) throw new Unsupported();
    return this.escapedChar(e);
  }

  private expect(c: string): void {
    if (this.src[this.at] !== c) throw new Unsupported();
    this.at++;
  }
}

/**
 * A regular expression matching any of `literals`: one alternation, where a literal that contains another
 * adds nothing, and sorted ones run faster.
 */
export function literalAlternation(literals: readonly string[], flags = ""): RegExp {
  const unique = [...new Set(literals)];
  const needed = unique.filter((l) => !unique.some((other) => other !== l && l.includes(other))).sort();
  return new RegExp(needed.map((l) => l.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&")).join("|"), flags);
}
