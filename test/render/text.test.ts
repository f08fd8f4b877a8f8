import { describe, expect, test } from "@jest/globals";
import type { HunkLine, Review } from "../../src/model.js";
import { quoteLines, renderText } from "../../src/render/text.js";
import { columns } from "../../src/render/wrap.js";
import { ARM64_ENTRY, ARM64_FINDING, ARM64_HUNK, REVIEW } from "./fixtures.js";

const ANSI = /\x1b\[[0-9;]*m/g;
const mark = (l: HunkLine) => `${{ context: " ", add: "+", del: "-" }[l.kind]}${l.text}`;

/** Lines that are not prose: quoted hunk lines and the rows of a per-arch table. */
function proseLines(text: string): string[] {
  const blocks = text.split("\n\n");
  return blocks
    .filter((block) => !/^ {2}arch +before +after/.test(block))
    .flatMap((block) => block.split("\n"))
    .filter((line) => !line.startsWith("> "));
}

const longWinded: Review = {
  patches: [
    {
      ...ARM64_ENTRY,
      findings: [
        {
          ...ARM64_FINDING,
          message: `${"A sentence that goes on and on about Kconfig defaults and architectures. ".repeat(8)}\nSecond line.`,
          table: [
            {
              arch: "arm64",
              before: "IOMMU_DEFAULT_DMA_STRICT",
              after: "IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3 || ARM_SMMU, else IOMMU_DEFAULT_DMA_STRICT",
              changed: true,
            },
          ],
          quote: [
            {
              kind: "add",
              text: `\tdefault IOMMU_DEFAULT_DMA_LAZY if ${"VERY_LONG_SYMBOL || ".repeat(5)}ARM64`,
            },
          ],
        },
      ],
    },
  ],
};

describe("renderText", () => {
  const text = renderText(REVIEW);

  test("prose lines fit in 72 columns; quoted and table lines are left alone", () => {
    for (const out of [text, renderText(longWinded)]) {
      for (const line of proseLines(out)) expect(columns(line)).toBeLessThanOrEqual(72);
    }
    const long = renderText(longWinded);
    expect(long).toContain(`> +${longWinded.patches[0]!.findings[0]!.quote[0]!.text}\n`);
    // A table wider than 72 columns becomes one wrapped item per row.
    expect(long).toContain(
      "  - arm64 (changed): IOMMU_DEFAULT_DMA_STRICT → IOMMU_DEFAULT_DMA_LAZY\n    if ARM_SMMU_V3 || ARM_SMMU, else IOMMU_DEFAULT_DMA_STRICT",
    );
    for (const line of long.split("\n").filter((l) => !l.startsWith(">")))
      expect(columns(line)).toBeLessThanOrEqual(72);
  });

  test("no escape codes without color", () => {
    expect(text).not.toMatch(/\x1b/);
    expect(renderText(REVIEW, { color: false })).toBe(text);
  });

  test("color adds escape codes and nothing else", () => {
    const colored = renderText(REVIEW, { color: true });
    expect(colored).toMatch(ANSI);
    expect(colored).toContain("\x1b[1;33mwarning:\x1b[0m");
    expect(colored.replace(ANSI, "")).toBe(text);
  });

  test("quotes keep the diff markers and mark snipped lines", () => {
    expect(text).toContain(
      [
        ">  choice",
        '>  \tprompt "IOMMU default domain type"',
        "[...]",
        "> -\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
        "> +\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64",
        ">  \tdefault IOMMU_DEFAULT_DMA_STRICT",
      ].join("\n"),
    );
    expect(quoteLines(ARM64_HUNK)).not.toContain("[...]");
  });

  test("quoted lines follow the patch's own order, not the order the finding lists them", () => {
    const hunk = ARM64_HUNK;
    const shuffled = [hunk[3]!, hunk[0]!, hunk[2]!];
    const out = quoteLines(shuffled, [hunk]);
    expect(out).toEqual([`> ${mark(hunk[0]!)}`, "[...]", `> ${mark(hunk[2]!)}`, `> ${mark(hunk[3]!)}`]);
  });

  test("two findings on one spot: one quote, one table, the arguments once", () => {
    const twice: Review = {
      patches: [
        {
          ...ARM64_ENTRY,
          findings: [ARM64_FINDING, { ...ARM64_FINDING, severity: "info", rule: "another-rule" }],
        },
      ],
    };
    const out = renderText(twice, { verbose: true });
    const count = (needle: string) => out.split(needle).length - 1;
    expect(count("> +\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64")).toBe(1);
    expect(count("  arch      before")).toBe(1);
    expect(count("[another-rule]")).toBe(1);
    expect(count(ARM64_FINDING.arguments[0]!.text.slice(0, 30))).toBe(1);
  });

  test("one argument per category unless verbose; the count of the rest says where they are", () => {
    const categories = new Set(ARM64_FINDING.arguments.map((a) => a.category));
    const items = (out: string) =>
      out
        .slice(out.indexOf("Known arguments"), out.indexOf("Commit message check"))
        .split("\n")
        .filter((l) => l.startsWith("  - "));
    expect(items(text).length).toBe(categories.size);
    expect(items(renderText(REVIEW, { verbose: true })).length).toBe(ARM64_FINDING.arguments.length);
    expect(text).toContain(
      `${ARM64_FINDING.arguments.length - categories.size} more arguments in the JSON output and with --verbose.`,
    );
    expect(text).not.toContain("rule.yaml");
  });

  test("no markdown syntax", () => {
    expect(text).not.toMatch(/\*\*|\|---|\]\(|^#+ |`/m);
  });

  test("the table shows changed and divergent arches, folds the common rest, marks the changed one", () => {
    const rows = text.split("\n").filter((l) => /^ {2}\S+.* +IOMMU_DEFAULT_DMA_/.test(l));
    expect(rows.map((r) => r.trim().split(/ {2,}/)[0])).toEqual(["x86", "arm64", "s390", "3 others"]);
    expect(text).not.toContain("Others:");
    expect(renderText(REVIEW, { verbose: true })).toContain("Others: arm, riscv, powerpc.");
    expect(rows.filter((r) => r.endsWith(" yes"))).toEqual([
      "  arm64     IOMMU_DEFAULT_DMA_STRICT  IOMMU_DEFAULT_DMA_LAZY    yes",
    ]);
  });

  test("claims are quoted once and say ok or not ok", () => {
    expect(text).toContain('  - "This is a 2.67x throughput improvement');
    expect(text).toMatch(/^ {4}ok \(arithmetic\): /m);
    expect(text).toContain('  - "silently get STRICT on ARM64');
    expect(text).toMatch(/^ {4}not ok \(wording\): /m);
  });

  test("skipped and error entries only in the footer", () => {
    const footer = text.slice(text.indexOf("Not reviewed:"));
    expect(footer).toContain("skipped: reply without a diff");
    expect(footer).toContain("error: malformed hunk header");
    expect(text.indexOf("reply without a diff")).toBeGreaterThan(text.indexOf("Not reviewed:"));
  });
});

test("escape sequences in mail-supplied text never reach the terminal", () => {
  const hostile: Review = {
    patches: [
      {
        ...ARM64_ENTRY,
        subject: "[PATCH] \x1b[2Jgotcha\x9b",
        claims: [{ ...ARM64_ENTRY.claims[0]!, claim: "a\x07b" }],
      },
    ],
  };
  const out = renderText(hostile);
  expect(out).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  expect(out).toContain("[PATCH] ^[[2Jgotcha\ufffd");
  expect(out).toContain('"a^Gb"');
  expect(renderText(hostile, { color: true }).replace(ANSI, "")).toBe(out);
});
