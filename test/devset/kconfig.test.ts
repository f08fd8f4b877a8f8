// The development set (../shared/corpus/labels/patches-2019-2020.tsv): every TRUE tier-A patch that changes the
// IOMMU default-domain choice gets the choice finding, with the per-arch rows written below from the Kconfig
// semantics (first default whose condition holds wins; INTEL_IOMMU and AMD_IOMMU exist on x86 only, S390_IOMMU on
// s390 only, PPC_POWERNV on powerpc only), and no Kconfig rule warns on a FALSE patch. Skips without ../shared.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { bundledFacts } from "../../src/kconfig/facts.js";
import type { Finding, PatchReview } from "../../src/model.js";
import { review } from "../../src/review/review.js";
import { loadRules } from "../../src/rules/load.js";
import { devsetUnavailable, type Label, type LabelledPatch, labelledPatches } from "./labels.js";

const rules = loadRules(join(import.meta.dirname, "../../rules"));
const KCONFIG_RULES = new Set(rules.filter((r) => r.match.kind.startsWith("kconfig")).map((r) => r.id));
const CHOICE_RULE = "iommu-default-domain-choice";

const STRICT = "IOMMU_DEFAULT_STRICT";
const LAZY = "IOMMU_DEFAULT_LAZY";
const PASSTHROUGH = "IOMMU_DEFAULT_PASSTHROUGH";

/** Arches on which the 2019 choice (depends on IOMMU_API) is visible: those that can enable IOMMU_API. */
const visible = () => bundledFacts()!.symbols.IOMMU_API!.possible;

/** Expected changed rows, as "arch: before → after[ when …]" (the summary without its explanation). */
type Rows = () => Record<string, string>;
const introStrictOnly: Rows = () =>
  Object.fromEntries(visible().map((a) => [a, `${a}: (not defined) → ${STRICT}`]));

const EXPECTED: Record<string, Rows> = {
  // Zhen Lei v7 1/1: the choice with all three per-arch defaults at once.
  "20190520135947.14960-2-thunder.leizhen@huawei.com": () => ({
    ...introStrictOnly(),
    x86: `x86: (not defined) → ${LAZY} if AMD_IOMMU || INTEL_IOMMU, else ${STRICT}`,
    s390: `s390: (not defined) → ${LAZY} if S390_IOMMU, else ${STRICT}`,
    powerpc: `powerpc: (not defined) → ${PASSTHROUGH} if PCI && PPC_POWERNV, else ${STRICT}`,
  }),
  // v8 and v9 1/7: the choice is introduced with STRICT as its only default.
  "20190530034831.4184-2-thunder.leizhen@huawei.com": introStrictOnly,
  "20190613084240.16768-2-thunder.leizhen@huawei.com": introStrictOnly,
  // 3/7: s390 lazy when its IOMMU driver is built.
  "20190530034831.4184-4-thunder.leizhen@huawei.com": () => ({
    s390: `s390: ${STRICT} → ${LAZY} when S390_IOMMU=y`,
  }),
  "20190613084240.16768-4-thunder.leizhen@huawei.com": () => ({
    s390: `s390: ${STRICT} → ${LAZY} when S390_IOMMU=y`,
  }),
  // 4/7: powernv passthrough.
  "20190530034831.4184-5-thunder.leizhen@huawei.com": () => ({
    powerpc: `powerpc: ${STRICT} → ${PASSTHROUGH} when PCI=y and PPC_POWERNV=y`,
  }),
  "20190613084240.16768-5-thunder.leizhen@huawei.com": () => ({
    powerpc: `powerpc: ${STRICT} → ${PASSTHROUGH} when PCI=y and PPC_POWERNV=y`,
  }),
  // 5/7: VT-d joins the lazy default.
  "20190530034831.4184-6-thunder.leizhen@huawei.com": () => ({
    x86: `x86: ${STRICT} → ${LAZY} when INTEL_IOMMU=y`,
  }),
  "20190613084240.16768-6-thunder.leizhen@huawei.com": () => ({
    x86: `x86: ${STRICT} → ${LAZY} when INTEL_IOMMU=y`,
  }),
  // 6/7: AMD joins; kernels that already had INTEL_IOMMU were lazy before.
  "20190530034831.4184-7-thunder.leizhen@huawei.com": () => ({
    x86: `x86: ${STRICT} → ${LAZY} when AMD_IOMMU=y and INTEL_IOMMU=n`,
  }),
  "20190613084240.16768-7-thunder.leizhen@huawei.com": () => ({
    x86: `x86: ${STRICT} → ${LAZY} when AMD_IOMMU=y and INTEL_IOMMU=n`,
  }),
};

const why = devsetUnavailable();
if (why) console.warn(`skipping the development-set Kconfig test: ${why}`);

const withoutExplanation = (summary: string) => summary.replace(/ \([^()]*(?:\([^()]*\)[^()]*)*\)$/, "");

(why ? describe.skip : describe)("development set: Kconfig per-arch truth", () => {
  let patches: LabelledPatch[] = [];
  const reviews = new Map<string, PatchReview>();
  beforeAll(async () => {
    patches = await labelledPatches();
    for (const p of patches) reviews.set(p.messageId, review([p.item], { rules }).patches[0]!);
  }, 180_000);

  const kconfigFindings = (id: string): Finding[] =>
    (reviews.get(id)?.findings ?? []).filter((f) => KCONFIG_RULES.has(f.rule));

  test("every expected patch is in the set", () => {
    const ids = new Set(patches.map((p) => p.messageId));
    expect(Object.keys(EXPECTED).filter((id) => !ids.has(id))).toEqual([]);
  });

  test.each(Object.keys(EXPECTED))("%s: the choice finding with the right per-arch rows", (id) => {
    const choice = kconfigFindings(id).filter((f) => f.rule === CHOICE_RULE && f.severity === "warning");
    expect(choice.length).toBe(1);
    const rows = Object.fromEntries(
      choice[0]!.table.filter((r) => r.changed).map((r) => [r.arch, withoutExplanation(r.summary ?? "")]),
    );
    expect(rows).toEqual(EXPECTED[id]!());
  });

  test("every TRUE tier-A patch that edits a line of the choice is in EXPECTED", () => {
    const touching = patches.filter(
      (p) =>
        p.label &&
        p.tier === "A" &&
        p.item.kind === "patch" &&
        p.item.patch.files.some(
          (f) =>
            f.path === "drivers/iommu/Kconfig" &&
            f.hunks.some((h) => h.lines.some((l) => l.kind !== "context" && /IOMMU_DEFAULT_/.test(l.text))),
        ),
    );
    expect(touching.map((p) => p.messageId).filter((id) => !EXPECTED[id])).toEqual([]);
  });

  test("no Kconfig rule warns on a FALSE patch; recall and precision per tier", () => {
    const tiers = ["A", "B", "E"] as const;
    const lines: string[] = [];
    for (const t of tiers) {
      const inTier = patches.filter((p) => p.label && p.tier === t);
      const found = inTier.filter((p) => kconfigFindings(p.messageId).length > 0);
      lines.push(`tier ${t}: ${found.length}/${inTier.length} found by a Kconfig rule`);
    }
    const falseWarned = patches.filter(
      (p) => !p.label && kconfigFindings(p.messageId).some((f) => f.severity === "warning"),
    );
    const flagged = patches.filter((p) => kconfigFindings(p.messageId).length > 0);
    const right = flagged.filter((p) => p.label);
    lines.push(`Kconfig findings: ${right.length}/${flagged.length} patches flagged are TRUE`);
    console.log(lines.join("\n"));
    expect(falseWarned.map((p) => p.subject)).toEqual([]);
  });
});

/**
 * A blind set: every other message of the corpus that edits drivers/iommu/Kconfig (119), labelled FALSE from the
 * diff (no line names IOMMU_DEFAULT_* and no arch-conditional default changes) before the tool ran on them.
 */
function blindLabels(): Label[] {
  const [, ...rows] = readFileSync(join(import.meta.dirname, "blind-kconfig.tsv"), "utf8")
    .trim()
    .split("\n");
  return rows.map((r: string) => {
    const [messageId = "", label = "", , reason = ""] = r.split("\t");
    return { messageId, date: "", subject: "", label: label === "TRUE", tier: "-", reason };
  });
}

(why ? describe.skip : describe)("blind set: other drivers/iommu/Kconfig edits of the corpus", () => {
  test("no Kconfig finding on any of them", async () => {
    const patches = await labelledPatches(blindLabels());
    expect(patches.length).toBe(119);
    const flagged = patches.filter((p) =>
      review([p.item], { rules }).patches[0]!.findings.some((f) => KCONFIG_RULES.has(f.rule)),
    );
    console.log(`blind set: ${flagged.length} of ${patches.length} FALSE edits flagged by a Kconfig rule`);
    expect(flagged.map((p) => p.messageId)).toEqual([]);
  }, 180_000);
});
