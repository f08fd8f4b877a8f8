// Integration: the engine's per-arch before/after agrees with the kernel's own Kconfig tool (`make defconfig` on a
// real 6.12 tree, with the patch applied in place). Skipped when Debian's linux-source-6.12 is not installed.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, test } from "@jest/globals";
import { treeReviewOptions } from "../../src/kconfig/tree-review.js";
import type { ArchResult } from "../../src/model.js";
import { diffToItem } from "../../src/parse/patch.js";
import { review } from "../../src/review/review.js";
import { loadRules } from "../../src/rules/load.js";
import { defconfigsWith, defconfigWith, type Edit, kernelTarball, kernelTree, makePatch } from "./tree.js";

const RULES_DIR = join(import.meta.dirname, "../../rules");

/** The required seven, and sparc whose defconfig leaves IOMMU_API off (so the kernel shows no choice member). */
const ARCHES = ["x86", "arm64", "s390", "riscv", "powerpc", "arm", "loongarch", "sparc"] as const;
type Arch = (typeof ARCHES)[number];

const CHOICE_MEMBERS = ["IOMMU_DEFAULT_DMA_STRICT", "IOMMU_DEFAULT_DMA_LAZY", "IOMMU_DEFAULT_PASSTHROUGH"];

/** What the kernel shows for the case's subject, or undefined when .config does not show it. */
type Probe = (config: Map<string, string>) => string | undefined;

/** The selected member; undefined when the choice is invisible (its `depends on IOMMU_API` is n). */
const iommuChoice: Probe = (config) => CHOICE_MEMBERS.find((m) => config.get(`CONFIG_${m}`) === "y");

/**
 * A bool's value. conf writes a promptless symbol (def_bool) only when it ends up y, so for those absence means n;
 * a symbol with a prompt is written as "is not set" whenever it is visible, so absence means "hidden".
 */
const bool =
  (name: string, promptless: boolean): Probe =>
  (config) =>
    config.get(`CONFIG_${name}`) ?? (promptless ? "n" : undefined);

interface Case {
  name: string;
  /** Engine rule expected to report the change. */
  rule: string;
  edits: Edit[];
  arches: readonly Arch[];
  probe: Probe;
  /** What make defconfig gives (checked first, so a surprise in the kernel is told apart from an engine bug). */
  kernel: Partial<Record<Arch, [before: string | undefined, after: string | undefined]>>;
}

const IOMMU_KCONFIG = "drivers/iommu/Kconfig";
const LAZY_LINE = "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390\n";
const STRICT = "IOMMU_DEFAULT_DMA_STRICT";
const LAZY = "IOMMU_DEFAULT_DMA_LAZY";

/** make defconfig when arm64 joins LAZY (by name, or through ARM_SMMU_V3 which its defconfig enables). */
const ARM64_BECOMES_LAZY: Case["kernel"] = {
  x86: [LAZY, LAZY],
  s390: [LAZY, LAZY],
  arm64: [STRICT, LAZY],
  riscv: [STRICT, STRICT],
  powerpc: [STRICT, STRICT],
  arm: [STRICT, STRICT],
  loongarch: [STRICT, STRICT],
  sparc: [undefined, undefined],
};

type Row = Pick<ArchResult, "arch" | "before" | "after" | "changed">;

/**
 * The bundled rules; the generic rule watches drivers/iommu/ only, so case (e), which checks the engine on a
 * security default outside it, widens that rule's paths.
 */
function rulesFor(c: Case) {
  return loadRules(RULES_DIR).map((r) =>
    r.id === c.rule &&
    r.id === "arch-conditional-kconfig-default" &&
    !c.edits[0]!.path.startsWith("drivers/iommu/")
      ? { ...r, match: { ...r.match, paths: ["**/Kconfig*"] } }
      : r,
  );
}

const CASES: Case[] = [
  {
    name: "(a) choice default: LAZY if X86 || S390 || ARM64",
    rule: "iommu-default-domain-choice",
    edits: [
      {
        path: IOMMU_KCONFIG,
        from: LAZY_LINE,
        to: "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64\n",
      },
    ],
    arches: ARCHES,
    probe: iommuChoice,
    kernel: ARM64_BECOMES_LAZY,
  },
  {
    name: "(a) choice default: LAZY if X86 (S390 dropped)",
    rule: "iommu-default-domain-choice",
    edits: [{ path: IOMMU_KCONFIG, from: LAZY_LINE, to: "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86\n" }],
    arches: ARCHES,
    probe: iommuChoice,
    kernel: { x86: [LAZY, LAZY], s390: [LAZY, STRICT], arm64: [STRICT, STRICT], riscv: [STRICT, STRICT] },
  },
  {
    // Placed where `make savedefconfig` puts the symbol, as a real defconfig patch would.
    name: "(b) arm64 defconfig: CONFIG_IOMMU_DEFAULT_DMA_LAZY=y",
    rule: "iommu-default-in-config",
    edits: [
      {
        path: "arch/arm64/configs/defconfig",
        from: "CONFIG_QCOM_IPCC=y\nCONFIG_ROCKCHIP_IOMMU=y\n",
        to: "CONFIG_QCOM_IPCC=y\nCONFIG_IOMMU_DEFAULT_DMA_LAZY=y\nCONFIG_ROCKCHIP_IOMMU=y\n",
      },
    ],
    arches: ["arm64"],
    probe: iommuChoice,
    kernel: { arm64: [STRICT, LAZY] },
  },
  {
    name: "(c) config IOMMU_DMA: def_bool ARM64 || X86 || S390 || RISCV",
    rule: "iommu-dma-arch-list",
    edits: [
      {
        path: IOMMU_KCONFIG,
        from: "\tdef_bool ARM64 || X86 || S390\n",
        to: "\tdef_bool ARM64 || X86 || S390 || RISCV\n",
      },
    ],
    arches: ARCHES,
    probe: bool("IOMMU_DMA", true),
    kernel: {
      x86: ["y", "y"],
      arm64: ["y", "y"],
      s390: ["y", "y"],
      riscv: ["n", "y"],
      powerpc: ["n", "n"],
      arm: ["n", "n"],
      loongarch: ["n", "n"],
      sparc: ["n", "n"],
    },
  },
  {
    // A driver-conditional default: x86 and s390 keep LAZY, and arm64 follows ARM_SMMU_V3, which arm64's defconfig
    // enables, so make ARCH=arm64 defconfig moves to LAZY while the table row stays conditional.
    name: "(d) choice default: LAZY if X86 || S390 || ARM_SMMU_V3",
    rule: "iommu-default-domain-choice",
    edits: [
      {
        path: IOMMU_KCONFIG,
        from: LAZY_LINE,
        to: "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM_SMMU_V3\n",
      },
    ],
    arches: ARCHES,
    probe: iommuChoice,
    kernel: ARM64_BECOMES_LAZY,
  },
  {
    // STRICT_DEVMEM (lib/Kconfig.debug): a security default keyed on an arch list like the IOMMU choice; visible on
    // all seven main arches (each selects (GENERIC_LIB_)DEVMEM_IS_ALLOWED, DEVMEM=y), y on some and n on others,
    // and no arm64/riscv defconfig sets it, so the default alone decides.
    name: "(e) generic: STRICT_DEVMEM default y if PPC || X86 || RISCV (was ... || ARM64)",
    rule: "arch-conditional-kconfig-default",
    edits: [
      {
        path: "lib/Kconfig.debug",
        from: "\tdefault y if PPC || X86 || ARM64\n",
        to: "\tdefault y if PPC || X86 || RISCV\n",
      },
    ],
    arches: ARCHES,
    probe: bool("STRICT_DEVMEM", false),
    kernel: {
      x86: ["y", "y"],
      powerpc: ["y", "y"],
      arm64: ["y", "n"],
      riscv: ["n", "y"],
      s390: ["n", "n"],
      arm: ["n", "n"],
      loongarch: ["n", "n"],
      sparc: [undefined, undefined],
    },
  },
];

const tarball = kernelTarball();
if (!tarball)
  console.warn(
    "test/kernel: skipped, no kernel source tarball (apt-get install linux-source-6.12, or set IOMMU_REVIEW_KERNEL_TARBALL)",
  );
const describeKernel = tarball ? describe : describe.skip;

describeKernel("engine vs make defconfig on linux 6.12", () => {
  let tree: string;
  let base: Map<string, Map<string, string>>;

  beforeAll(async () => {
    const t = await kernelTree();
    if (!t) throw new Error("kernel tree unavailable");
    tree = t;
    base = await defconfigsWith(tree, ARCHES, []);
  }, 180_000);

  test("IOMMU_API is on in the defconfigs of all but sparc", () => {
    const on = ARCHES.filter((a) => base.get(a)!.get("CONFIG_IOMMU_API") === "y");
    expect(on).toEqual(["x86", "arm64", "s390", "riscv", "powerpc", "arm", "loongarch"]);
  });

  test("a generated patch applies to the tree, and a misfitting edit throws and changes nothing", async () => {
    const edits = CASES[0].edits;
    const patch = makePatch(tree, edits);
    expect(patch).toMatch(
      /^diff --git a\/drivers\/iommu\/Kconfig b\/drivers\/iommu\/Kconfig\nindex [0-9a-f]{12}\.\./,
    );
    expect(patch).toContain(`\n-${LAZY_LINE}+\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64\n`);
    const check = spawnSync("git", ["apply", "--check", "-"], { cwd: tree, input: patch, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);

    const kconfig = readFileSync(join(tree, IOMMU_KCONFIG), "utf8");
    const bad = [...edits, { path: IOMMU_KCONFIG, from: "IOMMU_DEFAULT_DMA_STRICT\n", to: "" }];
    await expect(defconfigWith(tree, "arm64", bad)).rejects.toThrow(/occurs 2 times/);
    expect(() => makePatch(tree, [{ path: IOMMU_KCONFIG, from: "no such line", to: "" }])).toThrow(
      /occurs 0 times/,
    );
    expect(readFileSync(join(tree, IOMMU_KCONFIG), "utf8")).toBe(kconfig);
  });

  describe.each(CASES)("$name", (c) => {
    let kernel: Map<string, [string | undefined, string | undefined]>;

    beforeAll(async () => {
      const after =
        c.arches.length === 1
          ? new Map([[c.arches[0], await defconfigWith(tree, c.arches[0], c.edits)]])
          : await defconfigsWith(tree, c.arches, c.edits);
      kernel = new Map(c.arches.map((a) => [a, [c.probe(base.get(a)!), c.probe(after.get(a)!)]]));
    }, 300_000);

    test("make defconfig gives the expected values", () => {
      const seen = Object.fromEntries(Object.keys(c.kernel).map((a) => [a, kernel.get(a as Arch)]));
      expect(seen).toEqual(c.kernel);
    });

    // Only where .config shows a value: for an invisible choice the engine still reports what it would pick.
    // A conditional row is compared through what make ARCH=<arch> defconfig gives for it (row.defconfigs.default).
    test("the engine's per-arch table agrees wherever the kernel shows a value", async () => {
      const item = await diffToItem(makePatch(tree, c.edits), "linux-6.12", 0);
      const result = review([item], { rules: rulesFor(c), ...treeReviewOptions(tree) });
      const findings = result.patches[0].findings.filter(
        (f) => f.rule === c.rule && f.path === c.edits[0].path,
      );
      expect(findings.map((f) => f.rule)).toEqual([c.rule]);
      const table = new Map(findings[0].table.map((r) => [r.arch, r]));
      const unaffected = new Set((findings[0].unaffected ?? []).map((n) => n.arch));
      // An arch the engine leaves out of the table (the choice has no effect there: IOMMU_DMA is n) is listed as
      // unaffected exactly when its Kconfig value moves.
      const compared: Record<string, Row | { arch: string; unaffected: boolean }> = {};
      const expected: Record<string, Row | { arch: string; unaffected: boolean }> = {};
      for (const [arch, [before, after]] of kernel) {
        if (before === undefined || after === undefined) continue;
        const row = table.get(arch);
        if (!row) {
          compared[arch] = { arch, unaffected: unaffected.has(arch) };
          expected[arch] = { arch, unaffected: before !== after };
          continue;
        }
        compared[arch] = {
          arch,
          before: row.defconfigs?.default?.before ?? row.before,
          after: row.defconfigs?.default?.after ?? row.after,
          changed: row.changed,
        };
        expected[arch] = { arch, before, after, changed: before !== after };
      }
      // The table itself keeps exactly the arches on which the choice has an effect: none is invented (um).
      if (c.rule === "iommu-default-domain-choice")
        expect([...table.keys()].sort()).toEqual(["arm64", "s390", "x86"]);
      expect(compared).toEqual(expected);
    });
  });
});
