import { describe, expect, test } from "@jest/globals";
import { archByDir, archLookup } from "../../src/kconfig/arches.js";
import { evaluate, type SymbolLookup } from "../../src/kconfig/evaluate.js";
import { KconfigSyntaxError, parseExpr, printExpr, symbolsOf } from "../../src/kconfig/expr.js";

const env =
  (values: Record<string, 0 | 1 | 2 | string>): SymbolLookup =>
  (name) =>
    values[name];
const tri = (src: string, values: Record<string, 0 | 1 | 2 | string>) => {
  const v = evaluate(parseExpr(src), env(values));
  return v.known ? v.tri : `residual: ${printExpr(v.expr)}`;
};

describe("parseExpr", () => {
  test("|| binds looser than &&, ! tighter than both", () => {
    expect(printExpr(parseExpr("A || B && !C"))).toBe("A || B && !C");
    expect(parseExpr("A || B && C")).toEqual({
      type: "or",
      left: { type: "sym", name: "A" },
      right: { type: "and", left: { type: "sym", name: "B" }, right: { type: "sym", name: "C" } },
    });
  });
  test("parentheses override precedence", () => {
    expect(parseExpr("(A || B) && C").type).toBe("and");
    expect(printExpr(parseExpr("(A || B) && C"))).toBe("(A || B) && C");
  });
  test("comparisons, strings and numbers", () => {
    expect(parseExpr('ARCH = "x86"')).toEqual({
      type: "cmp",
      op: "=",
      left: { type: "sym", name: "ARCH" },
      right: { type: "lit", value: "x86" },
    });
    for (const op of ["!=", "<", "<=", ">", ">="])
      expect(parseExpr(`NR ${op} 4`)).toMatchObject({ type: "cmp", op });
  });
  test("a trailing comment ends the expression", () => {
    expect(printExpr(parseExpr("X86 || S390 # lazy where it always was"))).toBe("X86 || S390");
  });
  test("syntax errors name the column", () => {
    expect(() => parseExpr("X86 ||")).toThrow(KconfigSyntaxError);
    expect(() => parseExpr("(X86 || S390")).toThrow(/missing '\)'/);
    expect(() => parseExpr("X86 S390")).toThrow(/unexpected 'S390'/);
    expect(() => parseExpr("")).toThrow(/empty/);
    try {
      parseExpr("A && && B");
    } catch (e) {
      expect((e as KconfigSyntaxError).column).toBe(5);
    }
  });
  test("canonical printing ignores operand order, plain printing keeps it", () => {
    expect(printExpr(parseExpr("X86 || S390"), true)).toBe(printExpr(parseExpr("S390 || X86"), true));
    expect(printExpr(parseExpr("S390 || X86"))).toBe("S390 || X86");
  });
  test("symbolsOf lists every symbol", () => {
    expect([...symbolsOf(parseExpr("!(A && B = y) || C"))].sort()).toEqual(["A", "B", "C", "y"]);
  });
});

describe("evaluate (tristate)", () => {
  test("! is 2-x, && is min, || is max", () => {
    expect(tri("!A", { A: 1 })).toBe(1);
    expect(tri("!A", { A: 2 })).toBe(0);
    expect(tri("A && B", { A: 1, B: 2 })).toBe(1);
    expect(tri("A || B", { A: 1, B: 0 })).toBe(1);
    expect(tri("y && m", {})).toBe(1);
    expect(tri("n || !n", {})).toBe(2);
  });
  test("comparisons give y or n", () => {
    expect(tri("A = m", { A: 1 })).toBe(2);
    expect(tri("A != y", { A: 2 })).toBe(0);
    expect(tri('ARCH = "x86"', { ARCH: "x86" })).toBe(2);
    expect(tri("NR >= 0x10", { NR: "16" })).toBe(2);
    expect(tri("NR < 8", { NR: "16" })).toBe(0);
  });
  test("a non-bool symbol used as a condition is n", () => {
    expect(tri("NAME", { NAME: "hello" })).toBe(0);
  });
  test("unknown symbols stay in a simplified residual", () => {
    expect(tri("X86 || ARM_SMMU_V3", { X86: 0 })).toBe("residual: ARM_SMMU_V3");
    expect(tri("X86 || ARM_SMMU_V3", { X86: 2 })).toBe(2);
    expect(tri("ARM64 && ARM_SMMU_V3", { ARM64: 0 })).toBe(0);
    expect(tri("!!FOO", {})).toBe("residual: FOO");
    expect(tri("FOO = y", {})).toBe("residual: FOO = y");
  });
});

describe("architecture symbols", () => {
  const onArch = (dir: string, src: string) => {
    const v = evaluate(parseExpr(src), archLookup(archByDir(dir)!));
    return v.known ? v.tri : printExpr(v.expr);
  };
  test("X86 || S390 holds on x86 and s390 only", () => {
    expect(onArch("x86", "X86 || S390")).toBe(2);
    expect(onArch("s390", "X86 || S390")).toBe(2);
    for (const a of ["arm64", "arm", "riscv", "powerpc", "loongarch", "um"])
      expect(onArch(a, "X86 || S390")).toBe(0);
  });
  test("sub-architecture symbols imply their arch and stay open inside it", () => {
    expect(onArch("x86", "X86_64")).toBe("X86_64");
    expect(onArch("arm64", "X86_64")).toBe(0);
    expect(onArch("powerpc", "PPC_POWERNV && PCI")).toBe("PPC_POWERNV && PCI");
    expect(onArch("arm64", "64BIT")).toBe(2);
    expect(onArch("arm", "64BIT")).toBe(0);
  });
  test("retired architectures and COMPILE_TEST are n", () => {
    expect(onArch("x86", "IA64")).toBe(0);
    expect(onArch("x86", "ARM64 || COMPILE_TEST")).toBe(0);
  });
});

describe("printExpr of quoted literals", () => {
  test("a literal holding one kind of quote is printed in the other, and parses back", () => {
    for (const src of [`A = ' "str" '`, `A = "it's"`, `A = "plain"`]) {
      const printed = printExpr(parseExpr(src));
      expect(parseExpr(printed)).toEqual(parseExpr(src));
    }
    expect(printExpr(parseExpr(`A = ' "q" '`))).toBe(`A = ' "q" '`);
  });
});
