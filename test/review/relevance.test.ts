import { describe, expect, test } from "@jest/globals";
import type { Argument, Finding } from "../../src/model.js";
import {
  argumentFits,
  findingDirection,
  findingKind,
  patchContext,
  withRelevantArguments,
} from "../../src/review/relevance.js";

const row = (arch: string, before: string, after: string) => ({
  arch,
  before,
  after,
  changed: before !== after,
});

const toLazyOnArm64: Finding = {
  rule: "iommu-default-domain-choice",
  severity: "warning",
  title: "t",
  message: "m",
  path: "drivers/iommu/Kconfig",
  line: 99,
  side: "new",
  table: [
    row("x86", "IOMMU_DEFAULT_DMA_LAZY", "IOMMU_DEFAULT_DMA_LAZY"),
    row("arm64", "IOMMU_DEFAULT_DMA_STRICT", "IOMMU_DEFAULT_DMA_LAZY"),
  ],
  arguments: [],
  quote: [],
  fingerprint: "f",
};

const arg = (id: string, extra: Partial<Argument> = {}): Argument => ({
  id,
  category: "evidence",
  text: "text of the argument",
  ...extra,
});

const facts = { kind: "kconfig-choice" as const, direction: "lazy" as const, changedArches: ["arm64"] };
const in2026 = { date: "2026-04-02", threadIds: new Set<string>() };

describe("findingDirection", () => {
  test("the member every changed row moves to, in new and old names", () => {
    expect(findingDirection(toLazyOnArm64)).toBe("lazy");
    const toStrict = { ...toLazyOnArm64, table: [row("x86", "IOMMU_DEFAULT_LAZY", "IOMMU_DEFAULT_STRICT")] };
    expect(findingDirection(toStrict)).toBe("strict");
  });
  test("undefined when rows disagree, a value is conditional, or there is no table", () => {
    const mixed = {
      ...toLazyOnArm64,
      table: [
        row("arm64", "IOMMU_DEFAULT_DMA_STRICT", "IOMMU_DEFAULT_DMA_LAZY"),
        row("riscv", "IOMMU_DEFAULT_DMA_STRICT", "IOMMU_DEFAULT_PASSTHROUGH"),
      ],
    };
    expect(findingDirection(mixed)).toBeUndefined();
    const conditional = {
      ...toLazyOnArm64,
      table: [
        row("s390", "IOMMU_DEFAULT_STRICT", "IOMMU_DEFAULT_LAZY if S390_IOMMU, else IOMMU_DEFAULT_STRICT"),
      ],
    };
    expect(findingDirection(conditional)).toBeUndefined();
    expect(findingDirection({ ...toLazyOnArm64, table: [] })).toBeUndefined();
  });
});

describe("argumentFits", () => {
  test("an argument made on or after the patch's day is left out", () => {
    expect(argumentFits(arg("a", { who: "X", date: "2026-04-01" }), facts, in2026)).toBe(true);
    expect(argumentFits(arg("a", { who: "X", date: "2026-04-02" }), facts, in2026)).toBe(false);
    expect(argumentFits(arg("a", { since: "2026-04-07" }), facts, in2026)).toBe(false);
  });
  test("never an argument taken from the patch's own message or its thread", () => {
    const own = { date: "2026-04-02", threadIds: new Set(["rfc@example.org"]) };
    expect(argumentFits(arg("a", { sourceIds: ["<RFC@example.org>"] }), facts, own)).toBe(false);
  });
  test("direction, arches and kinds must match what they declare", () => {
    expect(argumentFits(arg("a", { direction: ["strict"] }), facts, in2026)).toBe(false);
    expect(argumentFits(arg("a", { direction: ["lazy"] }), { ...facts, direction: undefined }, in2026)).toBe(
      false,
    );
    expect(argumentFits(arg("a", { arches: ["riscv"] }), facts, in2026)).toBe(false);
    expect(argumentFits(arg("a", { arches: ["arm64"] }), facts, in2026)).toBe(true);
    expect(argumentFits(arg("a", { kinds: ["c-strictness"] }), facts, in2026)).toBe(false);
  });
});

test("withRelevantArguments keeps the fitting ones, the most specific first", () => {
  const finding = {
    ...toLazyOnArm64,
    arguments: [
      arg("general"),
      arg("for-strict", { direction: ["strict"] }),
      arg("for-arm64", { arches: ["arm64"], direction: ["lazy"] }),
      arg("later", { who: "X", date: "2026-04-07" }),
    ],
  };
  const patch = patchContext({ date: "2026-04-02T20:05:00Z", references: [] } as never);
  const kept = withRelevantArguments(finding, "kconfig-choice", patch).arguments.map((a) => a.id);
  expect(kept).toEqual(["for-arm64", "general"]);
});

test("findingKind tells device quirks and flush capabilities from strictness calls in C", () => {
  const c = (text: string) => ({ ...toLazyOnArm64, quote: [{ kind: "add" as const, text }] });
  expect(findingKind(c("\t.def_domain_type = foo_def_domain_type,"), "c-code")).toBe("device-quirk");
  expect(findingKind(c("\tcase IOMMU_CAP_DEFERRED_FLUSH:"), "c-code")).toBe("flush-capability");
  expect(findingKind(c("\tiommu_set_dma_strict();"), "c-code")).toBe("c-strictness");
  expect(findingKind(toLazyOnArm64, "kconfig-default", ["IOMMU_DMA"])).toBe("dma-arch-list");
});
