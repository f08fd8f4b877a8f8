import { describe, expect, test } from "@jest/globals";
import { compareDecisions } from "../../src/kconfig/compare.js";
import type { Decision } from "../../src/kconfig/effective.js";
import { parseExpr } from "../../src/kconfig/expr.js";

const decision = (branches: [string, string][], otherwise: string): Decision => ({
  branches: branches.map(([value, cond]) => ({ value, cond: parseExpr(cond) })),
  otherwise,
});
const STRICT = "IOMMU_DEFAULT_DMA_STRICT";
const LAZY = "IOMMU_DEFAULT_DMA_LAZY";

describe("compareDecisions", () => {
  test("a new driver-conditional default changes the value only when the driver is set", () => {
    const c = compareDecisions(decision([], STRICT), decision([[LAZY, "INTEL_IOMMU"]], STRICT));
    expect(c).toEqual({
      changed: true,
      when: "INTEL_IOMMU=y",
      whenSymbols: ["INTEL_IOMMU"],
      transitions: [{ before: STRICT, after: LAZY }],
    });
  });

  test("driver list replaced by an unconditional lazy default: a change only when neither driver is set", () => {
    const c = compareDecisions(decision([[LAZY, "AMD_IOMMU || INTEL_IOMMU"]], STRICT), decision([], LAZY));
    expect(c.changed).toBe(true);
    expect(c.when).toBe("AMD_IOMMU=n and INTEL_IOMMU=n");
    expect(c.transitions).toEqual([{ before: STRICT, after: LAZY }]);
  });

  test("the same decision written differently is no change", () => {
    const c = compareDecisions(
      decision([[LAZY, "AMD_IOMMU || INTEL_IOMMU"]], STRICT),
      decision([[LAZY, "INTEL_IOMMU || AMD_IOMMU"]], STRICT),
    );
    expect(c).toEqual({ changed: false, transitions: [], when: undefined, whenSymbols: undefined });
  });

  test("renamed values compare under their canonical name", () => {
    const canon = (v: string) => v.replace("IOMMU_DEFAULT_DMA_", "IOMMU_DEFAULT_");
    const c = compareDecisions(
      decision([["IOMMU_DEFAULT_LAZY", "AMD_IOMMU"]], "IOMMU_DEFAULT_STRICT"),
      decision([[LAZY, "AMD_IOMMU"]], STRICT),
      canon,
    );
    expect(c.changed).toBe(false);
  });

  test("an unconditional change has no when", () => {
    const c = compareDecisions(decision([], STRICT), decision([], LAZY));
    expect(c.changed).toBe(true);
    expect(c.when).toBeUndefined();
  });
});
