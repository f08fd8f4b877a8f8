import type { Finding, Review } from "../model.js";
import { renderFindingComment, renderMarkdown } from "../render/markdown.js";
import { code, escapeInline } from "../render/markdown-escape.js";
import type { NotReviewed } from "./gather.js";
import type { FoldedFinding } from "./inline.js";
import { FOLLOW_UP_MARKER, fingerprintMarker, RESOLVED_MARKER, SUMMARY_MARKER } from "./markers.js";

/** GitHub rejects review, comment and check-run bodies over 65536 characters; keep a margin for the markers. */
export const MAX_BODY = 65_000;

const TRUNCATED =
  "\n\n… (cut here: GitHub limits the length of this text; the check run lists every finding)\n";

export function truncate(text: string, max = MAX_BODY): string {
  return text.length <= max ? text : text.slice(0, max - TRUNCATED.length) + TRUNCATED;
}

export interface SummaryParts {
  review: Review;
  /** Findings that are not (or not yet) inline comments. */
  folded?: readonly FoldedFinding[];
  notReviewed?: readonly NotReviewed[];
  /** Files beyond GitHub's listing cap, when the PR has more. */
  unlisted?: { listed: number; total: number };
}

function foldedSection(folded: readonly FoldedFinding[]): string | undefined {
  if (folded.length === 0) return undefined;
  const lines = folded.map(
    ({ finding, reason }) =>
      `- ${code(`${finding.path}:${finding.line}`)} ${finding.severity}: ${escapeInline(finding.title)} (${escapeInline(reason)})`,
  );
  return `**Not commented inline** (see above)\n${lines.join("\n")}`;
}

function notReviewedSection(parts: SummaryParts): string | undefined {
  const lines = (parts.notReviewed ?? []).map((n) => `- ${code(n.path)}: ${escapeInline(n.reason)}`);
  if (parts.unlisted)
    lines.push(
      `- GitHub lists at most ${parts.unlisted.listed} files of a pull request; this one changes ${parts.unlisted.total}, so ${parts.unlisted.total - parts.unlisted.listed} were not reviewed.`,
    );
  return lines.length > 0 ? `**Files not reviewed**\n${lines.join("\n")}` : undefined;
}

/** The review's markdown plus what GitHub could not carry inline; shared by the summary and the check run. */
export function summaryMarkdown(parts: SummaryParts): string {
  const blocks = [
    renderMarkdown(parts.review).trimEnd(),
    foldedSection(parts.folded ?? []),
    notReviewedSection(parts),
  ];
  return `${blocks.filter((b): b is string => !!b).join("\n\n")}\n`;
}

/** The bot's summary (review body or issue comment), found again on the next run by its marker. */
export function summaryBody(parts: SummaryParts): string {
  return `${SUMMARY_MARKER}\n${truncate(summaryMarkdown(parts))}`;
}

export function inlineCommentBody(finding: Finding): string {
  return `${fingerprintMarker(finding.fingerprint)}\n${truncate(renderFindingComment(finding))}`;
}

/** A later run's batch of new inline comments needs a review of its own; its body points back to the summary. */
export function followUpBody(count: number, headSha: string): string {
  const what = count === 1 ? "1 new finding" : `${count} new findings`;
  return `${FOLLOW_UP_MARKER}\niommu-review: ${what} at ${code(headSha.slice(0, 7))}. The summary in the first iommu-review review is kept up to date.\n`;
}

/** A comment whose finding is gone but which people replied to: kept, marked resolved, original folded away. */
export function resolvedBody(previous: string, fingerprintLine: string, headSha: string): string {
  const original = previous.replace(fingerprintLine, "").trim();
  return [
    fingerprintLine,
    RESOLVED_MARKER,
    `**Resolved** at ${code(headSha.slice(0, 7))}: this finding no longer applies. The comment stays because of the replies.`,
    "",
    "<details><summary>Original comment</summary>",
    "",
    original,
    "",
    "</details>",
    "",
  ].join("\n");
}
