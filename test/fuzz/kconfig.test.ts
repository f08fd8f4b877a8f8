import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { evaluate, type Tristate } from "../../src/kconfig/evaluate.js";
import { type Expr, KconfigSyntaxError, parseExpr, printExpr } from "../../src/kconfig/expr.js";
import { expectWithinBudget, FUZZ } from "./budget.js";

// The Kconfig expression parser may only ever throw KconfigSyntaxError, and the evaluator never throws.

const token = fc.oneof(
  fc.constantFrom("X86", "ARM64", "S390", "y", "m", "n", "0x10", "-1", '"str"', "'q'", "$(cc-option,-m64)"),
  fc.constantFrom("!", "&&", "||", "=", "!=", "<", "<=", ">", ">=", "(", ")", "#", "$(", '"', "@", "\t"),
  fc.string({ maxLength: 4 }),
);
const tokens = fc.array(token, { maxLength: 40 }).map((t) => t.join(" "));
const lookup = fc.func(fc.constantFrom<Tristate | string | undefined>(0, 1, 2, undefined, "y", "foo", "16"));

function parseOrSyntaxError(src: string): Expr | undefined {
  try {
    return parseExpr(src);
  } catch (error) {
    expect(error).toBeInstanceOf(KconfigSyntaxError);
    return undefined;
  }
}

describe("Kconfig expressions (fuzz)", () => {
  test("token soup: an expression or a KconfigSyntaxError; evaluation never throws", () => {
    fc.assert(
      fc.property(tokens, lookup, (src, look) => {
        const started = performance.now();
        const expr = parseOrSyntaxError(src);
        if (expr) {
          evaluate(expr, look);
          // What the parser prints, it parses again to the same thing.
          expect(printExpr(parseExpr(printExpr(expr)))).toBe(printExpr(expr));
        }
        expectWithinBudget(started, src.length);
      }),
      FUZZ,
    );
  });

  test("any string: an expression or a KconfigSyntaxError", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000, unit: "binary" }), (src) => {
        const started = performance.now();
        const expr = parseOrSyntaxError(src);
        if (expr) evaluate(expr, () => undefined);
        expectWithinBudget(started, src.length);
      }),
      FUZZ,
    );
  });

  test("nesting and chains as deep as a few KB of text evaluate or give a KconfigSyntaxError", () => {
    for (const src of [
      `${"(".repeat(400)}A${")".repeat(400)}`,
      `${"!".repeat(900)}A`,
      `${"(".repeat(1000)}A${")".repeat(1000)}`,
      `${"!".repeat(2000)}A`,
      Array(1000).fill("A").join(" || "),
      Array(1000).fill("A && B").join(" || "),
    ]) {
      const started = performance.now();
      try {
        evaluate(parseExpr(src), () => undefined);
      } catch (e) {
        expect(e).toBeInstanceOf(KconfigSyntaxError);
      }
      expectWithinBudget(started, src.length);
    }
  });

  // Recursion depth follows the input, so the parser bounds the number of tokens (MAX_EXPR_TOKENS).
  test("10,000 nested parentheses (20 KB) give a KconfigSyntaxError, not a RangeError", () => {
    expect(() => parseExpr(`${"(".repeat(10_000)}A${")".repeat(10_000)}`)).toThrow(KconfigSyntaxError);
  });

  test("a chain of 5,000 '||' (25 KB) is refused as too long; 400 still evaluate", () => {
    expect(() => parseExpr(Array(5000).fill("A").join(" || "))).toThrow(/expression too long/);
    const v = evaluate(parseExpr(Array(400).fill("A").join(" || ")), () => 0);
    expect(v).toEqual({ known: true, tri: 0 });
  });
});
