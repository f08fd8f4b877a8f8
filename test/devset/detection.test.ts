import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { loadRules } from "../../src/rules/load.js";
import { precision, recall, type ScoredRow, scoreRows, showRatio } from "./detection.js";
import { devsetUnavailable, labelledPatches } from "./labels.js";

// The bundled rules on the hand-labelled development set (../shared/corpus/labels/patches-2019-2020.tsv), through
// the same review() the command line uses. These figures are in-sample: the C and config patterns were tuned on
// these rows. The blind set (test/devset/blind-c.tsv) is scored separately.

const rules = loadRules(join(import.meta.dirname, "../../rules"));
const unavailable = devsetUnavailable();
if (unavailable) console.warn(`skipping the development-set detection test: ${unavailable}`);
const maybe = unavailable ? describe.skip : describe;

maybe("development set (in-sample)", () => {
  let rows: ScoredRow[] = [];

  test("loads the labelled patches", async () => {
    rows = scoreRows(await labelledPatches(), rules);
    expect(rows.length).toBeGreaterThan(150);
    const lines = [
      `tier A recall: ${showRatio(recall(rows, ["A"]))}`,
      `tier B recall: ${showRatio(recall(rows, ["B"]))}`,
      `tier E recall: ${showRatio(recall(rows, ["E"]))}`,
      `tier A+B recall: ${showRatio(recall(rows, ["A", "B"]))}`,
      `warning precision: ${showRatio(precision(rows, "warning"))}`,
      `info precision: ${showRatio(precision(rows, "info"))}`,
    ];
    if (process.env.DEVSET_DETAIL)
      for (const r of rows)
        if (process.env.DEVSET_DETAIL === "all" || r.label !== (r.severity !== undefined))
          lines.push(
            `${r.label ? "MISS" : "FALSE"} ${r.tier} ${r.severity ?? "-"} ${r.messageId} ${r.subject}`,
            ...r.evidence.map((e) => `    ${e}`),
          );
    console.log(lines.join("\n"));
  }, 120_000);
});
