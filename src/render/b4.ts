// b4's per-patch check protocol (review-perpatch-check-cmd): one message on stdin, a JSON list of results on
// stdout, one per tool: status pass, warn or fail, a one-line summary, a link and the details as text.

import type { PatchReview, Review, Severity } from "../model.js";
import { loreUrl, messageIdOf, plural } from "./common.js";
import { renderText } from "./text.js";

export interface B4CheckResult {
  tool: "iommu-review";
  status: "pass" | "warn" | "fail";
  summary: string;
  /** The reviewed message on lore.kernel.org; empty for a bare diff. */
  url: string;
  details: string;
}

const STATUS: Record<Severity, B4CheckResult["status"]> = { info: "pass", warning: "warn", error: "fail" };
const RANK: Record<B4CheckResult["status"], number> = { pass: 0, warn: 1, fail: 2 };

function checkResult(entry: PatchReview): B4CheckResult {
  const status = entry.findings
    .map((f) => STATUS[f.severity])
    .reduce((worst, s) => (RANK[s] > RANK[worst] ? s : worst), "pass" as B4CheckResult["status"]);
  const titles = [...new Set(entry.findings.map((f) => f.title))];
  const messageId = messageIdOf(entry);
  return {
    tool: "iommu-review",
    status,
    summary: `${plural(entry.findings.length, "finding")}: ${titles.join("; ")}`,
    url: messageId ? loreUrl(messageId) : "",
    details: renderText({ patches: [entry] }),
  };
}

/**
 * The results for the patches with findings; an empty string (no output at all) when the input touches
 * nothing the rules watch, which b4 reads as "nothing to say".
 */
export function renderB4(review: Review): string {
  const results = review.patches.filter((p) => p.findings.length > 0).map(checkResult);
  return results.length === 0 ? "" : `${JSON.stringify(results)}\n`;
}
