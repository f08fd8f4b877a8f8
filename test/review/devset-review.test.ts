// The reviews of the hand-labelled development set (../shared/corpus/labels): no argument dated after the patch
// or taken from its own thread, and no text review longer than 120 lines. Skips without ../shared.

import { describe, expect, test } from "@jest/globals";
import type { PatchReview } from "../../src/model.js";
import { renderText } from "../../src/render/text.js";
import { review } from "../../src/review/review.js";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";
import { devsetUnavailable, labelledPatches } from "../devset/labels.js";

const rules = loadRules(DEFAULT_RULES_DIR);
const missing = devsetUnavailable();
if (missing) console.warn(`development-set review checks skipped: ${missing}`);

const MAX_LINES = 120;

function threadIds(entry: PatchReview): Set<string> {
  const p = entry.patch!;
  return new Set([p.messageId, p.inReplyTo, ...p.references].filter((id): id is string => !!id));
}

(missing ? describe.skip : describe)("reviews of the development set", () => {
  test("arguments predate the patch and are never from its thread; reviews stay short", async () => {
    const patches = await labelledPatches();
    expect(patches.length).toBeGreaterThan(100);
    const result = review(
      patches.map((p) => p.item),
      { rules },
    );
    const problems: string[] = [];
    let reviewed = 0;
    let longest = 0;
    for (const entry of result.patches) {
      if (!entry.patch || entry.findings.length === 0) continue;
      reviewed++;
      const day = entry.patch.date!.slice(0, 10);
      const ids = threadIds(entry);
      for (const a of entry.findings.flatMap((f) => f.arguments)) {
        const made = a.date ?? a.since;
        if (made && made >= day) problems.push(`${entry.messageId}: ${a.id} (${made}) is not before ${day}`);
        if (a.sourceIds?.some((id) => ids.has(id)))
          problems.push(`${entry.messageId}: ${a.id} is from its thread`);
      }
      const lines = renderText({ patches: [entry] }).split("\n").length;
      longest = Math.max(longest, lines);
      if (lines > MAX_LINES) problems.push(`${entry.messageId}: ${lines} lines`);
    }
    console.info(`development set: ${reviewed} patches with findings, longest text review ${longest} lines`);
    expect(reviewed).toBeGreaterThan(20);
    expect(problems).toEqual([]);
  }, 600_000);
});
