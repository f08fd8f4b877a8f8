import { describe, expect, test } from "@jest/globals";
import type { Review } from "../../src/model.js";
import { renderSarif, sarifLevel, toSarif } from "../../src/render/sarif.js";
import { ARM64_ENTRY, ARM64_FINDING, REVIEW, RULES } from "./fixtures.js";

const isText = (v: unknown) =>
  typeof v === "object" && v !== null && typeof (v as { text?: unknown }).text === "string";

describe("SARIF", () => {
  const log = JSON.parse(renderSarif(REVIEW, RULES));

  test("has the required top-level structure", () => {
    expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe("iommu-review");
    expect(driver.informationUri).toMatch(/^https:\/\//);
    for (const rule of driver.rules) {
      expect(typeof rule.id).toBe("string");
      expect(isText(rule.shortDescription) && isText(rule.fullDescription)).toBe(true);
      expect(["error", "warning", "note"]).toContain(rule.defaultConfiguration.level);
    }
  });

  test("every finding of a reviewed patch is one result with a location", () => {
    const results = log.runs[0].results;
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(log.runs[0].tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.message.text.length).toBeGreaterThan(0);
      expect(result.locations).toHaveLength(1);
      const loc = result.locations[0].physicalLocation;
      expect(typeof loc.artifactLocation.uri).toBe("string");
      expect(Number.isInteger(loc.region.startLine) && loc.region.startLine >= 1).toBe(true);
      expect(Object.keys(result.partialFingerprints)).toEqual(["iommuReview/v1"]);
    }
  });

  test("levels: error and warning as they are, info becomes note", () => {
    expect(["error", "warning", "info"].map(sarifLevel)).toEqual(["error", "warning", "note"]);
    expect(log.runs[0].results.map((r: { level: string }) => r.level)).toEqual(["warning", "note"]);
  });

  test("the message names the title and the changed arches only", () => {
    expect(log.runs[0].results[0].message.text).toBe(
      "Architecture-conditional IOMMU default domain type changed: arm64 IOMMU_DEFAULT_DMA_STRICT -> IOMMU_DEFAULT_DMA_LAZY",
    );
  });

  test("startLine is at least 1 and an unlisted rule still gets a descriptor", () => {
    const review: Review = {
      patches: [{ ...ARM64_ENTRY, findings: [{ ...ARM64_FINDING, line: 0, rule: "unlisted" }] }],
    };
    const sarif = toSarif(review, RULES);
    const result = sarif.runs[0]!.results[0]!;
    expect(result.locations[0]!.physicalLocation.region.startLine).toBe(1);
    expect(sarif.runs[0]!.tool.driver.rules[result.ruleIndex]!.id).toBe("unlisted");
  });

  test("an empty review is still a valid log", () => {
    const sarif = toSarif({ patches: [] }, RULES);
    expect(sarif.runs[0]!.results).toEqual([]);
    expect(sarif.runs[0]!.tool.driver.rules).toHaveLength(RULES.length);
  });
});
