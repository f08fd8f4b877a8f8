import { describe, expect, test } from "@jest/globals";
import { shortSymbolNames } from "../../src/render/symbols.js";

describe("shortSymbolNames", () => {
  test("drops the shared prefix up to an underscore, with a legend", () => {
    const names = shortSymbolNames([
      "IOMMU_DEFAULT_DMA_LAZY",
      "IOMMU_DEFAULT_DMA_STRICT",
      "IOMMU_DEFAULT_DMA_LAZY",
    ]);
    expect(names.short("IOMMU_DEFAULT_DMA_STRICT")).toBe("STRICT");
    expect(names.legend).toEqual([
      { short: "LAZY", full: "IOMMU_DEFAULT_DMA_LAZY" },
      { short: "STRICT", full: "IOMMU_DEFAULT_DMA_STRICT" },
    ]);
  });

  test("cuts at an underscore, never inside a word", () => {
    const names = shortSymbolNames(["IOMMU_DEFAULT_PASSTHROUGH", "IOMMU_DEFAULT_DMA_LAZY"]);
    expect(names.short("IOMMU_DEFAULT_PASSTHROUGH")).toBe("PASSTHROUGH");
    expect(names.short("IOMMU_DEFAULT_DMA_LAZY")).toBe("DMA_LAZY");
  });

  test("keeps full values when they are not all bare symbols or share no prefix", () => {
    for (const values of [
      ["IOMMU_DEFAULT_DMA_STRICT", "IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3, else IOMMU_DEFAULT_DMA_STRICT"],
      ["y", "n"],
      ["FOO_A", "BAR_B"],
      [],
    ]) {
      const names = shortSymbolNames(values);
      expect(names.legend).toEqual([]);
      for (const v of values) expect(names.short(v)).toBe(v);
    }
  });
});
