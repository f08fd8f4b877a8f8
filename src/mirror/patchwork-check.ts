// A patch review as a Patchwork check: the state from the worst finding, and a one-line description.

import type { PatchReview } from "../model.js";

export type CheckState = "pending" | "success" | "warning" | "fail";

export const CHECK_CONTEXT = "iommu-review";

/** An outbox entry of kind "check". */
export interface CheckPayload {
  /** Known when the message came from the Patchwork poller; otherwise looked up by msgid. */
  patchId?: number;
  msgid: string;
  state: CheckState;
  description: string;
  targetUrl?: string;
}

const MAX_DESCRIPTION = 200;

export function checkForReview(entry: PatchReview): Pick<CheckPayload, "state" | "description"> {
  const findings = entry.findings;
  if (findings.length === 0) {
    return { state: "success", description: "No change to an architecture-conditional IOMMU default" };
  }
  const state: CheckState = findings.some((f) => f.severity === "error")
    ? "fail"
    : findings.some((f) => f.severity === "warning")
      ? "warning"
      : "success";
  const arches = [...new Set(findings.flatMap((f) => f.table.filter((r) => r.changed).map((r) => r.arch)))];
  const scope = arches.length > 0 ? ` (changes ${arches.join(", ")})` : "";
  const first = findings[0]!;
  const more = findings.length > 1 ? ` and ${findings.length - 1} more` : "";
  const description = `${first.title}${scope}${more}`;
  return {
    state,
    description:
      description.length > MAX_DESCRIPTION ? `${description.slice(0, MAX_DESCRIPTION - 1)}…` : description,
  };
}
