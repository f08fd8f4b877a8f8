// Which commit messages of a pull request the commit-message check reads: those of the commits that introduce
// a finding's changed lines, not every commit's. A superseded commit's benchmark claims are not checked
// against the change that replaced it.

import type { Finding } from "../model.js";

export interface CommitChange {
  message: string;
  /** The lines the commit adds, trimmed, per file; absent when they could not be read. */
  added?: Map<string, string[]>;
}

/** A pull request with more commits than this has each commit's lines left unread (one API call each). */
export const MAX_COMMITS_READ = 20;

function introduces(commit: CommitChange, finding: Finding): boolean {
  const lines = commit.added?.get(finding.path);
  if (!lines) return false;
  const wanted = finding.quote.filter((l) => l.kind === "add").map((l) => l.text.trim());
  // A finding on removed lines only: the last commit touching the file removed them.
  return wanted.length === 0 || wanted.some((w) => lines.includes(w));
}

/**
 * The messages to check, oldest first: for each finding the latest commit that adds its lines (else the latest
 * that touches its file). Undefined when the commits' lines are unknown: then every message is checked.
 */
export function messagesIntroducing(
  findings: readonly Finding[],
  commits: readonly CommitChange[],
): string[] | undefined {
  if (commits.length < 2 || commits.some((c) => !c.added)) return undefined;
  const chosen = new Set<number>();
  for (const finding of findings) {
    const indexes = commits.map((_, i) => i).reverse();
    const at =
      indexes.find((i) => introduces(commits[i]!, finding)) ??
      indexes.find((i) => commits[i]!.added!.has(finding.path));
    if (at !== undefined) chosen.add(at);
  }
  return [...chosen].sort((a, b) => a - b).map((i) => commits[i]!.message);
}
