// The recorded Kconfig facts (rules/kconfig-facts.json) against the kernel's own Kconfig tool on Debian's
// linux-source-6.12: the record script is run again for three architectures (one with every IOMMU driver, one
// with the Arm SMMUs, one with none) and must give the same facts. Skipped when the tarball is not installed.

import { beforeAll, describe, expect, test } from "@jest/globals";
import { bundledFacts, type KconfigFacts } from "../../src/kconfig/facts.js";
import { kernelTarball, kernelTree } from "./tree.js";

const ARCHES = ["x86", "arm64", "m68k"];
type Record = (tree: string, opts: { jobs?: number; only?: string[] }) => Promise<KconfigFacts>;

const describeKernel = kernelTarball() ? describe : describe.skip;
if (!kernelTarball())
  console.warn("test/kernel/facts: skipped, no kernel source tarball (linux-source-6.12)");

describeKernel("recorded Kconfig facts match the tree", () => {
  let fresh: KconfigFacts;
  const recorded = bundledFacts()!;

  beforeAll(async () => {
    const tree = await kernelTree();
    if (!tree) throw new Error("kernel tree unavailable");
    const script = "../../scripts/record-kconfig.mjs";
    const { recordKconfigFacts } = (await import(script)) as { recordKconfigFacts: Record };
    fresh = await recordKconfigFacts(tree, { jobs: 2, only: ARCHES });
  }, 600_000);

  test("same kernel release", () => {
    const release = (v: string) => v.split(".").slice(0, 2).join(".");
    expect(release(fresh.kernel)).toBe(release(recorded.kernel));
  });

  test("same symbols, and for each the same arches where it can be enabled and the same defconfig values", () => {
    expect(Object.keys(fresh.symbols).sort()).toEqual(Object.keys(recorded.symbols).sort());
    const view = (f: KconfigFacts) =>
      Object.fromEntries(
        Object.entries(f.symbols).map(([name, s]) => [
          name,
          ARCHES.map((a) => `${a}:${s.possible.includes(a) ? "possible" : "-"}:${s.defconfig[a] ?? "n"}`),
        ]),
      );
    expect(view(fresh)).toEqual(view(recorded));
  });

  test("what the engine relies on", () => {
    expect(recorded.symbols.INTEL_IOMMU!.possible).toEqual(["x86"]);
    expect(recorded.symbols.ARM_SMMU_V3!.defconfig.arm64).toBe("y");
    expect(recorded.symbols.IOMMU_API!.possible).not.toContain("m68k");
  });
});
