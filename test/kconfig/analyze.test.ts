import { describe, expect, test } from "@jest/globals";
import { analyzeKconfigFile, type RecordedBlock } from "../../src/kconfig/analyze.js";
import { decideForArches, printDecision } from "../../src/kconfig/effective.js";
import { parseKconfig } from "../../src/kconfig/parse.js";
import type { FileSource } from "../../src/model.js";
import { parseUnifiedDiff } from "../../src/parse/diff.js";

// Synthetic Kconfig text written for these tests; the symbol names are the kernel's, the prose is not.
const CHOICE = [
  "config IOMMU_DEBUGFS",
  '\tbool "Export IOMMU internals in DebugFS"',
  "",
  "choice",
  '\tprompt "IOMMU default domain type"',
  "\tdepends on IOMMU_API",
  "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
  "\tdefault IOMMU_DEFAULT_DMA_STRICT",
  "\thelp",
  "\t  Pick how DMA API mappings are invalidated by default.",
  "",
  "config IOMMU_DEFAULT_DMA_STRICT",
  '\tbool "Translated - Strict"',
  "",
  "config IOMMU_DEFAULT_DMA_LAZY",
  '\tbool "Translated - Lazy"',
  "",
  "config IOMMU_DEFAULT_PASSTHROUGH",
  '\tbool "Passthrough"',
  "",
  "endchoice",
  "",
];
const view = (lines: string[]) => lines.map((text, i) => ({ text, line: i + 1 }));

function diffOf(path: string, pre: string[], post: string[], context = 3): string {
  // A minimal single-hunk unified diff generator for equal-length edits, enough for these tests.
  let first = 0;
  while (pre[first] === post[first]) first++;
  let lastPre = pre.length - 1;
  let lastPost = post.length - 1;
  while (lastPre > first && lastPost > first && pre[lastPre] === post[lastPost]) {
    lastPre--;
    lastPost--;
  }
  const from = Math.max(0, first - context);
  const toPre = Math.min(pre.length - 1, lastPre + context);
  const toPost = Math.min(post.length - 1, lastPost + context);
  const body = [
    ...pre.slice(from, first).map((l) => ` ${l}`),
    ...pre.slice(first, lastPre + 1).map((l) => `-${l}`),
    ...post.slice(first, lastPost + 1).map((l) => `+${l}`),
    ...pre.slice(lastPre + 1, toPre + 1).map((l) => ` ${l}`),
  ];
  return [
    `diff --git a/${path} b/${path}`,
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${from + 1},${toPre - from + 1} +${from + 1},${toPost - from + 1} @@`,
    ...body,
    "",
  ].join("\n");
}

const replaceLine = (lines: string[], from: string, to: string | string[]) =>
  lines.flatMap((l) => (l === from ? (Array.isArray(to) ? to : [to]) : [l]));

function perArch(change: ReturnType<typeof analyzeKconfigFile>[number], side: "before" | "after") {
  const entry = change[side]!;
  const rows = decideForArches(entry, { tailUnknown: change.tailUnknown });
  return Object.fromEntries(rows.map((r) => [r.arch.dir, printDecision(r.decision)]));
}

describe("parseKconfig", () => {
  test("reads a choice with its defaults, members and help", () => {
    const entries = parseKconfig(view(CHOICE));
    const choice = entries.find((e) => e.kind === "choice")!;
    expect(choice.prompt).toBe("IOMMU default domain type");
    expect(choice.defaults.map((d) => d.text)).toEqual([
      "default IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
      "default IOMMU_DEFAULT_DMA_STRICT",
    ]);
    expect(choice.members.map((m) => m.name)).toEqual([
      "IOMMU_DEFAULT_DMA_STRICT",
      "IOMMU_DEFAULT_DMA_LAZY",
      "IOMMU_DEFAULT_PASSTHROUGH",
    ]);
    expect(choice.startLine).toBe(4);
    expect(choice.endLine).toBe(10); // help text belongs to the entry
    expect(choice.headerSeen && choice.endSeen).toBe(true);
  });
  test("help text that looks like an attribute is not one", () => {
    const entries = parseKconfig(
      view([
        "config FOO",
        "\tbool",
        "\thelp",
        "\t  default y if X86 is what this is not",
        "",
        "config BAR",
        "\tbool",
      ]),
    );
    expect(entries[0]!.defaults).toEqual([]);
    expect(entries.map((e) => e.name)).toEqual(["FOO", "BAR"]);
  });
  test("def_bool, continuation lines and enclosing if blocks", () => {
    const entries = parseKconfig(
      view([
        "if IOMMU_SUPPORT",
        "config IOMMU_DMA",
        "\tdef_bool ARM64 || X86 || \\",
        "\t\tS390",
        "endif",
        "config OTHER",
        "\tbool",
      ]),
    );
    expect(entries[0]!.defaults[0]!.text).toBe("def_bool ARM64 || X86 || S390");
    expect(entries[0]!.enclosing).toHaveLength(1);
    expect(entries[1]!.enclosing).toHaveLength(0);
  });
  test("a fragment starting mid-entry gives an entry whose header was not seen", () => {
    const entries = parseKconfig(view(["\tdepends on IOMMU_API", "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86"]));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.headerSeen).toBe(false);
    expect(entries[0]!.endSeen).toBe(false);
  });
});

describe("per-arch effective default of the choice", () => {
  test("the first default whose condition holds wins", () => {
    const choice = parseKconfig(view(CHOICE)).find((e) => e.kind === "choice")!;
    const rows = Object.fromEntries(
      decideForArches(choice).map((r) => [r.arch.dir, printDecision(r.decision)]),
    );
    expect(rows.x86).toBe("IOMMU_DEFAULT_DMA_LAZY");
    expect(rows.s390).toBe("IOMMU_DEFAULT_DMA_LAZY");
    expect(rows.arm64).toBe("IOMMU_DEFAULT_DMA_STRICT");
    expect(rows.riscv).toBe("IOMMU_DEFAULT_DMA_STRICT");
  });
  test("a driver-symbol condition gives a conditional result, not a guess", () => {
    const lines = replaceLine(
      CHOICE,
      "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
      "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM_SMMU_V3",
    );
    const choice = parseKconfig(view(lines)).find((e) => e.kind === "choice")!;
    const rows = Object.fromEntries(
      decideForArches(choice).map((r) => [r.arch.dir, printDecision(r.decision)]),
    );
    expect(rows.x86).toBe("IOMMU_DEFAULT_DMA_LAZY");
    expect(rows.arm64).toBe("IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3, else IOMMU_DEFAULT_DMA_STRICT");
    // With a resolver that knows ARM_SMMU_V3 depends on ARM64, x86-only arches resolve fully.
    const resolver = (name: string, arch: { dir: string }) =>
      name === "ARM_SMMU_V3" && arch.dir !== "arm64" ? 0 : undefined;
    const resolved = Object.fromEntries(
      decideForArches(choice, { resolver }).map((r) => [r.arch.dir, printDecision(r.decision)]),
    );
    expect(resolved.riscv).toBe("IOMMU_DEFAULT_DMA_STRICT");
    expect(resolved.arm64).toBe("IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3, else IOMMU_DEFAULT_DMA_STRICT");
  });
  test("a default whose member is hidden on an arch is skipped", () => {
    const lines = replaceLine(CHOICE, '\tbool "Translated - Lazy"', [
      '\tbool "Translated - Lazy"',
      "\tdepends on !S390",
    ]);
    const choice = parseKconfig(view(lines)).find((e) => e.kind === "choice")!;
    const rows = Object.fromEntries(
      decideForArches(choice).map((r) => [r.arch.dir, printDecision(r.decision)]),
    );
    expect(rows.s390).toBe("IOMMU_DEFAULT_DMA_STRICT");
    expect(rows.x86).toBe("IOMMU_DEFAULT_DMA_LAZY");
  });
  test("without any default, the first visible member is chosen", () => {
    const lines = CHOICE.filter((l) => !l.startsWith("\tdefault"));
    const choice = parseKconfig(view(lines)).find((e) => e.kind === "choice")!;
    expect(
      decideForArches(choice).every((r) => printDecision(r.decision) === "IOMMU_DEFAULT_DMA_STRICT"),
    ).toBe(true);
  });
});

describe("analyzeKconfigFile", () => {
  const LAZY = "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390";
  const arm64Post = replaceLine(CHOICE, LAZY, "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64");

  test("a hunk with full context is enough: arm64 STRICT → LAZY", () => {
    const [file] = parseUnifiedDiff(diffOf("drivers/iommu/Kconfig", CHOICE, arm64Post));
    const changes = analyzeKconfigFile(file!);
    expect(changes).toHaveLength(1);
    const c = changes[0]!;
    expect(c.key).toBe("choice:IOMMU default domain type");
    expect(c.basis.source).toBe("patch");
    expect(c.anchor).toEqual({ line: 7, side: "new" });
    expect(perArch(c, "before").arm64).toBe("IOMMU_DEFAULT_DMA_STRICT");
    expect(perArch(c, "after").arm64).toBe("IOMMU_DEFAULT_DMA_LAZY");
    expect(perArch(c, "after").x86).toBe("IOMMU_DEFAULT_DMA_LAZY");
    expect(c.quote.map((l) => l.kind)).toEqual(["context", "context", "del", "add", "context"]);
  });

  test("a one-line-context hunk falls back to the recorded upstream block, and says so", () => {
    const [file] = parseUnifiedDiff(diffOf("drivers/iommu/Kconfig", CHOICE, arm64Post, 0));
    const recorded: RecordedBlock[] = [
      { path: "drivers/iommu/Kconfig", kernel: "v6.12", kconfig: CHOICE.slice(3).join("\n") },
    ];
    const [c] = analyzeKconfigFile(file!, { recorded });
    expect(c!.basis.source).toBe("recorded");
    expect(c!.basis.detail).toMatch(/v6\.12/);
    expect(c!.key).toBe("choice:IOMMU default domain type");
    expect(perArch(c!, "before").arm64).toBe("IOMMU_DEFAULT_DMA_STRICT");
    expect(perArch(c!, "after").arm64).toBe("IOMMU_DEFAULT_DMA_LAZY");
  });

  test("without context or record, what the hunk cannot show is said, not guessed", () => {
    const [file] = parseUnifiedDiff(diffOf("drivers/iommu/Kconfig", CHOICE, arm64Post, 0));
    const [c] = analyzeKconfigFile(file!);
    expect(c!.tailUnknown).toBe(true);
    expect(perArch(c!, "before").arm64).toBe("(not shown in the patch)");
    expect(perArch(c!, "after").arm64).toBe("IOMMU_DEFAULT_DMA_LAZY");
    expect(perArch(c!, "after").x86).toBe("IOMMU_DEFAULT_DMA_LAZY");
  });

  test("with the whole pre-image the result comes from the tree", () => {
    const [file] = parseUnifiedDiff(diffOf("drivers/iommu/Kconfig", CHOICE, arm64Post, 0));
    const files: FileSource = {
      before: (p) => (p === "drivers/iommu/Kconfig" ? CHOICE.join("\n") : undefined),
      describe: () => "test tree",
    };
    const [c] = analyzeKconfigFile(file!, { files });
    expect(c!.basis).toEqual({ source: "tree", detail: "computed from the whole file (test tree)" });
    expect(perArch(c!, "before").arm64).toBe("IOMMU_DEFAULT_DMA_STRICT");
    expect(perArch(c!, "after").arm64).toBe("IOMMU_DEFAULT_DMA_LAZY");
  });

  test("a pre-image that does not match the patch is not used", () => {
    const [file] = parseUnifiedDiff(diffOf("drivers/iommu/Kconfig", CHOICE, arm64Post));
    const files: FileSource = {
      before: () => "config SOMETHING_ELSE\n\tbool\n",
      describe: () => "wrong tree",
    };
    const [c] = analyzeKconfigFile(file!, { files });
    expect(c!.basis.source).toBe("patch");
  });

  test("reordering the arch list or re-indenting changes no arch", () => {
    for (const edited of [
      "\tdefault IOMMU_DEFAULT_DMA_LAZY if S390 || X86",
      "        default IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
    ]) {
      const [file] = parseUnifiedDiff(
        diffOf("drivers/iommu/Kconfig", CHOICE, replaceLine(CHOICE, LAZY, edited)),
      );
      const [c] = analyzeKconfigFile(file!);
      expect(perArch(c!, "before")).toEqual(perArch(c!, "after"));
    }
  });

  test("an edit of a member's depends is a change of the choice", () => {
    const post = replaceLine(CHOICE, '\tbool "Passthrough"', ['\tbool "Passthrough"', "\tdepends on !S390"]);
    const [file] = parseUnifiedDiff(diffOf("drivers/iommu/Kconfig", CHOICE, post));
    const files: FileSource = { before: () => CHOICE.join("\n"), describe: () => "t" };
    const [c] = analyzeKconfigFile(file!, { files });
    expect(c!.key).toBe("choice:IOMMU default domain type");
  });
});

describe("choices inside if blocks", () => {
  test("conditions shared by the choice and its members do not make the result conditional", () => {
    const wrapped = ["menuconfig IOMMU_SUPPORT", "\tbool", "if IOMMU_SUPPORT", ...CHOICE, "endif"];
    const choice = parseKconfig(view(wrapped)).find((e) => e.kind === "choice")!;
    expect(choice.enclosing).toHaveLength(1);
    const rows = Object.fromEntries(
      decideForArches(choice).map((r) => [r.arch.dir, printDecision(r.decision)]),
    );
    expect(rows.arm64).toBe("IOMMU_DEFAULT_DMA_STRICT");
    expect(rows.x86).toBe("IOMMU_DEFAULT_DMA_LAZY");
  });
});
