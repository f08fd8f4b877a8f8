import type { ArchResult, Argument, ClaimCheck, Finding, PatchReview, Review } from "../model.js";
import {
  ARGUMENTS_SHOWN_PER_CATEGORY,
  type ArgumentGroup,
  authorOf,
  bareMessageId,
  changedRows,
  compactTable,
  dateOf,
  entryLocation,
  findingLocation,
  formatPerson,
  groupArguments,
  groupClaims,
  isUrl,
  joinList,
  loreUrl,
  messageIdOf,
  notReviewedReason,
  omittedNote,
  patchArguments,
  sentence,
  subjectOf,
  unchangedRows,
} from "./common.js";
import { type DocumentLayout, renderDocument } from "./document.js";
import { code, escapeInline, escapeText } from "./markdown-escape.js";
import { shortSymbolNames } from "./symbols.js";

export interface MarkdownOptions {
  /** Start with a "## iommu-review" heading (default true); callers that add their own heading turn it off. */
  heading?: boolean;
}

/** The summary comment of a pull request or a dry run: one section per reviewed patch, unreviewed ones in a footer. */
export function renderMarkdown(review: Review, opts: MarkdownOptions = {}): string {
  return renderDocument(review, markdownLayout(opts));
}

export function markdownLayout(opts: MarkdownOptions = {}): DocumentLayout {
  return {
    ...((opts.heading ?? true) && { opening: "## iommu-review" }),
    reviewed: (entry) => (entry.findings.length > 0 ? patchSection(entry) : noFindingsLine(entry)),
    notReviewedLine,
    footer: (lines) => `---\n\nNot reviewed:\n${lines.join("\n")}`,
  };
}

/** The body of an inline comment on the changed line: title, changed rows, argument counts. */
export function renderFindingComment(finding: Finding): string {
  const blocks = [`**${finding.severity}: ${escapeInline(finding.title)}**`];
  const changed = changedRows(finding);
  if (changed.length > 0) {
    blocks.push(archTable(changed, (value) => value, false));
    const unchanged = unchangedRows(finding).map((row) => row.arch);
    if (unchanged.length > 0) blocks.push(`Unchanged: ${escapeInline(unchanged.join(", "))}.`);
  }
  const groups = groupArguments(finding.arguments);
  if (groups.length > 0) {
    const counts = groups.map((g) => `- ${g.label}: ${g.arguments.length}`);
    blocks.push(`Known arguments:\n${counts.join("\n")}`);
  }
  return `${blocks.join("\n\n")}\n`;
}

function patchSection(entry: PatchReview): string {
  const blocks = [`### ${escapeInline(subjectOf(entry) ?? entryLocation(entry))}`];
  const meta = patchMeta(entry);
  if (meta) blocks.push(meta);
  const summary = patchSummary(entry.findings);
  if (summary) blocks.push(summary);
  for (const finding of entry.findings) blocks.push(findingSection(finding));
  const args = argumentsSection(patchArguments(entry.findings));
  if (args) blocks.push(args);
  if (entry.claims.length > 0) blocks.push(claimsSection(entry.claims));
  return blocks.join("\n\n");
}

function patchMeta(entry: PatchReview): string | undefined {
  const author = formatPerson(authorOf(entry));
  const date = dateOf(entry);
  const messageId = messageIdOf(entry);
  const parts = [
    author && escapeInline(author),
    date,
    messageId && `[${code(`<${messageId}>`)}](${loreUrl(messageId)})`,
  ].filter((p): p is string => Boolean(p));
  return parts.length > 0 ? parts.join(", ") : undefined;
}

/** One sentence per finding that changes some architecture's default; findings without a table say it themselves. */
function patchSummary(findings: Finding[]): string | undefined {
  const sentences = findings.flatMap((finding) => {
    const changed = changedRows(finding);
    if (changed.length === 0) return [];
    const what = finding.subject
      ? `the effective default of ${escapeInline(finding.subject)}`
      : `an effective default in ${code(finding.path)}`;
    const kept = finding.table.length - changed.length;
    const rest =
      kept === 0
        ? ""
        : kept === 1
          ? "; the one other evaluated architecture keeps its default"
          : `; the other ${kept} evaluated architectures keep theirs`;
    return [`This patch changes ${what} for ${transitions(changed)}${rest}.`];
  });
  return sentences.length > 0 ? sentences.join(" ") : undefined;
}

/** "**arm64** and **riscv** (`A` → `B`)", arches with the same before/after grouped together. */
function transitions(changed: ArchResult[]): string {
  const groups = new Map<string, ArchResult[]>();
  for (const row of changed) {
    const key = JSON.stringify([row.before, row.after]);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()]
    .map((rows) => {
      const arches = joinList(rows.map((row) => `**${escapeInline(row.arch)}**`));
      return `${arches} (${code(rows[0]!.before)} → ${code(rows[0]!.after)})`;
    })
    .join("; ");
}

function findingSection(finding: Finding): string {
  const blocks = [
    `#### ${finding.severity}: ${escapeInline(finding.title)}`,
    `${code(findingLocation(finding))}, rule ${code(finding.rule)}`,
  ];
  if (finding.message.trim()) blocks.push(escapeText(finding.message.trim()));
  if (finding.table.length > 0) {
    const names = shortSymbolNames(finding.table.flatMap((row) => [row.before, row.after]));
    const compact = compactTable(finding.table);
    blocks.push(archTable(compact.rows, names.short, true));
    if (compact.folded.length > 0)
      blocks.push(`Others: ${compact.folded.map((a) => escapeInline(a)).join(", ")}.`);
    if (names.legend.length > 0) {
      const legend = names.legend.map((l) => `${code(l.short)} = ${code(l.full)}`).join(", ");
      blocks.push(`Short names: ${legend}.`);
    }
  }
  if (finding.basis) blocks.push(`Basis: ${escapeInline(sentence(finding.basis.detail))}`);
  return blocks.join("\n\n");
}

/**
 * The patch's known arguments, once: the first two of each category, and the rest in a collapsed section (a
 * pull request's reader has neither the rule files nor the JSON output).
 */
function argumentsSection(args: readonly Argument[]): string | undefined {
  const shown = groupArguments(args, ARGUMENTS_SHOWN_PER_CATEGORY);
  if (shown.length === 0) return undefined;
  const section = (groups: ArgumentGroup[]) =>
    groups.map((g) => `**${g.label}**\n${g.arguments.map((a) => `- ${argumentLine(a)}`).join("\n")}`);
  const blocks = ["Known arguments (paraphrased):", ...section(shown)];
  const shownIds = new Set(shown.flatMap((g) => g.arguments.map((a) => a.id)));
  const rest = groupArguments(args.filter((a) => !shownIds.has(a.id)));
  const more = omittedNote(shown, "that fit this patch");
  if (more && rest.length > 0)
    blocks.push(
      `<details><summary>${escapeInline(more)}</summary>\n\n${section(rest).join("\n\n")}\n\n</details>`,
    );
  return blocks.join("\n\n");
}

function archTable(rows: ArchResult[], short: (value: string) => string, withChangedColumn: boolean): string {
  const header = withChangedColumn ? "| Arch | Before | After | Changed |" : "| Arch | Before | After |";
  const rule = withChangedColumn ? "|---|---|---|---|" : "|---|---|---|";
  const lines = rows.map((row) => {
    const arch = escapeInline(row.arch);
    const cells = [
      row.changed && withChangedColumn ? `**${arch}**` : arch,
      code(short(row.before), true),
      code(short(row.after), true),
    ];
    if (withChangedColumn)
      cells.push(row.changed ? (row.when ? `**when ${escapeInline(row.when)}**` : "**yes**") : "no");
    return `| ${cells.join(" | ")} |`;
  });
  return [header, rule, ...lines].join("\n");
}

function argumentLine(arg: Argument): string {
  const source = [arg.who && escapeInline(arg.who), arg.date, arg.where && whereLink(arg.where)].filter(
    (p): p is string => Boolean(p),
  );
  const text = escapeInline(arg.text.trim());
  return source.length > 0 ? `${text} — ${source.join(", ")}` : text;
}

function whereLink(where: string): string {
  return isUrl(where) ? `<${where}>` : `[${code(`<${bareMessageId(where)}>`)}](${loreUrl(where)})`;
}

function claimsSection(claims: ClaimCheck[]): string {
  const lines = groupClaims(claims).map(({ claim, checks }) => {
    const verdicts = checks.map((c) => {
      const mark = c.ok ? "✅" : "⚠️";
      const verdict = c.ok ? c.kind : `${c.kind}, not ok`;
      return `  - ${mark} ${verdict}: ${escapeInline(c.note)}`;
    });
    return [`- "${escapeInline(claim)}"`, ...verdicts].join("\n");
  });
  return `**Commit message check**\n${lines.join("\n")}`;
}

function noFindingsLine(entry: PatchReview): string {
  return `**${escapeInline(subjectOf(entry) ?? entryLocation(entry))}**: no findings.`;
}

function notReviewedLine(entry: PatchReview): string {
  const subject = subjectOf(entry);
  const where = escapeInline(entryLocation(entry));
  const label = subject ? `${where} (${escapeInline(subject)})` : where;
  return `- ${label}: ${escapeInline(notReviewedReason(entry))}`;
}
