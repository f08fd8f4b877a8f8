import { describe, expect, test } from "@jest/globals";
import { wrap } from "../../src/render/text.js";
import { columns } from "../../src/render/wrap.js";

describe("wrap", () => {
  const prose = "The quick brown fox jumps over the lazy dog. ".repeat(6).trim();

  test("breaks prose at spaces within the width", () => {
    const lines = wrap(prose).split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(72);
    expect(lines.join(" ")).toBe(prose);
  });

  test("honours a custom width", () => {
    for (const line of wrap(prose, 40).split("\n")) expect(line.length).toBeLessThanOrEqual(40);
  });

  test("never touches quoted lines", () => {
    const quoted = `> ${prose}`;
    expect(wrap(quoted)).toBe(quoted);
  });

  test("keeps the caller's line breaks and short lines", () => {
    expect(wrap("one\ntwo\n\nthree")).toBe("one\ntwo\n\nthree");
  });

  test("hangs list continuations under the item text", () => {
    const lines = wrap(`  - ${prose}`).split("\n");
    expect(lines[0]!.startsWith("  - The")).toBe(true);
    for (const line of lines.slice(1)) expect(line).toMatch(/^ {4}\S/);
  });

  test("leaves a word longer than the width whole", () => {
    const url = `https://lore.kernel.org/r/${"x".repeat(80)}@example.org`;
    expect(wrap(`see ${url} for details`)).toBe(`see\n${url}\nfor details`);
  });

  test("counts tabs to the next tab stop", () => {
    expect(columns("\tx")).toBe(9);
    expect(columns("ab\tx")).toBe(9);
  });
});
