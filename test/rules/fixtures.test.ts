import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { readInputs } from "../../src/ingest/read.js";
import { review } from "../../src/review/review.js";
import { loadRules } from "../../src/rules/load.js";

// Every rule runs on its own fixtures: rules/<id>/triggers/*.patch must fire it (and, with a sidecar
// .expect.json, give exactly those per-arch changes); rules/<id>/ignores/*.patch must not fire it.

const RULES_DIR = join(import.meta.dirname, "../../rules");
const rules = loadRules(RULES_DIR);

const patchesIn = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".patch"))
        .sort()
    : [];

async function findingsOf(file: string, ruleId: string) {
  const items = await readInputs([file]);
  expect(items.filter((i) => i.kind === "error")).toEqual([]);
  const result = review(items, { rules });
  return result.patches.flatMap((p) => p.findings).filter((f) => f.rule === ruleId);
}

describe.each(rules.map((r) => [r.id, r] as const))("rule %s", (id, rule) => {
  const triggers = patchesIn(join(rule.dir, "triggers"));
  const ignores = patchesIn(join(rule.dir, "ignores"));

  test("has fixtures both ways", () => {
    expect(triggers.length).toBeGreaterThan(0);
    expect(ignores.length).toBeGreaterThan(0);
  });

  test.each(triggers)("triggers on %s", async (name) => {
    const file = join(rule.dir, "triggers", name);
    const findings = await findingsOf(file, id);
    expect(findings.length).toBeGreaterThan(0);
    const expectFile = file.replace(/\.patch$/, ".expect.json");
    if (existsSync(expectFile)) {
      const expected = JSON.parse(readFileSync(expectFile, "utf8")) as {
        perArch: { arch: string; before: string; after: string }[];
      };
      const perArch = findings.flatMap((f) =>
        f.table.filter((r) => r.changed).map(({ arch, before, after }) => ({ arch, before, after })),
      );
      const byArch = (a: { arch: string }, b: { arch: string }) => a.arch.localeCompare(b.arch);
      expect(perArch.sort(byArch)).toEqual([...expected.perArch].sort(byArch));
    }
  });

  test.each(ignores)("ignores %s", async (name) => {
    expect(await findingsOf(join(rule.dir, "ignores", name), id)).toEqual([]);
  });
});
