// The whole shared corpus (public list data kept outside the project, in ../shared/corpus), scanned with the
// prefilter checked against the full path on every message it settles. Skipped when the corpus is absent.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type CompiledLib, compileLib } from "./compiled.js";
import { jsonLines } from "./io.js";

const CORPUS = join(import.meta.dirname, "../../../shared/corpus/iommu-list-2019-2020.mbox.xz");
const present = existsSync(CORPUS);

describe("iommu list corpus 2019-2020, scanned", () => {
  if (!present) {
    test.skip(`corpus not found at ${CORPUS}: skipped`, () => {});
    return;
  }

  let compiled: CompiledLib;
  let records: Record<string, unknown>[];
  let summary: Record<string, unknown>;
  beforeAll(async () => {
    compiled = compileLib();
    const xz = spawn("xz", ["-dc", CORPUS], { stdio: ["ignore", "pipe", "inherit"] });
    const run = await compiled.scan(["-", "--verify-prefilter", "-q"], xz.stdout);
    expect(run.code).toBe(0);
    ({ records, summary } = jsonLines(run.stdout));
  }, 180_000);
  afterAll(() => compiled?.remove());

  test("every one of the 16,196 messages has exactly one entry, in order", () => {
    expect(summary.messages).toBe(16196);
    expect(records).toHaveLength(16196);
    records.forEach((r, i) => {
      expect(r.position).toBe(i);
    });
    const { patches, skipped, errors } = summary as { patches: number; skipped: number; errors: number };
    expect(patches + skipped + errors).toBe(16196);
  });

  test("where the prefilter settled a message, the full path gives the same entry", () => {
    expect(summary.prefilterDisagreements).toEqual([]);
    expect(summary.prefiltered as number).toBeGreaterThan(14000);
  });

  test("Zhen Lei's 2019 Kconfig default series (v7-v9) is flagged", () => {
    const rulesOf = (subject: string) =>
      records
        .filter((r) => r.subject === subject)
        .map((r) => (r.findings as { rule: string }[]).map((f) => f.rule).sort());
    expect(rulesOf("[PATCH v7 1/1] iommu: enhance IOMMU dma mode build options")[0]).toContain(
      "iommu-default-domain-choice",
    );
    for (const v of [8, 9]) {
      expect(rulesOf(`[PATCH v${v} 1/7] iommu: enhance IOMMU default DMA mode build options`)[0]).toContain(
        "iommu-default-domain-choice",
      );
      expect(
        rulesOf(`[PATCH v${v} 3/7] s390/pci: add support for IOMMU default DMA mode build options`)[0],
      ).toContain("iommu-default-domain-choice");
      // Found by its members although the hunk starts inside the choice; the generic rule leaves it alone.
      expect(
        rulesOf(`[PATCH v${v} 6/7] iommu/amd: add support for IOMMU default DMA mode build options`)[0],
      ).toContain("iommu-default-domain-choice");
      expect(
        rulesOf(`[PATCH v${v} 6/7] iommu/amd: add support for IOMMU default DMA mode build options`)[0],
      ).not.toContain("arch-conditional-kconfig-default");
    }
  });
});
