import { describe, expect, test } from "@jest/globals";
import type { Finding, Review } from "../../src/model.js";
import { renderFindingComment, renderMarkdown } from "../../src/render/markdown.js";
import {
  ARM64_ENTRY,
  ARM64_FINDING,
  ARM64_TABLE,
  C_CODE_FINDING,
  ERROR_ENTRY,
  REVIEW,
  SKIPPED_ENTRY,
} from "./fixtures.js";

const tableRows = (md: string) => md.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| Arch"));

function withFinding(finding: Partial<Finding>): Review {
  return { patches: [{ ...ARM64_ENTRY, findings: [{ ...ARM64_FINDING, ...finding }], claims: [] }] };
}

describe("renderMarkdown", () => {
  const md = renderMarkdown(REVIEW);

  test("the per-arch table has a row per changed or divergent arch, changed rows marked, the rest folded", () => {
    const rows = tableRows(md);
    const own = ARM64_TABLE.filter((r) => ["x86", "arm64", "s390"].includes(r.arch));
    expect(rows).toHaveLength(own.length + 1);
    for (const [i, r] of own.entries()) {
      const row = rows[i]!;
      expect(row.startsWith(r.changed ? `| **${r.arch}** |` : `| ${r.arch} |`)).toBe(true);
      expect(row.endsWith(r.changed ? "| **yes** |" : "| no |")).toBe(true);
    }
    expect(rows[own.length]).toBe("| 3 others | `STRICT` | `STRICT` | no |");
    expect(md).toContain("Others: arm, riscv, powerpc.");
  });

  test("short symbol names come with a legend that maps them back exactly", () => {
    expect(md).toContain("`LAZY` = `IOMMU_DEFAULT_DMA_LAZY`, `STRICT` = `IOMMU_DEFAULT_DMA_STRICT`");
  });

  test("conditional values stay in full, with pipes escaped inside the table", () => {
    const conditional = "IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3 || ARM_SMMU";
    const out = renderMarkdown(
      withFinding({
        table: [{ arch: "arm64", before: "IOMMU_DEFAULT_DMA_STRICT", after: conditional, changed: true }],
      }),
    );
    expect(out).toContain("`IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3 \\|\\| ARM_SMMU`");
    expect(out).not.toContain("Short names");
  });

  test("argument categories appear in the fixed order, empty ones left out", () => {
    const headings = md.split("\n").filter((l) => /^\*\*[A-Z][^*]+\*\*$/.test(l) && !l.includes("Commit"));
    expect(headings.slice(0, 5)).toEqual([
      "**Per-arch divergence**",
      "**Security vs. throughput**",
      "**Alternatives**",
      "**Evidence**",
      "**Process**",
    ]);
    const reversed = renderMarkdown(withFinding({ arguments: [...ARM64_FINDING.arguments].reverse() }));
    expect(reversed.indexOf("**Per-arch divergence**")).toBeLessThan(reversed.indexOf("**Process**"));
  });

  test("a Message-Id is shown in brackets and linked to lore; a URL is a link", () => {
    expect(md).toContain(
      "[`<ac8lwTT0oQNT-JaL@google.com>`](https://lore.kernel.org/r/ac8lwTT0oQNT-JaL@google.com)",
    );
    expect(md).toContain("<https://lkml.iu.edu/2604.0/09688.html>");
    const odd = renderMarkdown(
      withFinding({
        arguments: [{ id: "x", category: "process", text: "Some text here.", where: "a/b c)@x" }],
      }),
    );
    expect(odd).toContain("(https://lore.kernel.org/r/a%2Fb%20c%29@x)");
  });

  test("claims: ok ones checked, wrong ones flagged", () => {
    expect(md).toMatch(/^- "This is a 2\.67x throughput improvement.*"\n {2}- ✅ arithmetic: /m);
    expect(md).toMatch(/^- "silently get STRICT.*"\n {2}- ⚠️ wording, not ok: /m);
  });

  test("a finding with an empty table renders without a table or legend", () => {
    const out = renderMarkdown({ patches: [{ ...ARM64_ENTRY, findings: [C_CODE_FINDING], claims: [] }] });
    expect(tableRows(out)).toHaveLength(0);
    expect(out).not.toContain("Short names");
    expect(out).not.toContain("Basis:");
    expect(out).toContain("#### info: DMA strictness set from C code");
  });

  test("a patch without findings is one short line", () => {
    const out = renderMarkdown(
      { patches: [{ ...ARM64_ENTRY, findings: [], claims: [] }] },
      { heading: false },
    );
    expect(out).toBe("**\\[RFC PATCH\\] iommu: Default to lazy DMA mode on ARM64**: no findings.\n");
  });

  test("skipped and error entries appear only in the footer", () => {
    const footer = md.slice(md.indexOf("Not reviewed:"));
    const body = md.slice(0, md.indexOf("Not reviewed:"));
    expect(footer).toContain(`skipped: ${SKIPPED_ENTRY.skipped}`);
    expect(footer).toContain("seed.mbox, message 4: error: malformed hunk header");
    expect(body).not.toContain(SKIPPED_ENTRY.skipped!);
    expect(body).not.toContain(ERROR_ENTRY.error!);
    expect(renderMarkdown({ patches: [ARM64_ENTRY] })).not.toContain("Not reviewed");
  });

  test("the heading option only controls the top heading", () => {
    const without = renderMarkdown(REVIEW, { heading: false });
    expect(md.startsWith("## iommu-review\n\n")).toBe(true);
    expect(without).toBe(md.slice("## iommu-review\n\n".length));
  });

  test("text from the model cannot inject markdown", () => {
    const out = renderMarkdown({
      patches: [{ ...ARM64_ENTRY, subject: "[PATCH] *bold* <b>x</b> | _y_", findings: [], claims: [] }],
    });
    expect(out).toContain("\\*bold\\* \\<b\\>x\\</b\\> \\| \\_y\\_");
  });

  test("every statement about arches is derived from the table", () => {
    const summary = md.split("\n").find((l) => l.startsWith("This patch changes"))!;
    expect(summary).toContain("**arm64** (`IOMMU_DEFAULT_DMA_STRICT` → `IOMMU_DEFAULT_DMA_LAZY`)");
    expect(summary).toContain("the other 5 evaluated architectures keep theirs");
    for (const arch of ["x86", "s390", "riscv"]) expect(summary).not.toContain(arch);
  });
});

describe("renderFindingComment", () => {
  const comment = renderFindingComment(ARM64_FINDING);

  test("shows only the changed rows and one count line per category", () => {
    expect(tableRows(comment)).toEqual(["| arm64 | `IOMMU_DEFAULT_DMA_STRICT` | `IOMMU_DEFAULT_DMA_LAZY` |"]);
    expect(comment).toContain("- Per-arch divergence: 2\n- Security vs. throughput: 2\n");
    expect(comment).not.toContain(ARM64_FINDING.arguments[0]!.text);
  });

  test("stays short", () => {
    expect(comment.split("\n").length).toBeLessThan(20);
  });

  test("a finding without changed rows has no table", () => {
    const out = renderFindingComment(C_CODE_FINDING);
    expect(out).not.toContain("| Arch");
    expect(out).toContain("**info: DMA strictness set from C code**");
  });
});

test("arguments once per review, two per category, the rest in a collapsed section, no pointer to rule files", () => {
  const extra = ARM64_FINDING.arguments
    .filter((a) => a.category === "security-vs-throughput")
    .map((a, i) => ({ ...a, id: `${a.id}-again-${i}`, text: `Another point, number ${i}.` }));
  const finding = { ...ARM64_FINDING, arguments: [...ARM64_FINDING.arguments, ...extra] };
  const md = renderMarkdown({
    patches: [{ ...ARM64_ENTRY, findings: [finding, { ...finding, rule: "second-rule", line: 120 }] }],
  });
  const open = md.slice(0, md.indexOf("<details>"));
  const security = open.slice(open.indexOf("**Security vs. throughput**")).split("\n\n")[0]!;
  expect(security.split("\n").filter((l) => l.startsWith("- "))).toHaveLength(2);
  expect(md).toMatch(/<details><summary>\d+ more arguments? that fit this patch\.<\/summary>/);
  expect(md).toContain("Another point, number 0.");
  expect(md.split(ARM64_FINDING.arguments[0]!.text.slice(0, 25)).length - 1).toBe(1);
  expect(md).not.toContain("rule.yaml");
});
