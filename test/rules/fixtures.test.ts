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
        perArch: { arch: string; before: string; after: string; when?: string }[];
        /** The finding's severity, when it is not the rule's (a change with no effect is info). */
        severity?: string;
        /** Architectures reported apart, as not affected. */
        unaffected?: string[];
        /** Architectures on which the entry's visibility changes. */
        visibility?: string[];
      };
      // `when` is compared only where the expectation gives it.
      const perArch = findings.flatMap((f) =>
        f.table
          .filter((r) => r.changed)
          .map(({ arch, before, after, when }) => ({ arch, before, after, ...(when ? { when } : {}) })),
      );
      const expectedRows = expected.perArch.map((r) => ({
        ...r,
        ...(r.when
          ? {}
          : perArch.find((p) => p.arch === r.arch && p.when)
            ? { when: expect.any(String) }
            : {}),
      }));
      const byArch = (a: { arch: string }, b: { arch: string }) => a.arch.localeCompare(b.arch);
      expect(perArch.sort(byArch)).toEqual([...expectedRows].sort(byArch));
      if (expected.severity) expect(findings.map((f) => f.severity)).toEqual([expected.severity]);
      if (expected.unaffected)
        expect(findings.flatMap((f) => f.unaffected ?? []).map((n) => n.arch)).toEqual(expected.unaffected);
      if (expected.visibility)
        expect(findings.flatMap((f) => f.visibility ?? []).map((n) => n.arch)).toEqual(expected.visibility);
    }
  });

  test.each(ignores)("ignores %s", async (name) => {
    expect(await findingsOf(join(rule.dir, "ignores", name), id)).toEqual([]);
  });
});
