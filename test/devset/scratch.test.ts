import { test } from "@jest/globals";
import { readInputs } from "../../src/ingest/read.js";
import { review } from "../../src/review/review.js";
import { loadRules } from "../../src/rules/load.js";
import { cLines } from "../../src/rules/kinds/c-hunks.js";
test("x", async () => {
  const items = await readInputs([process.env.P!]);
  const rules = loadRules("rules");
  const p = items[0]!;
  if (p.kind === "patch") for (const f of p.patch.files) console.log(JSON.stringify(cLines(f).filter(l=>l.line.kind!=="context").map(l=>[l.line.kind,l.line.text,l.fn,l.guard,l.block])));
  console.log(JSON.stringify(review(items, { rules }).patches.flatMap((x) => x.findings).map((f) => [f.rule, f.severity, f.message]), null, 1));
});
