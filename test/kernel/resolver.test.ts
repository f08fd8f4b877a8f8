// --tree on a real 6.12 tree: driver symbols resolve to the architectures their `depends on` allows, and a
// driver-conditional default is conditional only where the driver can exist. Skipped without linux-source-6.12.

import { join } from "node:path";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { archByDir } from "../../src/kconfig/arches.js";
import { treeFileSource, treeResolver } from "../../src/kconfig/tree.js";
import { diffToItem } from "../../src/parse/patch.js";
import { review } from "../../src/review/review.js";
import { loadRules } from "../../src/rules/load.js";
import { kernelTarball, kernelTree, makePatch } from "./tree.js";

const present = kernelTarball() !== undefined;
if (!present) console.warn("skipping --tree resolver tests: Debian's linux-source-6.12 is not installed");
const maybe = present ? describe : describe.skip;

maybe("treeResolver on linux 6.12", () => {
  let tree = "";
  beforeAll(async () => {
    tree = (await kernelTree())!;
  }, 300_000);

  test("driver symbols are n where their depends on rules them out, unknown where they can be chosen", () => {
    const resolve = treeResolver(tree);
    const arch = (d: string) => archByDir(d)!;
    expect(resolve("ARM_SMMU_V3", arch("x86"))).toBe(0);
    expect(resolve("ARM_SMMU_V3", arch("arm64"))).toBeUndefined();
    expect(resolve("INTEL_IOMMU", arch("arm64"))).toBe(0);
    expect(resolve("INTEL_IOMMU", arch("x86"))).toBeUndefined();
    expect(resolve("S390_IOMMU", arch("riscv"))).toBe(0);
  });

  test("a default conditional on ARM_SMMU_V3 changes arm64 only, conditionally", async () => {
    const rules = loadRules(join(import.meta.dirname, "../../rules"));
    const patch = makePatch(tree, [
      {
        path: "drivers/iommu/Kconfig",
        from: "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390\n",
        to: "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM_SMMU_V3\n",
      },
    ]);
    const items = [await diffToItem(patch, "smmuv3.patch", 0)];
    const result = review(items, { rules, files: treeFileSource(tree), resolver: treeResolver(tree) });
    const finding = result.patches[0]!.findings.find((f) => f.rule === "iommu-default-domain-choice")!;
    expect(finding.basis?.source).toBe("tree");
    const changed = finding.table.filter((r) => r.changed);
    expect(changed.map((r) => r.arch)).toEqual(["arm64"]);
    expect(changed[0]!.after).toBe("IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3, else IOMMU_DEFAULT_DMA_STRICT");
  }, 120_000);
});
