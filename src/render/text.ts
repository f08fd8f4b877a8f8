import type {
  ArchResult,
  Argument,
  ClaimCheck,
  Finding,
  HunkLine,
  Patch,
  PatchReview,
  Review,
  Severity,
} from "../model.js";
import {
  authorOf,
  bareMessageId,
  compactTable,
  entryLocation,
  findingLocation,
  formatPerson,
  groupArguments,
  groupClaims,
  isUrl,
  messageIdOf,
  notReviewedReason,
  omittedNote,
  patchArguments,
  sentence,
  shownBefore,
  subjectOf,
} from "./common.js";
import { type DocumentLayout, renderDocument } from "./document.js";
import { wrap } from "./wrap.js";

export { wrap } from "./wrap.js";

export interface TextOptions {
  /** ANSI colours for a terminal (default false: no escape codes at all). */
  color?: boolean;
  /** Every argument that fits, not only the first two of each category. */
  verbose?: boolean;
  /**
   * A mail reply: its reader has no --verbose and no JSON output, so the review does not point at them (the
   * counts of what was left out stay).
   */
  mail?: boolean;
}

interface Style {
  verbose: boolean;
  /** Say where the rest is (--verbose, JSON); false in a mail reply. */
  pointers: boolean;
}

const WIDTH = 72;
const DIFF_MARKER: Record<HunkLine["kind"], string> = { context: " ", add: "+", del: "-" };
const SEVERITY_COLOR: Record<Severity, string> = { error: "31", warning: "33", info: "36" };

type Paint = (text: string, sgr: string) => string;

/** A plain-text review in mailing-list reply style: quoted hunk lines, the comment below, prose wrapped at 72. */
export function renderText(review: Review, opts: TextOptions = {}): string {
  return renderDocument(review, textLayout(opts));
}

export function textLayout(opts: TextOptions = {}): DocumentLayout {
  const paint: Paint = opts.color ? (text, sgr) => `\x1b[${sgr}m${text}\x1b[0m` : (text) => text;
  return {
    reviewed: (input) => {
      const entry = withoutControlCharacters(input);
      return entry.findings.length > 0
        ? patchBlock(entry, paint, { verbose: opts.verbose ?? false, pointers: !opts.mail })
        : noFindingsLine(entry);
    },
    notReviewedLine: (entry) => notReviewedLine(withoutControlCharacters(entry)),
    footer: (lines) => ["Not reviewed:", ...lines].join("\n"),
  };
}

function patchBlock(entry: PatchReview, paint: Paint, style: Style): string {
  const header = [paint(subjectOf(entry) ?? entryLocation(entry), "1")];
  const author = formatPerson(authorOf(entry));
  if (author) header.push(`Author: ${author}`);
  const messageId = messageIdOf(entry);
  if (messageId) header.push(`Message-Id: <${messageId}>`);
  const blocks = [
    header.join("\n"),
    ...entry.findings.map((_, i) => findingBlock(entry.findings, i, entry.patch, paint, style.verbose)),
  ];
  const args = argumentsBlock(patchArguments(entry.findings), style);
  if (args) blocks.push(args);
  if (entry.claims.length > 0) blocks.push(claimsBlock(entry.claims, paint, style));
  return blocks.join("\n\n");
}

/** One finding; a quote or table an earlier finding on the same spot already showed is not repeated. */
function findingBlock(
  findings: readonly Finding[],
  index: number,
  patch: Patch | undefined,
  paint: Paint,
  verbose: boolean,
): string {
  const finding = findings[index]!;
  const blocks: string[] = [];
  if (finding.quote.length > 0 && !shownBefore(findings, index, (f) => [f.path, f.quote]))
    blocks.push(quoteLines(nearAnchor(finding), patchLinesOf(patch, finding.path)).join("\n"));
  blocks.push(findingHeadline(finding, paint));
  if (finding.message.trim()) blocks.push(wrap(finding.message.trim(), WIDTH));
  if (finding.table.length > 0 && !shownBefore(findings, index, (f) => [f.path, f.table])) {
    const compact = compactTable(finding.table);
    blocks.push(archTable(compact.rows, paint));
    if (compact.folded.length > 0 && verbose)
      blocks.push(wrap(`Others: ${compact.folded.join(", ")}.`, WIDTH));
  }
  if (finding.basis) blocks.push(wrap(`Basis: ${sentence(finding.basis.detail)}`, WIDTH));
  return blocks.join("\n\n");
}

/** A mail reply stays short: the most specific argument of each category (the rest with --verbose and in JSON). */
const TEXT_ARGUMENTS_PER_CATEGORY = 1;

/** The known arguments of the whole patch, once; one per category unless verbose. */
function argumentsBlock(args: readonly Argument[], style: Style): string | undefined {
  const groups = groupArguments(args, style.verbose ? Number.POSITIVE_INFINITY : TEXT_ARGUMENTS_PER_CATEGORY);
  if (groups.length === 0) return undefined;
  const blocks = [
    [
      "Known arguments (paraphrased):",
      ...groups.flatMap((g) => [`${g.label}:`, ...g.arguments.map(argumentItem)]),
    ].join("\n"),
  ];
  const more = omittedNote(groups, "in the JSON output and with --verbose");
  if (more && style.pointers) blocks.push(wrap(more, WIDTH));
  return blocks.join("\n\n");
}

/** A reply quotes what it talks about: a long quote is cut to the lines around the finding's own line. */
const QUOTE_MAX_LINES = 12;
const QUOTE_AROUND = 4;

function nearAnchor(finding: Finding): HunkLine[] {
  if (finding.quote.length <= QUOTE_MAX_LINES) return finding.quote;
  const lineOf = (l: HunkLine) => (finding.side === "old" ? l.oldLine : l.newLine);
  const near = finding.quote.filter((l) => {
    const at = lineOf(l);
    return at !== undefined && Math.abs(at - finding.line) <= QUOTE_AROUND;
  });
  return near.length > 0 ? near : finding.quote.slice(0, QUOTE_MAX_LINES);
}

/** Every line of a file's hunks in patch order, hunk by hunk. */
function patchLinesOf(patch: Patch | undefined, path: string): HunkLine[][] {
  return patch?.files.find((f) => f.path === path)?.hunks.map((h) => h.lines) ?? [];
}

const sameLine = (a: HunkLine, b: HunkLine) =>
  a.kind === b.kind && a.text === b.text && a.oldLine === b.oldLine && a.newLine === b.newLine;

/**
 * The quoted hunk lines, diff markers kept, in the patch's own order, with "[...]" wherever lines of the patch
 * were left out. Without the patch's hunks (a finding read back from JSON), the line numbers decide.
 */
export function quoteLines(lines: readonly HunkLine[], hunks: readonly HunkLine[][] = []): string[] {
  const placed = lines.map((line, i) => {
    for (let h = 0; h < hunks.length; h++) {
      const at = hunks[h]!.findIndex((l) => sameLine(l, line));
      if (at >= 0) return { line, h, at };
    }
    return { line, h: Number.POSITIVE_INFINITY, at: i };
  });
  if (placed.every((p) => p.h !== Number.POSITIVE_INFINITY)) placed.sort((a, b) => a.h - b.h || a.at - b.at);
  const out: string[] = [];
  placed.forEach((p, i) => {
    const previous = placed[i - 1];
    const gap = previous
      ? p.h === Number.POSITIVE_INFINITY
        ? isSnipped(previous.line, p.line)
        : p.h !== previous.h || p.at !== previous.at + 1
      : false;
    if (gap) out.push("[...]");
    out.push(`> ${DIFF_MARKER[p.line.kind]}${p.line.text}`);
  });
  return out;
}

function isSnipped(a: HunkLine, b: HunkLine): boolean {
  const oldGap = a.oldLine !== undefined && b.oldLine !== undefined && b.oldLine > a.oldLine + 1;
  const newGap = a.newLine !== undefined && b.newLine !== undefined && b.newLine > a.newLine + 1;
  return oldGap || newGap;
}

function findingHeadline(finding: Finding, paint: Paint): string {
  const location = `${findingLocation(finding)}: `;
  const [first = "", ...rest] = wrap(
    `${location}${finding.severity}: ${finding.title} [${finding.rule}]`,
    WIDTH,
  ).split("\n");
  const severity = `${finding.severity}:`;
  const painted = first.startsWith(location + severity)
    ? location +
      paint(severity, `1;${SEVERITY_COLOR[finding.severity]}`) +
      first.slice(location.length + severity.length)
    : first;
  return [painted, ...rest].join("\n");
}

const TABLE_MAX_ROWS = 8;

/** The per-arch table, or, when its rows would not fit in 72 columns, one wrapped paragraph per row. */
function archTable(rows: ArchResult[], paint: Paint): string {
  const cells = [
    ["arch", "before", "after", "changed"],
    ...rows.map((r) => [r.arch, r.before, r.after, r.changed ? (r.when ? `when ${r.when}` : "yes") : "no"]),
  ];
  const widths = [0, 1, 2].map((col) => Math.max(...cells.map((row) => row[col]!.length)));
  const lines = cells.map((row) =>
    `  ${row.map((cell, col) => cell.padEnd(widths[col] ?? 0)).join("  ")}`.trimEnd(),
  );
  // Too wide, or too long to read as a table (a new choice changes every arch the same way): a grouped list.
  if (lines.some((line) => line.length > WIDTH) || rows.length > TABLE_MAX_ROWS) return archList(rows, paint);
  return lines.map((line, i) => (i > 0 && rows[i - 1]!.changed ? paint(line, "1") : line)).join("\n");
}

/** The rows as a list, arches with the same before and after in one item: for values too wide for a table. */
function archList(rows: readonly ArchResult[], paint: Paint): string {
  const groups = new Map<string, ArchResult[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.changed, r.before, r.after]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .map((group) => {
      const { changed, before, after } = group[0]!;
      const arches = group.map((r) => r.arch).join(", ");
      const item = wrap(
        changed ? `  - ${arches} (changed): ${before} → ${after}` : `  - ${arches}: ${before} (unchanged)`,
        WIDTH,
      );
      return changed ? paint(item, "1") : item;
    })
    .join("\n");
}

function argumentItem(arg: Argument): string {
  const item = wrap(`  - ${arg.text.trim()}`, WIDTH);
  const where = arg.where && (isUrl(arg.where) ? arg.where : `<${bareMessageId(arg.where)}>`);
  const source = [arg.who, arg.date, where].filter(Boolean).join(", ");
  return source ? `${item}\n${wrap(`    ${source}`, WIDTH)}` : item;
}

function claimsBlock(claims: ClaimCheck[], paint: Paint, style: Style): string {
  const items = groupClaims(claims).map(({ claim, checks }) => {
    const gaps = checks.filter((c) => c.kind === "coverage" && !c.ok);
    const shown =
      style.verbose || gaps.length < 2
        ? checks
        : [...checks.filter((c) => !gaps.includes(c)), { ...gaps[0]!, note: gapSummary(gaps, style) }];
    const verdicts = shown.map((c) => {
      const verdict = c.ok ? `ok (${c.kind})` : `not ok (${c.kind})`;
      // Wrapped before painting so that escape codes do not count as columns.
      const line = wrap(`    ${verdict}: ${c.note}`, WIDTH);
      return c.ok ? line : line.replace(verdict, paint(verdict, "1;31"));
    });
    return [wrap(`  - "${claim}"`, WIDTH), ...verdicts].join("\n");
  });
  return ["Commit message check:", ...items].join("\n");
}

/**
 * Several gaps in the evidence, each by its first clause ("Only iperf3 is measured"), in one sentence; the
 * explanations are in --verbose and the JSON output.
 */
function gapSummary(gaps: readonly ClaimCheck[], style: Style): string {
  const clauses = gaps.map((g) => {
    const first = g.note.split(/[:;](?=\s)|, i\.e\./)[0] ?? g.note;
    const short = first
      .replace(/\s*\([^()]*\)/g, "")
      .replace(/\.$/, "")
      .trim();
    return short.charAt(0).toLowerCase() + short.slice(1);
  });
  const summary = sentence(clauses.join("; "));
  return style.pointers ? `${summary} (--verbose explains each)` : summary;
}

function noFindingsLine(entry: PatchReview): string {
  return `${subjectOf(entry) ?? entryLocation(entry)}: no findings.`;
}

function notReviewedLine(entry: PatchReview): string {
  const subject = subjectOf(entry);
  const label = subject ? `${entryLocation(entry)} (${subject})` : entryLocation(entry);
  return wrap(`  - ${label}: ${notReviewedReason(entry)}`, WIDTH);
}

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g;
const HAS_CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/;

/**
 * Subjects, claims and quoted lines come from mail anyone can send; a terminal must not receive their escape
 * sequences. Control characters other than tab and newline are shown in caret notation (ESC as "^[").
 */
function withoutControlCharacters<T>(value: T): T {
  if (typeof value === "string")
    return (HAS_CONTROL.test(value) ? value.replace(CONTROL, caret) : value) as T;
  // Copied only where something changes: a whole archive's review is mostly clean, and copying it all cost
  // more than rendering it.
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const clean = withoutControlCharacters(item);
      if (clean === item) continue;
      copy ??= [...value];
      copy[i] = clean;
    }
    return (copy ?? value) as T;
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    // for...in rather than Object.entries: no array per object (entries are plain objects, no inherited keys).
    for (const key in record) {
      const item = record[key];
      const clean = withoutControlCharacters(item);
      if (clean === item) continue;
      copy ??= { ...record };
      copy[key] = clean;
    }
    return (copy ?? value) as T;
  }
  return value;
}

function caret(c: string): string {
  const code = c.charCodeAt(0);
  if (code === 0x7f) return "^?";
  return code < 0x20 ? `^${String.fromCharCode(code + 64)}` : "\ufffd";
}
