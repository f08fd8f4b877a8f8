import type { EvaluationBasis, FileDiff, FileSource, Hunk, HunkLine } from "../model.js";
import { applyHunks } from "./apply.js";
import { entryAt, entryKey, type KconfigEntry, parseKconfig, type ViewLine, viewOf } from "./parse.js";

// Finds the Kconfig entries a diff changes and rebuilds each one before and after the change, from the
// best text available: the whole pre-image (a kernel tree or the forge), else the hunk itself, else a
// Kconfig block recorded by a rule for the upstream kernel, into which the hunk is spliced.

export interface RecordedBlock {
  path: string;
  kernel: string;
  kconfig: string;
}

export interface EntryChange {
  path: string;
  /** "choice:<prompt>", "config:<SYMBOL>", or "unnamed:<line>" when the header was not in the text. */
  key: string;
  before?: KconfigEntry;
  after?: KconfigEntry;
  /** Where a comment about this change belongs: the first added line, else the first removed line. */
  anchor: { line: number; side: "new" | "old" };
  /** The added and removed lines that belong to this entry. */
  changed: HunkLine[];
  /** Lines worth quoting in a reply: the changed lines with a little context from the hunk. */
  quote: HunkLine[];
  basis: EvaluationBasis;
  /** Defaults after the last one shown may exist: the entry's end was not in the text. */
  tailUnknown: boolean;
  /** Every entry of the whole pre- and post-image, when they were known (a tree, the forge, a recorded block). */
  images?: { pre: KconfigEntry[]; post: KconfigEntry[] };
}

export interface AnalyzeOptions {
  files?: FileSource;
  recorded?: readonly RecordedBlock[];
}

function hunkViews(h: Hunk): { pre: ViewLine[]; post: ViewLine[] } {
  const pre: ViewLine[] = [];
  const post: ViewLine[] = [];
  for (const l of h.lines) {
    if (l.kind !== "add" && l.oldLine !== undefined) pre.push({ text: l.text, line: l.oldLine });
    if (l.kind !== "del" && l.newLine !== undefined) post.push({ text: l.text, line: l.newLine });
  }
  return { pre, post };
}

/** The choice an entry belongs to stands for it: a member's change is a change of the choice's result. */
const subjectOf = (e: KconfigEntry): KconfigEntry => e.choice ?? e;

function quoteFor(h: Hunk, changed: readonly HunkLine[]): HunkLine[] {
  const idx = changed.map((c) => h.lines.indexOf(c)).filter((i) => i >= 0);
  if (idx.length === 0) return [...changed];
  const from = Math.max(0, Math.min(...idx) - 2);
  const to = Math.min(h.lines.length - 1, Math.max(...idx) + 1);
  return h.lines.slice(from, to + 1);
}

const norm = (s: string) => s.replace(/#.*$/, "").trim().replace(/\s+/g, " ");

interface Spliced {
  pre: string;
  post: string;
  /** Where each hunk line stands in the spliced pre- and post-image (the block's own numbering). */
  lineIn: LineLookup;
}

interface LineLookup {
  pre(l: HunkLine): number | undefined;
  post(l: HunkLine): number | undefined;
}

const HUNK_NUMBERING: LineLookup = { pre: (l) => l.oldLine, post: (l) => l.newLine };

/** Replaces the hunk's pre-image lines inside a recorded block by its post-image lines; undefined if absent. */
function splice(block: string, h: Hunk): Spliced | undefined {
  const blockLines = block.split("\n");
  const preLines = h.lines.filter((l) => l.kind !== "add" && norm(l.text) !== "");
  if (preLines.length === 0) return undefined;
  const want = preLines.map((l) => norm(l.text));
  const nonBlank = blockLines.map((l, i) => ({ n: norm(l), i })).filter((x) => x.n !== "");
  for (let s = 0; s + want.length <= nonBlank.length; s++) {
    if (!want.every((w, k) => nonBlank[s + k]!.n === w)) continue;
    const first = nonBlank[s]!.i;
    const last = nonBlank[s + want.length - 1]!.i;
    // The replacement runs from the first matched non-blank hunk line to the last one.
    const from = h.lines.indexOf(preLines[0]!);
    const to = h.lines.indexOf(preLines[preLines.length - 1]!);
    const middle = h.lines.slice(from, to + 1);
    const tail = h.lines.slice(to + 1).filter((l) => l.kind === "add"); // additions after the last pre line
    const replacement = [...middle, ...tail].filter((l) => l.kind !== "del");
    const post = [
      ...blockLines.slice(0, first),
      ...replacement.map((l) => l.text),
      ...blockLines.slice(last + 1),
    ];
    const preAt = new Map(preLines.map((l, k) => [l, nonBlank[s + k]!.i + 1]));
    const postAt = new Map(replacement.map((l, k) => [l, first + 1 + k]));
    return {
      pre: block,
      post: post.join("\n"),
      lineIn: { pre: (l) => preAt.get(l), post: (l) => postAt.get(l) },
    };
  }
  return undefined;
}

interface Acc {
  change: EntryChange;
}

function record(
  map: Map<string, Acc>,
  key: string,
  path: string,
  basis: EvaluationBasis,
  line: HunkLine,
  hunk: Hunk,
  before: KconfigEntry | undefined,
  after: KconfigEntry | undefined,
  tailUnknown: boolean,
): EntryChange {
  let acc = map.get(key);
  if (!acc) {
    acc = {
      change: {
        path,
        key,
        before,
        after,
        anchor: { line: 0, side: "new" },
        changed: [],
        quote: [],
        basis,
        tailUnknown,
      },
    };
    map.set(key, acc);
  }
  const c = acc.change;
  c.before ??= before;
  c.after ??= after;
  c.tailUnknown ||= tailUnknown;
  c.changed.push(line);
  const quote = quoteFor(hunk, [line]);
  for (const q of quote) if (!c.quote.includes(q)) c.quote.push(q);
  return c;
}

function finishAnchors(changes: EntryChange[]): EntryChange[] {
  for (const c of changes) {
    const add = c.changed.find((l) => l.kind === "add");
    c.anchor = add ? { line: add.newLine!, side: "new" } : { line: c.changed[0]!.oldLine!, side: "old" };
    c.quote.sort(
      (a, b) => (a.oldLine ?? a.newLine ?? 0) - (b.oldLine ?? b.newLine ?? 0) || order(a) - order(b),
    );
  }
  return changes;
}
const order = (l: HunkLine) => (l.kind === "del" ? 0 : l.kind === "add" ? 1 : 0);

/** Using whole pre- and post-images. */
function analyzeWhole(
  file: FileDiff,
  preText: string,
  postText: string,
  basis: EvaluationBasis,
  lineIn: LineLookup = HUNK_NUMBERING,
): EntryChange[] {
  const pre = parseKconfig(viewOf(preText));
  const post = parseKconfig(viewOf(postText));
  const postByKey = new Map(post.map((e) => [entryKey(subjectOf(e)), subjectOf(e)]));
  const preByKey = new Map(pre.map((e) => [entryKey(subjectOf(e)), subjectOf(e)]));
  const map = new Map<string, Acc>();
  const images = { pre, post };
  for (const h of file.hunks) {
    for (const l of h.lines) {
      if (l.kind === "context") continue;
      const at = l.kind === "del" ? lineIn.pre(l) : lineIn.post(l);
      const own = at === undefined ? undefined : entryAt(l.kind === "del" ? pre : post, at);
      if (!own) continue; // a line outside any entry (blank, comment, source, menu)
      const subject = subjectOf(own);
      const key = entryKey(subject) ?? `unnamed:${subject.startLine}`;
      const before = l.kind === "del" ? subject : preByKey.get(key);
      const after = l.kind === "add" ? subject : postByKey.get(key);
      record(map, key, file.path, basis, l, h, before, after, false).images = images;
    }
  }
  return finishAnchors([...map.values()].map((a) => a.change));
}

/**
 * Names an entry whose header lies above the hunk from git's hunk section text ("@@ ... @@ config FOO"), the last
 * unindented line before the hunk. "choice" there means the hunk starts among the choice's own attributes.
 */
function keyFromSection(section: string, at: number): string | undefined {
  const text = section.trim();
  const m = /^(?:menu)?config\s+([A-Za-z0-9_]+)/.exec(text);
  if (m) return `config:${m[1]}`;
  return startsInChoice(text) ? `choice:(above line ${at})` : undefined;
}

const startsInChoice = (section: string) => /^choice(?:\s+[A-Za-z0-9_]+)?\s*$/.test(section.trim());

/** Using only the hunk text, per hunk. */
function analyzeHunks(file: FileDiff, opts: AnalyzeOptions): EntryChange[] {
  const map = new Map<string, Acc>();
  for (const h of file.hunks) {
    const views = hunkViews(h);
    const openChoice = startsInChoice(h.section);
    const pre = parseKconfig(views.pre, { openChoice });
    const post = parseKconfig(views.post, { openChoice });
    for (const l of h.lines) {
      if (l.kind === "context") continue;
      const own = l.kind === "del" ? entryAt(pre, l.oldLine!) : entryAt(post, l.newLine!);
      if (!own) continue;
      const subject = subjectOf(own);
      const complete = subject.headerSeen && subject.endSeen;
      if (!complete) {
        const spliced = spliceRecorded(file.path, h, opts.recorded ?? []);
        if (spliced) {
          for (const c of analyzeWhole(
            { ...file, hunks: [h] },
            spliced.pre,
            spliced.post,
            spliced.basis,
            spliced.lineIn,
          )) {
            for (const line of c.changed)
              record(map, c.key, file.path, c.basis, line, h, c.before, c.after, false).images = c.images;
          }
          break; // the whole hunk was handled through the recorded block
        }
      }
      const keyOf = (e: KconfigEntry) =>
        entryKey(e) ??
        (e.headerSeen ? undefined : keyFromSection(h.section, h.oldStart)) ??
        `unnamed:${h.oldStart}`;
      const key = keyOf(subject);
      const other = l.kind === "del" ? post : pre;
      const twin = other.map(subjectOf).find((e) => keyOf(e) === key);
      const before = l.kind === "del" ? subject : twin;
      const after = l.kind === "add" ? subject : twin;
      const basis: EvaluationBasis = complete
        ? { source: "patch", detail: "computed from the hunk, which shows the whole entry" }
        : {
            source: "patch",
            detail:
              "computed from the hunk alone, which does not show the whole entry; run with --tree for certainty",
          };
      record(map, key, file.path, basis, l, h, before, after, !subject.endSeen);
    }
  }
  return finishAnchors([...map.values()].map((a) => a.change));
}

function spliceRecorded(
  path: string,
  h: Hunk,
  recorded: readonly RecordedBlock[],
): (Spliced & { basis: EvaluationBasis }) | undefined {
  for (const r of recorded) {
    if (r.path !== path) continue;
    const s = splice(r.kconfig, h);
    if (!s) continue;
    const detail = `the hunk does not show the whole entry; the rest was taken from the upstream state recorded in the rule (${r.kernel}), not from the tree the patch applies to`;
    return { ...s, basis: { source: "recorded", detail } };
  }
  return undefined;
}

/** The Kconfig entries a file diff changes, each before and after. */
export function analyzeKconfigFile(file: FileDiff, opts: AnalyzeOptions = {}): EntryChange[] {
  const prePath = file.oldPath ?? file.path;
  const whole = file.status === "added" ? "" : opts.files?.before(prePath);
  if (whole !== undefined) {
    const post = applyHunks(whole, file.hunks);
    if (post !== undefined)
      return analyzeWhole(file, whole, post, {
        source: file.status === "added" ? "patch" : "tree",
        detail:
          file.status === "added"
            ? "computed from the patch, which adds the whole file"
            : `computed from the whole file (${opts.files!.describe()})`,
      });
  }
  return analyzeHunks(file, opts);
}
