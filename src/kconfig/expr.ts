// Kconfig expressions, as in Documentation/kbuild/kconfig-language.rst ("Menu dependencies") and
// scripts/kconfig/parser.y. Precedence, from tightest: symbol and comparisons, "(...)", "!", "&&", "||".

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";

export type Expr =
  | { type: "sym"; name: string }
  /** A quoted string or number used as an operand ("foo", 0x10). */
  | { type: "lit"; value: string }
  | { type: "not"; arg: Expr }
  | { type: "and"; left: Expr; right: Expr }
  | { type: "or"; left: Expr; right: Expr }
  | { type: "cmp"; op: CompareOp; left: Expr; right: Expr };

export class KconfigSyntaxError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = "KconfigSyntaxError";
  }
}

type Token =
  | { kind: "sym"; text: string; at: number }
  | { kind: "lit"; text: string; at: number }
  | { kind: "op"; text: "!" | "&&" | "||" | "(" | ")" | CompareOp; at: number };

const OPERATORS = ["&&", "||", "!=", "<=", ">=", "=", "<", ">", "!", "(", ")"] as const;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "#") break; // a trailing comment ends the expression
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (op) {
      tokens.push({ kind: "op", text: op, at: i });
      i += op.length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new KconfigSyntaxError("unterminated string", i);
      tokens.push({ kind: "lit", text: src.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    if (c === "$" && src[i + 1] === "(") {
      // A preprocessor macro such as $(success,...): kept opaque, it cannot be evaluated without a toolchain.
      let depth = 0;
      let j = i + 1;
      for (; j < src.length; j++) {
        if (src[j] === "(") depth++;
        else if (src[j] === ")" && --depth === 0) break;
      }
      if (j >= src.length) throw new KconfigSyntaxError("unterminated $( macro", i);
      tokens.push({ kind: "sym", text: src.slice(i, j + 1), at: i });
      i = j + 1;
      continue;
    }
    const m = /^[A-Za-z0-9_.-]+/.exec(src.slice(i, i + 256));
    if (!m) throw new KconfigSyntaxError(`unexpected character '${c}'`, i);
    tokens.push({ kind: "sym", text: m[0], at: i });
    i += m[0].length;
  }
  return tokens;
}

/**
 * Real Kconfig expressions have a few dozen tokens; bounding them keeps the recursive parser and evaluator
 * far from the stack limit whatever a patch contains.
 */
export const MAX_EXPR_TOKENS = 1000;

/** Parses a Kconfig expression; throws KconfigSyntaxError naming the column. */
export function parseExpr(src: string): Expr {
  const tokens = tokenize(src);
  if (tokens.length > MAX_EXPR_TOKENS)
    throw new KconfigSyntaxError(
      `expression too long (over ${MAX_EXPR_TOKENS} tokens)`,
      tokens[MAX_EXPR_TOKENS]!.at,
    );
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (msg: string): never => {
    throw new KconfigSyntaxError(msg, peek()?.at ?? src.length);
  };

  function parseOr(): Expr {
    let left = parseAnd();
    while (peek()?.text === "||" && peek()?.kind === "op") {
      pos++;
      left = { type: "or", left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): Expr {
    let left = parseUnary();
    while (peek()?.text === "&&" && peek()?.kind === "op") {
      pos++;
      left = { type: "and", left, right: parseUnary() };
    }
    return left;
  }
  function parseUnary(): Expr {
    const t = peek();
    if (!t) return fail("expression ends too early");
    if (t.kind === "op" && t.text === "!") {
      pos++;
      return { type: "not", arg: parseUnary() };
    }
    if (t.kind === "op" && t.text === "(") {
      pos++;
      const inner = parseOr();
      if (peek()?.text !== ")") fail("missing ')'");
      pos++;
      return inner;
    }
    return parseComparison();
  }
  function parseOperand(): Expr {
    const t = peek();
    if (!t || t.kind === "op") return fail(t ? `unexpected '${t.text}'` : "expression ends too early");
    pos++;
    return t.kind === "lit" ? { type: "lit", value: t.text } : { type: "sym", name: t.text };
  }
  function parseComparison(): Expr {
    const left = parseOperand();
    const t = peek();
    if (t?.kind === "op" && ["=", "!=", "<", "<=", ">", ">="].includes(t.text)) {
      pos++;
      return { type: "cmp", op: t.text as CompareOp, left, right: parseOperand() };
    }
    return left;
  }

  if (tokens.length === 0) fail("empty expression");
  const expr = parseOr();
  if (pos < tokens.length) fail(`unexpected '${tokens[pos]!.text}'`);
  return expr;
}

/** Operands of a chain of the same associative operator, flattened: a || (b || c) → [a, b, c]. */
function flatten(e: Expr, type: "and" | "or"): Expr[] {
  return e.type === type ? [...flatten(e.left, type), ...flatten(e.right, type)] : [e];
}

/**
 * Prints an expression with minimal parentheses. With `canonical`, operands of && and || are sorted so that
 * reordering "X86 || S390" prints the same; used to compare conditional results, never to quote the patch.
 */
export function printExpr(e: Expr, canonical = false): string {
  const prec = (x: Expr) => (x.type === "or" ? 1 : x.type === "and" ? 2 : 3);
  const wrap = (x: Expr, min: number) =>
    prec(x) < min ? `(${printExpr(x, canonical)})` : printExpr(x, canonical);
  switch (e.type) {
    case "sym":
      return e.name;
    case "lit":
      if (/^(-?\d+|0x[0-9a-fA-F]+)$/.test(e.value)) return e.value;
      // A literal read from '…' may hold a '"' (and one from "…" a "'"): quote it with the other kind.
      return e.value.includes('"') ? `'${e.value}'` : `"${e.value}"`;
    case "not":
      return `!${wrap(e.arg, 3)}`;
    case "cmp":
      return `${printExpr(e.left, canonical)} ${e.op} ${printExpr(e.right, canonical)}`;
    case "and":
    case "or": {
      const parts = flatten(e, e.type).map((x) => wrap(x, e.type === "or" ? 2 : 3));
      if (canonical) parts.sort();
      return parts.join(e.type === "or" ? " || " : " && ");
    }
  }
}

/** Every symbol name an expression mentions. */
export function symbolsOf(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.type) {
    case "sym":
      out.add(e.name);
      break;
    case "lit":
      break;
    case "not":
      symbolsOf(e.arg, out);
      break;
    default:
      symbolsOf(e.left, out);
      symbolsOf(e.right, out);
  }
  return out;
}
