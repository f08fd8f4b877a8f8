import type { FileDiff, Finding, Severity } from "../model.js";

// Which findings can become inline review comments. GitHub anchors a comment with `line` + `side` only on a line
// the diff shows: RIGHT for added and context lines (post-image numbers), LEFT for removed and context lines.

export type DiffSide = "LEFT" | "RIGHT";

export interface FoldedFinding {
  finding: Finding;
  reason: string;
}

export function sideOf(finding: Finding): DiffSide {
  return finding.side === "old" ? "LEFT" : "RIGHT";
}

/** Lines a review comment can be anchored on, per path and side. */
export class DiffLines {
  private readonly lines = new Map<string, Set<number>>();

  /** `noInline`: paths GitHub gave no per-file patch for; it shows no diff there to comment on. */
  constructor(
    diffs: readonly FileDiff[],
    private readonly noInline: ReadonlySet<string> = new Set(),
  ) {
    for (const diff of diffs) {
      const right = new Set<number>();
      const left = new Set<number>();
      for (const hunk of diff.hunks)
        for (const l of hunk.lines) {
          if (l.kind !== "del" && l.newLine !== undefined) right.add(l.newLine);
          if (l.kind !== "add" && l.oldLine !== undefined) left.add(l.oldLine);
        }
      this.lines.set(`RIGHT\0${diff.path}`, right);
      this.lines.set(`LEFT\0${diff.path}`, left);
    }
  }

  /** Why the finding cannot be an inline comment, or undefined when it can. */
  obstacle(finding: Finding): string | undefined {
    if (this.noInline.has(finding.path)) return "GitHub shows no diff for this file";
    if (!this.lines.get(`${sideOf(finding)}\0${finding.path}`)?.has(finding.line))
      return "not on a line of the diff";
    return undefined;
  }
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function bySeverityThenPlace(a: Finding, b: Finding): number {
  return RANK[a.severity] - RANK[b.severity] || a.path.localeCompare(b.path) || a.line - b.line;
}

export interface Placement {
  /** New inline comments to post in this run, most severe first. */
  post: Finding[];
  /** Findings that stay in the summary only. */
  folded: FoldedFinding[];
}

/**
 * Places findings that have no inline comment yet: anchorable ones are posted up to `limit`, the rest fold into the
 * summary with the reason. Findings already commented inline are neither posted again nor folded.
 */
export function placeFindings(
  findings: readonly Finding[],
  lines: DiffLines,
  alreadyInline: ReadonlySet<string>,
  limit: number,
): Placement {
  const post: Finding[] = [];
  const folded: FoldedFinding[] = [];
  for (const finding of [...findings].sort(bySeverityThenPlace)) {
    if (alreadyInline.has(finding.fingerprint)) continue;
    const obstacle = lines.obstacle(finding);
    if (obstacle) folded.push({ finding, reason: obstacle });
    else if (post.length >= limit)
      folded.push({ finding, reason: `over the limit of ${limit} inline comments per run` });
    else post.push(finding);
  }
  return { post, folded };
}
