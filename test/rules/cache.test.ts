import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { loadRulesQuickly, writeRulesCache } from "../../src/rules/cache.js";
import { loadRules, RuleLoadError } from "../../src/rules/load.js";

const SHIPPED = join(import.meta.dirname, "../../rules");

function copyOfShippedRules(): { dir: string; cache: string } {
  const scratch = mkdtempSync(join(tmpdir(), "rules-cache-"));
  const dir = join(scratch, "rules");
  cpSync(SHIPPED, dir, { recursive: true });
  return { dir, cache: join(scratch, "validated-rules.json") };
}

describe("validated-rules cache", () => {
  test("a cache hit gives the same rules as a full load", async () => {
    const { dir, cache } = copyOfShippedRules();
    expect(await writeRulesCache(dir, cache)).toBe(loadRules(dir).length);
    const cached = await loadRulesQuickly(dir, cache);
    expect(cached).toEqual(loadRules(dir));
  });

  test("an edited rule file is validated again, so a broken edit is still refused", async () => {
    const { dir, cache } = copyOfShippedRules();
    await writeRulesCache(dir, cache);
    const file = join(dir, "iommu-strictness-in-c/rule.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^severity: \w+$/m, "severity: loud"));
    await expect(loadRulesQuickly(dir, cache)).rejects.toThrow(RuleLoadError);
    await expect(loadRulesQuickly(dir, cache)).rejects.toThrow(
      /iommu-strictness-in-c\/rule\.yaml: severity: /,
    );
  });

  test("without a cache file the rules are loaded and validated", async () => {
    const { dir, cache } = copyOfShippedRules();
    expect((await loadRulesQuickly(dir, cache)).map((r) => r.id)).toEqual(loadRules(dir).map((r) => r.id));
  });
});
