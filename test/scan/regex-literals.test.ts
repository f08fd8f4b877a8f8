import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { requiredLiterals } from "../../src/ingest/regex-literals.js";
import { RULES } from "./review.js";

describe("requiredLiterals", () => {
  test("the shipped rules' patterns each need a literal (so C and config patches can be prefiltered)", () => {
    for (const rule of RULES)
      for (const pattern of rule.match.patterns ?? []) expect(requiredLiterals(pattern)).toBeDefined();
    expect(requiredLiterals(String.raw`^(?![+-]?\s*\*)(?:(?!/\*|//).)*?\biommu_set_dma_strict\s*\(`)).toEqual(
      ["iommu_set_dma_strict"],
    );
    expect(requiredLiterals(String.raw`#\s*define\s+IOVA_(?:DEFAULT|SINGLE)_FQ_(?:SIZE|TIMEOUT)\b`)).toEqual([
      "IOVA_DEFAULT_FQ_SIZE",
      "IOVA_DEFAULT_FQ_TIMEOUT",
      "IOVA_SINGLE_FQ_SIZE",
      "IOVA_SINGLE_FQ_TIMEOUT",
    ]);
  });

  test.each([
    ["a|b", ["a", "b"]],
    ["abc?d", ["abcd", "abd"]],
    ["x[ab]y", ["xay", "xby"]],
    [String.raw`\x41BC`, ["ABC"]],
    ["a{2}b", ["aab"]],
    ["[a-z]+foo", ["foo"]],
  ])("%s needs one of %j", (pattern, literals) => {
    expect(requiredLiterals(pattern)).toEqual(literals);
  });

  test.each([".*", "a|.*", "^$", "(?:ab)*", "[^x]", "a\\nb", "(unclosed", "\\k<n>"])(
    "%s: nothing is required (or nothing known)",
    (pattern) => {
      expect(requiredLiterals(pattern)).toBeUndefined();
    },
  );

  // Soundness: whenever a pattern matches, the match contains one of its required literals. Patterns and
  // texts use a tiny alphabet so that matches are common.
  const atom = fc.oneof(
    fc.constantFrom("a", "b", "c", ".", "[ab]", "[^a]", "\\b", "^", "$", "\\s", "\\x61", "\\.", "-", "[.-]"),
    fc.constantFrom("(?=a)", "(?!b)", "(?<=c)"),
  );
  const pattern: fc.Arbitrary<string> = fc.letrec<{ expr: string; seq: string; term: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small" },
      tie("seq"),
      fc.tuple(tie("seq"), tie("seq")).map(([a, b]) => `${a}|${b}`),
    ),
    seq: fc.array(tie("term"), { minLength: 1, maxLength: 5 }).map((t) => t.join("")),
    term: fc.oneof(
      { depthSize: "small" },
      atom,
      fc
        .tuple(tie("term"), fc.constantFrom("*", "+", "?", "{2}", "{1,3}", "+?"))
        .map(([t, q]) => `(?:${t})${q}`),
      tie("expr").map((e) => `(${e})`),
    ),
  })).expr;

  test("property: every match contains a required literal", () => {
    fc.assert(
      fc.property(
        pattern,
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", "c", " ", ".", "-") }), { maxLength: 8 }),
        (source, texts) => {
          const literals = requiredLiterals(source);
          if (!literals) return;
          expect(literals.every((l) => l.length > 0)).toBe(true);
          const re = new RegExp(source);
          for (const text of texts) {
            const m = re.exec(text);
            if (m) expect(literals.some((l) => text.includes(l))).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
