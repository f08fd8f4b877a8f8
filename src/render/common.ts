import {
  ARGUMENT_CATEGORIES,
  type ArchResult,
  type Argument,
  type ArgumentCategory,
  type ClaimCheck,
  type Finding,
  type PatchReview,
  type Person,
} from "../model.js";

// Helpers shared by the renderers. Everything here reads the model; nothing adds facts to it.

export const CATEGORY_LABELS: Record<ArgumentCategory, string> = {
  "per-arch-divergence": "Per-arch divergence",
  "security-vs-throughput": "Security vs. throughput",
  alternatives: "Alternatives",
  evidence: "Evidence",
  process: "Process",
};

export interface ArgumentGroup {
  category: ArgumentCategory;
  label: string;
  arguments: Argument[];
  /** Arguments of this category left out of a human-readable review (the JSON output has them all). */
  omitted: number;
}

/**
 * A review people read shows the first two arguments of each category, most specific first (the review core
 * ranks them); the rest are counted, and are in the JSON output and the verbose text.
 */
export const ARGUMENTS_SHOWN_PER_CATEGORY = 2;

/** Non-empty groups, in the fixed category order; arguments keep their order within a group. */
export function groupArguments(args: readonly Argument[], limit = Number.POSITIVE_INFINITY): ArgumentGroup[] {
  return ARGUMENT_CATEGORIES.map((category) => {
    const all = args.filter((a) => a.category === category);
    return {
      category,
      label: CATEGORY_LABELS[category],
      arguments: all.slice(0, limit),
      omitted: Math.max(0, all.length - limit),
    };
  }).filter((g) => g.arguments.length > 0);
}

/**
 * The arguments of a patch's findings, each once (by id), in the order the findings rank them: a review shows
 * them once, not once per finding.
 */
export function patchArguments(findings: readonly Finding[]): Argument[] {
  const seen = new Set<string>();
  const out: Argument[] = [];
  // Round-robin over the findings, so that the most specific argument of each finding comes before the second
  // argument of the first.
  const longest = Math.max(0, ...findings.map((f) => f.arguments.length));
  for (let i = 0; i < longest; i++)
    for (const f of findings) {
      const a = f.arguments[i];
      if (a && !seen.has(a.id)) {
        seen.add(a.id);
        out.push(a);
      }
    }
  return out;
}

/** The count of arguments left out, and where the reader finds them. */
export function omittedNote(groups: readonly ArgumentGroup[], elsewhere: string): string | undefined {
  const omitted = groups.reduce((n, g) => n + g.omitted, 0);
  if (omitted === 0) return undefined;
  return `${plural(omitted, "more argument")} ${elsewhere}.`;
}

/**
 * Findings on the same changed spot share one quote and one table: true when an earlier finding already showed
 * this finding's quote (or table).
 */
export function shownBefore<T>(
  findings: readonly Finding[],
  index: number,
  part: (f: Finding) => T,
): boolean {
  const key = JSON.stringify(part(findings[index]!));
  return findings.slice(0, index).some((f) => JSON.stringify(part(f)) === key);
}

/**
 * Rows worth a line of their own: changed ones, and unchanged ones whose values differ from the most common
 * unchanged row (x86 and s390 stay LAZY while most stay STRICT). The common unchanged rows are folded into
 * one row, so a table of twenty architectures shows the three that matter.
 */
export function compactTable(rows: readonly ArchResult[]): { rows: ArchResult[]; folded: string[] } {
  const key = (r: ArchResult) => `${r.before}\0${r.after}`;
  const counts = new Map<string, number>();
  for (const r of rows) if (!r.changed) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  const [commonKey, commonCount] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] ?? ["", 0];
  if (commonCount < 3) return { rows: [...rows], folded: [] };
  const folded = rows.filter((r) => !r.changed && key(r) === commonKey);
  const first = folded[0]!;
  const kept = rows.filter((r) => !folded.includes(r));
  return {
    rows: [
      ...kept,
      { arch: `${folded.length} others`, before: first.before, after: first.after, changed: false },
    ],
    folded: folded.map((r) => r.arch),
  };
}

export function changedRows(finding: Finding): ArchResult[] {
  return finding.table.filter((row) => row.changed);
}

export function unchangedRows(finding: Finding): ArchResult[] {
  return finding.table.filter((row) => !row.changed);
}

export function isUrl(where: string): boolean {
  return /^https?:\/\//i.test(where);
}

export function bareMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, "");
}

/**
 * Percent-encodes only what would break the URL path or a markdown link around it (parentheses included);
 * lore's own links keep "@", "+", "=" as they are.
 */
export function loreUrl(messageId: string): string {
  const path = bareMessageId(messageId).replace(/[^A-Za-z0-9._~!$&'*+,;=:@-]/gu, (c) =>
    encodeURIComponent(c).replace(/[()]/g, (p) => `%${p.charCodeAt(0).toString(16).toUpperCase()}`),
  );
  return `https://lore.kernel.org/r/${path}`;
}

export function formatPerson(person: Person | undefined): string | undefined {
  if (!person) return undefined;
  return person.name ? `${person.name} <${person.email}>` : `<${person.email}>`;
}

export function subjectOf(entry: PatchReview): string | undefined {
  return entry.subject ?? entry.patch?.subject;
}

export function messageIdOf(entry: PatchReview): string | undefined {
  const id = entry.messageId ?? entry.patch?.messageId;
  return id === undefined ? undefined : bareMessageId(id);
}

export function authorOf(entry: PatchReview): Person | undefined {
  return entry.author ?? entry.patch?.author;
}

export function dateOf(entry: PatchReview): string | undefined {
  return entry.patch?.date?.slice(0, 10);
}

export function isReviewed(entry: PatchReview): boolean {
  return entry.skipped === undefined && entry.error === undefined;
}

/** Where an entry came from, for people: positions are shown 1-based ("message 3" is the third message). */
export function entryLocation(entry: PatchReview): string {
  return `${entry.source}, message ${entry.position + 1}`;
}

/** "skipped: reason" or "error: message". */
export function notReviewedReason(entry: PatchReview): string {
  return entry.error !== undefined ? `error: ${entry.error}` : `skipped: ${entry.skipped ?? ""}`;
}

export function findingLocation(finding: Finding): string {
  return finding.side === "old"
    ? `${finding.path}:${finding.line} (pre-image)`
    : `${finding.path}:${finding.line}`;
}

/** "a", "a and b", "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Ends the text with a full stop unless it already ends with punctuation. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?:]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** Claim checks grouped by the sentence they are about, in first-seen order, so a sentence is quoted once. */
export function groupClaims(claims: readonly ClaimCheck[]): { claim: string; checks: ClaimCheck[] }[] {
  const groups: { claim: string; checks: ClaimCheck[] }[] = [];
  for (const c of claims) {
    const g = groups.find((x) => x.claim === c.claim);
    if (g) g.checks.push(c);
    else groups.push({ claim: c.claim, checks: [c] });
  }
  return groups;
}
