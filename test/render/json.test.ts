import { describe, expect, test } from "@jest/globals";
import { renderJson, toJsonContract } from "../../src/render/json.js";
import { ARM64_ENTRY, ERROR_ENTRY, REVIEW } from "./fixtures.js";

describe("JSON contract", () => {
  const json = toJsonContract(REVIEW);

  test("one entry per input, in input order", () => {
    expect(json.patches.map((p) => p.position)).toEqual(REVIEW.patches.map((p) => p.position));
  });

  test("perArch lists exactly the arches whose default changes", () => {
    const finding = json.patches[0]!.findings[0]!;
    expect(finding.perArch).toEqual([
      { arch: "arm64", before: "IOMMU_DEFAULT_DMA_STRICT", after: "IOMMU_DEFAULT_DMA_LAZY" },
    ]);
    expect(json.patches[4]!.findings[0]!.perArch).toEqual([]);
  });

  test("keys in the documented order", () => {
    const [patch, skipped, , error] = json.patches;
    const base = ["source", "position", "subject", "messageId", "author", "findings", "claims"];
    expect(Object.keys(patch!)).toEqual(base);
    expect(Object.keys(skipped!)).toEqual([...base, "skipped"]);
    expect(Object.keys(error!)).toEqual([...base, "error"]);
    expect(Object.keys(patch!.findings[0]!)).toEqual([
      "rule",
      "severity",
      "path",
      "line",
      "title",
      "message",
      "perArch",
      "arguments",
    ]);
    expect(Object.keys(patch!.findings[0]!.arguments[0]!)).toEqual(["category", "text", "who", "where"]);
    expect(Object.keys(patch!.claims[0]!)).toEqual(["kind", "ok", "claim", "note"]);
  });

  test("absent values are null; author is Name <email>", () => {
    expect(json.patches[0]!.author).toBe("Nafees Ahmed Abdul <nafeabd@amazon.com>");
    expect(json.patches[3]).toMatchObject({ subject: null, messageId: null, author: null });
    expect(json.patches[0]!.findings[0]!.arguments[0]!.where).toBeNull();
  });

  test("error and skipped entries carry no findings even if the model had some", () => {
    const out = toJsonContract({
      patches: [{ ...ERROR_ENTRY, findings: ARM64_ENTRY.findings, claims: ARM64_ENTRY.claims }],
    });
    expect(out.patches[0]).toMatchObject({ findings: [], claims: [], error: ERROR_ENTRY.error });
  });

  test("pretty-printed with two spaces and a trailing newline, and parses back", () => {
    const text = renderJson(REVIEW);
    expect(text.startsWith('{\n  "patches": [\n    {\n')).toBe(true);
    expect(text.endsWith("}\n")).toBe(true);
    expect(JSON.parse(text)).toEqual(json);
  });
});
