import { createHash } from "node:crypto";
import type { FileDiff, Finding, Severity } from "../model.js";
import type { CheckAnnotation, Conclusion, NewCheckRun, PullRequestApi } from "./api.js";
import type { RepoConfig } from "./config.js";
import { CONFIG_PATH } from "./config.js";
import { type FailureDescription, failureSentence } from "./errors.js";
import { truncate } from "./summary.js";

export const CHECK_NAME = "iommu-review";

const LEVEL: Record<Severity, CheckAnnotation["annotation_level"]> = {
  info: "notice",
  warning: "warning",
  error: "failure",
};

export function conclusionFor(findings: readonly Finding[], policy: RepoConfig["conclusion"]): Conclusion {
  if (findings.some((f) => f.severity === "error")) return policy.error;
  if (findings.some((f) => f.severity === "warning")) return policy.warning;
  if (findings.length > 0) return "neutral";
  return "success";
}

export function countsTitle(findings: readonly Finding[]): string {
  if (findings.length === 0) return "No findings";
  const parts = (["error", "warning", "info"] as const).flatMap((s) => {
    const n = findings.filter((f) => f.severity === s).length;
    if (n === 0) return [];
    return [s === "info" ? `${n} info` : `${n} ${s}${n === 1 ? "" : "s"}`];
  });
  return parts.join(", ");
}

/**
 * Annotations sit on the head commit's files. A finding on a removed line is shown where its hunk now starts;
 * one in a file the PR deletes has nowhere to go and stays in the summary.
 */
function annotationLine(finding: Finding, diffs: readonly FileDiff[]): number | undefined {
  if (finding.side === "new") return finding.line;
  const diff = diffs.find((d) => d.path === finding.path);
  if (!diff || diff.newPath === null) return undefined;
  const hunk = diff.hunks.find((h) => h.lines.some((l) => l.kind !== "add" && l.oldLine === finding.line));
  return hunk ? Math.max(1, hunk.newStart) : undefined;
}

export function annotationsFor(findings: readonly Finding[], diffs: readonly FileDiff[]): CheckAnnotation[] {
  return findings.flatMap((f) => {
    const line = annotationLine(f, diffs);
    if (line === undefined) return [];
    return [
      {
        path: f.path,
        start_line: line,
        end_line: line,
        annotation_level: LEVEL[f.severity],
        title: f.title.slice(0, 255),
        message: truncate(f.message || f.title, 60_000),
      },
    ];
  });
}

export type CheckRunContent = Omit<NewCheckRun, "head_sha" | "external_id" | "details_url">;

export function reviewCheckRun(
  findings: readonly Finding[],
  diffs: readonly FileDiff[],
  summary: string,
  policy: RepoConfig["conclusion"],
  postFailure?: FailureDescription,
): CheckRunContent {
  const counts = countsTitle(findings);
  return {
    conclusion: conclusionFor(findings, policy),
    title: postFailure ? `${counts}; the review could not be posted` : counts,
    summary: truncate(
      postFailure
        ? `**The review could not be posted.** ${failureSentence(postFailure)}\n\n${summary}`
        : summary,
    ),
    annotations: annotationsFor(findings, diffs),
  };
}

export function invalidConfigCheckRun(problems: readonly string[]): CheckRunContent {
  const list = problems.map((p) => `- ${p}`).join("\n");
  return {
    conclusion: "action_required",
    title: `Invalid ${CONFIG_PATH}`,
    summary: truncate(
      `The pull request was not reviewed because ${CONFIG_PATH} (read from the default branch) is not valid:\n\n${list}\n\nFix the file on the default branch, then push again or re-run the check.\n`,
    ),
    annotations: [],
  };
}

export function failedCheckRun(failure: FailureDescription): CheckRunContent {
  return {
    conclusion: "neutral",
    title: "The review failed",
    summary: truncate(
      `iommu-review could not review this pull request. ${failureSentence(failure)}\n\nPush again or redeliver the webhook to retry.\n`,
    ),
    annotations: [],
  };
}

function externalId(content: CheckRunContent): string {
  const digest = createHash("sha256").update(JSON.stringify(content)).digest("hex").slice(0, 32);
  return `${CHECK_NAME}:${digest}`;
}

/**
 * Creates the check run for the head commit unless the latest one there already says the same (a second event
 * for the same head). A changed result gets a new run: updating one would append to its annotations.
 */
export async function publishCheckRun(
  api: PullRequestApi,
  headSha: string,
  content: CheckRunContent,
  detailsUrl?: string,
): Promise<"created" | "unchanged"> {
  const id = externalId(content);
  const existing = await api.listCheckRuns(headSha, CHECK_NAME);
  if (existing.some((r) => r.name === CHECK_NAME && r.status === "completed" && r.external_id === id))
    return "unchanged";
  await api.createCheckRun(CHECK_NAME, {
    ...content,
    head_sha: headSha,
    external_id: id,
    ...(detailsUrl ? { details_url: detailsUrl } : {}),
  });
  return "created";
}
