import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules, RuleLoadError } from "../../src/rules/load.js";
import { buildCueBook, CueConflictError, compileCues, uncuedArgumentIds } from "../../src/thread/cues.js";

const RULE = (id: string, extra: string) => `id: ${id}
title: A sample rule
severity: info
match:
  kind: c-code
  paths: ["**/*.c"]
  patterns: ["iommu_set_dma_strict"]
message: "{path} changes strictness"
arguments:
  - id: keep-strict
    category: security-vs-throughput
    text: Strict should stay the default for everyone.
${extra}`;

function rulesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cue-rules-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, "rule.yaml"), text);
  }
  return dir;
}

function loadError(text: string): RuleLoadError {
  try {
    loadRules(rulesDir({ bad: text }));
  } catch (e) {
    expect(e).toBeInstanceOf(RuleLoadError);
    return e as RuleLoadError;
  }
  throw new Error("expected a RuleLoadError");
}

describe("compileCues", () => {
  test("phrases match whole words with any whitespace, case-insensitively", () => {
    const cues = compileCues({ phrases: ["boot parameter"] });
    expect(cues.match("Use the Boot\n  Parameter.")).toEqual({ index: 8, length: 16 });
    expect(cues.match("a reboot parameterised")).toBeUndefined();
  });

  test("an all group needs every regex in the same sentence; not vetoes", () => {
    const cues = compileCues({ all: [["\\bstrict\\b", "\\bdefault\\b"]], not: ["^thanks"] });
    expect(cues.match("keep strict as the default")).toBeDefined();
    expect(cues.match("keep strict")).toBeUndefined();
    expect(cues.match("Thanks for keeping strict as the default")).toBeUndefined();
  });
});

describe("cue data in rule files", () => {
  test("a bad cue regex names the file and the field", () => {
    const e = loadError(RULE("bad", "    cues:\n      regexes: ['(unclosed']\n"));
    expect(e.message).toMatch(
      /bad\/rule\.yaml: arguments\.0\.cues\.regexes\.0: not a valid regular expression/,
    );
  });

  test("a typo in a cue key and an empty cue set are errors", () => {
    expect(loadError(RULE("bad", "    cues:\n      phrase: [x]\n")).message).toMatch(/arguments\.0\.cues/);
    expect(loadError(RULE("bad", "    cues: {}\n")).message).toMatch(
      /arguments\.0\.cues: needs at least one of/,
    );
  });

  test("an unknown discussion category and a duplicate alternative id are errors", () => {
    const badCategory = RULE("bad", "discussion:\n  categories:\n    politics:\n      phrases: [vote]\n");
    expect(loadError(badCategory).message).toMatch(/discussion\.categories/);
    const dup =
      "discussion:\n  alternatives:\n    - {id: a, label: One, cues: {phrases: [one]}}\n    - {id: a, label: Two, cues: {phrases: [two]}}\n";
    expect(loadError(RULE("bad", dup)).message).toMatch(
      /discussion\.alternatives\.1\.id: duplicate alternative id a/,
    );
  });

  test("two rules giving one argument id different cues is an error naming both files", () => {
    const dir = rulesDir({
      one: RULE("one", "    cues: {phrases: [strict default]}\n"),
      two: RULE("two", "    cues: {phrases: [something else]}\n"),
    });
    expect(() => buildCueBook(loadRules(dir))).toThrow(CueConflictError);
    expect(() => buildCueBook(loadRules(dir))).toThrow(
      /two\/rule\.yaml: arguments\.keep-strict\.cues: differs from .*one\/rule\.yaml/,
    );
  });

  test("cues written on one rule's copy of an argument apply to the same id in every rule", () => {
    const dir = rulesDir({
      one: RULE("one", "    cues: {phrases: [strict default]}\n"),
      two: RULE("two", ""),
    });
    const book = buildCueBook(loadRules(dir));
    expect(book.arguments.map((a) => a.id)).toEqual(["keep-strict"]);
    expect(uncuedArgumentIds(loadRules(dir))).toEqual([]);
  });

  test("the shipped rules load, agree with each other, and give every known argument cues", () => {
    const rules = loadRules(DEFAULT_RULES_DIR);
    const book = buildCueBook(rules);
    expect(uncuedArgumentIds(rules)).toEqual([]);
    expect(book.categories.map((c) => c.category).sort()).toEqual(
      ["alternatives", "evidence", "per-arch-divergence", "process", "security-vs-throughput"].sort(),
    );
    expect(book.alternatives.map((a) => a.id)).toEqual(
      expect.arrayContaining(["boot-parameter", "distro-config", "arch-neutral-kconfig"]),
    );
  });
});
