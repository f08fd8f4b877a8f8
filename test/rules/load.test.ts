import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { loadRules, RuleLoadError } from "../../src/rules/load.js";

const GOOD = `id: sample-rule
title: A sample rule
severity: info
match:
  kind: c-code
  paths: ["**/*.c"]
  patterns: ["iommu_set_dma_strict\\\\("]
message: "{path} changes strictness: {matched}"
arguments:
  - id: legacy-helper
    category: process
    text: The helper exists for two legacy drivers only.
    who: Someone
    date: 2021-06-22
    sources:
      - where: 20210622.1234@example.org
        excerpt: exists for two legacy drivers
`;

function rulesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "rules-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "rule.yaml"), text);
  }
  return dir;
}

function loadError(files: Record<string, string>): RuleLoadError {
  try {
    loadRules(rulesDir(files));
  } catch (e) {
    expect(e).toBeInstanceOf(RuleLoadError);
    return e as RuleLoadError;
  }
  throw new Error("expected a RuleLoadError");
}

describe("loadRules", () => {
  test("loads a valid rule with defaults filled in", () => {
    const [rule] = loadRules(rulesDir({ "sample-rule": GOOD }));
    expect(rule!.id).toBe("sample-rule");
    expect(rule!.claims).toBe(true);
    expect(rule!.arguments[0]!.category).toBe("process");
  });
  test("a bad severity names the file and the field", () => {
    const e = loadError({ bad: GOOD.replace("severity: info", "severity: critical") });
    expect(e.message).toMatch(/bad\/rule\.yaml: severity: /);
  });
  test("a typo in a key is an error, not silently ignored", () => {
    const e = loadError({ bad: GOOD.replace("  paths:", "  path:") });
    expect(e.message).toMatch(/rule\.yaml: match(\.paths)?: /);
  });
  test("an argument with an unknown category names its index", () => {
    const e = loadError({ bad: GOOD.replace("category: process", "category: politics") });
    expect(e.message).toMatch(/arguments\.0\.category/);
  });
  test("a cited argument needs an excerpt of the message, and an excerpt at most a dozen words", () => {
    const bare = GOOD.replace(/ {4}sources:\n(?: {6,}.*\n)+/, "");
    expect(loadError({ bad: bare }).message).toMatch(/arguments\.0\.sources: required with who/);
    const long = GOOD.replace("excerpt: exists for two legacy drivers", `excerpt: ${"word ".repeat(13)}`);
    expect(loadError({ bad: long }).message).toMatch(
      /arguments\.0\.sources\.0\.excerpt: at most a dozen words/,
    );
  });
  test("our own explanation carries no date (since instead), and relevance fields are checked", () => {
    const own = GOOD.replace(/ {4}who: Someone\n/, "");
    expect(loadError({ bad: own }).message).toMatch(/arguments\.0\.who: required with date/);
    const direction = GOOD.replace("category: process", "category: process\n    direction: [sideways]");
    expect(loadError({ bad: direction }).message).toMatch(/arguments\.0\.direction\.0/);
  });
  test("an invalid regular expression is reported", () => {
    const e = loadError({ bad: GOOD.replace('["iommu_set_dma_strict\\\\("]', '["(unclosed"]') });
    expect(e.message).toMatch(/match\.patterns\.0: not a valid regular expression/);
  });
  test("a choice rule with neither members nor prompts is rejected", () => {
    const e = loadError({ bad: GOOD.replace("kind: c-code", "kind: kconfig-choice-default") });
    expect(e.message).toMatch(/match\.members: kind kconfig-choice-default needs members/);
  });
  test("broken YAML gives the line", () => {
    const e = loadError({ bad: "id: [unclosed\n" });
    expect(e.message).toMatch(/invalid YAML/);
  });
  test("duplicate ids across files are rejected", () => {
    const e = loadError({ one: GOOD, two: GOOD });
    expect(e.message).toMatch(/duplicate rule id sample-rule/);
  });
});
