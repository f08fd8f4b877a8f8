import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@jest/globals";
import { replyBody } from "../../src/deliver/reply-body.js";
import { bufferToItems } from "../../src/ingest/read.js";
import { review } from "../../src/review/review.js";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";

test("the reply to the bundled one-finding example is short, within 72 columns, and points at nothing the reader lacks", async () => {
  const example = readFileSync(join(import.meta.dirname, "../../examples/arm64-lazy-default.patch"));
  const [entry] = review(await bufferToItems(example, "example"), {
    rules: loadRules(DEFAULT_RULES_DIR),
  }).patches;
  const parent = {
    messageId: entry!.messageId!,
    subject: entry!.subject!,
    from: entry!.author!,
    to: [],
    cc: [],
    references: [],
    date: entry!.patch!.date!,
  };
  const body = replyBody(entry!, parent, { to: [entry!.author!], cc: [] });
  const lines = body.trimEnd().split("\n");
  expect(lines.length).toBeLessThanOrEqual(75);
  for (const line of lines.filter((l) => !l.startsWith(">"))) expect(line.length).toBeLessThanOrEqual(72);
  expect(body).not.toMatch(/--verbose|JSON output|rule\.yaml|in Cc/);
  expect(body).toContain("iommu.strict=0");
  expect(body).toContain("2.67");
});
