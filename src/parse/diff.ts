// Unified diffs (git's and plain diff -u) into FileDiffs. parse-diff reads the hunks; the file headers are
// read here from the raw text, because parse-diff turns commit-message lines into phantom files, keeps
// "\ No newline" pseudo-lines, and loses renames, binary files and (with CRLF) modes.

import parseDiff from "parse-diff";
import type { FileDiff, FileStatus, Hunk, HunkLine } from "../model.js";
import {
  nameFromFileLine,
  namesFromGitHeader,
  readName,
  stripDifferingTopDirectories,
} from "./diff-paths.js";

export interface LocatedDiff {
  /** Offset of the first file's header in the CRLF-normalised text, -1 when there is no diff. */
  start: number;
  files: FileDiff[];
}

const GIT_FILE_HEADER = "diff --git ";
const SPACE = 0x20;
const EXTENDED_HEADER =
  /^(?:old mode |new mode |deleted file mode |new file mode |copy from |copy to |rename from |rename to |similarity index |dissimilarity index |index )/;

export function normaliseNewlines(text: string): string {
  return text.includes("\r\n") ? text.replace(/\r\n/g, "\n") : text;
}

export function parseUnifiedDiff(text: string): FileDiff[] {
  return locateDiff(text).files;
}

/** Finds and parses the diff in a patch mail body, a format-patch file or a bare diff. */
export function locateDiff(text: string): LocatedDiff {
  const normalised = normaliseNewlines(text);
  const git = parseGitDiff(normalised);
  if (git.files.length > 0) return git;
  return parsePlainDiff(normalised);
}

/** GitHub's per-file `patch`: hunks only, no file headers. */
export function parseHunkOnly(path: string, patch: string): FileDiff {
  const hunks = parseHunks(normaliseNewlines(patch));
  const status = statusFromHunkRanges(hunks) ?? "modified";
  return {
    oldPath: status === "added" ? null : path,
    newPath: status === "deleted" ? null : path,
    path,
    status,
    hunks,
  };
}

function parseGitDiff(text: string): LocatedDiff {
  const files: FileDiff[] = [];
  let start = -1;
  let sectionStart = lineStartingWith(text, GIT_FILE_HEADER, 0);
  if (sectionStart < 0) return { start, files };
  const end = formatPatchTrailer(text, sectionStart);
  while (sectionStart >= 0 && sectionStart < end) {
    const next = lineStartingWith(text, GIT_FILE_HEADER, sectionStart + 1);
    const sectionEnd = next >= 0 && next < end ? next : end;
    const file = parseGitSection(text.slice(sectionStart, sectionEnd));
    if (file) {
      if (start < 0) start = sectionStart;
      files.push(file);
    }
    sectionStart = next;
  }
  return { start, files };
}

interface GitHeader {
  gitNames?: [string, string];
  renameFrom?: string;
  renameTo?: string;
  copyFrom?: string;
  copyTo?: string;
  newFile: boolean;
  deletedFile: boolean;
  count: number;
}

/** One file of a git diff: the "diff --git" line, extended headers, then "---"/"+++" and hunks or a binary note. */
function parseGitSection(section: string): FileDiff | undefined {
  const lines = new LineReader(section);
  const header: GitHeader = {
    gitNames: namesFromGitHeader(lines.next()!.slice(GIT_FILE_HEADER.length)),
    newFile: false,
    deletedFile: false,
    count: 0,
  };
  let line = lines.next();
  while (line !== undefined && EXTENDED_HEADER.test(line)) {
    readExtendedHeader(line, header);
    line = lines.next();
  }

  let oldPath: string | null = header.renameFrom ?? header.copyFrom ?? header.gitNames?.[0] ?? null;
  let newPath: string | null = header.renameTo ?? header.copyTo ?? header.gitNames?.[1] ?? null;
  let hunks: Hunk[] = [];
  let binary = false;
  let hasText = false;
  if (line?.startsWith("--- ")) {
    const hunkText = section.slice(lines.lastLineStart);
    const plus = lines.next();
    if (plus?.startsWith("+++ ")) {
      hasText = true;
      oldPath = nameFromFileLine(line.slice(4), "a/");
      newPath = nameFromFileLine(plus.slice(4), "b/");
      hunks = parseHunks(hunkText);
    }
  } else if (line !== undefined && (line.startsWith("Binary files ") || line === "GIT binary patch")) {
    binary = true;
  }
  // A "diff --git" line in prose (a commit message) has none of this after it.
  if (!hasText && !binary && header.count === 0) return undefined;

  if (header.newFile) oldPath = null;
  if (header.deletedFile) newPath = null;
  const path = newPath ?? oldPath;
  if (path === null) return undefined;
  return { oldPath, newPath, path, status: gitStatus(oldPath, newPath, header, binary), hunks };
}

function readExtendedHeader(line: string, header: GitHeader): void {
  header.count++;
  const value = (prefix: string) => readName(line.slice(prefix.length));
  if (line.startsWith("new file mode ")) header.newFile = true;
  else if (line.startsWith("deleted file mode ")) header.deletedFile = true;
  else if (line.startsWith("rename from ")) header.renameFrom = value("rename from ");
  else if (line.startsWith("rename to ")) header.renameTo = value("rename to ");
  else if (line.startsWith("copy from ")) header.copyFrom = value("copy from ");
  else if (line.startsWith("copy to ")) header.copyTo = value("copy to ");
}

function gitStatus(
  oldPath: string | null,
  newPath: string | null,
  header: GitHeader,
  binary: boolean,
): FileStatus {
  if (binary) return "binary";
  if (oldPath === null) return "added";
  if (newPath === null) return "deleted";
  // A copy leaves its source in place: the destination is a new file (oldPath names the source).
  if (header.copyTo !== undefined) return "added";
  if (header.renameTo !== undefined || oldPath !== newPath) return "renamed";
  return "modified";
}

/** A diff without "diff --git" lines (diff -u, quilt): starts at the first "---", "+++", "@@" triple. */
function parsePlainDiff(text: string): LocatedDiff {
  const start = plainDiffStart(text);
  if (start < 0) return { start, files: [] };
  const body = withoutNoNewlineMarkers(text.slice(start, formatPatchTrailer(text, start)));
  const files: FileDiff[] = [];
  for (const parsed of parseDiff(body)) {
    if (parsed.chunks.length === 0) continue;
    const hunks = parsed.chunks.map(toHunk);
    const rangeStatus = statusFromHunkRanges(hunks);
    let [oldPath, newPath] = stripDifferingTopDirectories(plainName(parsed.from), plainName(parsed.to));
    if (oldPath === null || rangeStatus === "added") oldPath = null;
    if (newPath === null || rangeStatus === "deleted") newPath = null;
    const path = newPath ?? oldPath;
    if (path === null) continue;
    const status: FileStatus = oldPath === null ? "added" : newPath === null ? "deleted" : "modified";
    files.push({ oldPath, newPath, path, status, hunks });
  }
  return { start: files.length > 0 ? start : -1, files };
}

function plainName(name: string | undefined): string | null {
  return name === undefined || name === "" || name === "/dev/null" ? null : name;
}

function plainDiffStart(text: string): number {
  let at = lineStartingWith(text, "--- ", 0);
  while (at >= 0) {
    const plus = text.indexOf("\n", at) + 1;
    if (plus > 0 && text.startsWith("+++ ", plus)) {
      const hunk = text.indexOf("\n", plus) + 1;
      if (hunk > 0 && text.startsWith("@@ ", hunk)) return at;
    }
    at = lineStartingWith(text, "--- ", at + 1);
  }
  return -1;
}

/** diff -N writes a real name with an empty range instead of /dev/null. */
function statusFromHunkRanges(hunks: Hunk[]): "added" | "deleted" | undefined {
  if (hunks.length !== 1) return undefined;
  const [hunk] = hunks as [Hunk];
  if (hunk.oldStart === 0 && hunk.oldLines === 0 && hunk.newLines > 0) return "added";
  if (hunk.newStart === 0 && hunk.newLines === 0 && hunk.oldLines > 0) return "deleted";
  return undefined;
}

function parseHunks(text: string): Hunk[] {
  // parse-diff starts a hunk only at a line starting "@@" (it splits on "\n"): without one there is none,
  // and a file header cut before its first hunk (ingest/diff-files.ts) need not go through it.
  if (!text.startsWith("@@") && !text.includes("\n@@")) return [];
  const hunks: Hunk[] = [];
  for (const file of parseDiff(withoutNoNewlineMarkers(text))) {
    for (const chunk of file.chunks) hunks.push(toHunk(chunk));
  }
  return hunks;
}

function toHunk(chunk: parseDiff.Chunk): Hunk {
  const lines: HunkLine[] = new Array(chunk.changes.length);
  let n = 0;
  let oldSeen = 0;
  let newSeen = 0;
  for (const change of chunk.changes) {
    // parse-diff reads any line as context until both of the header's counts run out. When a hand-edited
    // hunk overruns one of them, that goes on into the prose after the hunk: stop at the first line that
    // is not a context line (" " or empty) once a count is used up.
    const full = oldSeen >= chunk.oldLines || newSeen >= chunk.newLines;
    if (full && change.type === "normal" && change.content !== "" && change.content.charCodeAt(0) !== SPACE)
      break;
    const text = change.content.slice(1);
    if (change.type === "normal") {
      lines[n++] = { kind: "context", text, oldLine: change.ln1, newLine: change.ln2 };
      oldSeen++;
      newSeen++;
    } else if (change.type === "add") {
      lines[n++] = { kind: "add", text, newLine: change.ln };
      newSeen++;
    } else {
      lines[n++] = { kind: "del", text, oldLine: change.ln };
      oldSeen++;
    }
  }
  lines.length = n;
  return {
    oldStart: chunk.oldStart,
    oldLines: chunk.oldLines,
    newStart: chunk.newStart,
    newLines: chunk.newLines,
    section: hunkSection(chunk.content),
    lines,
  };
}

/** The text after the closing "@@" of a hunk header. */
function hunkSection(header: string): string {
  const close = header.indexOf("@@", 2);
  if (close < 0) return "";
  const section = header.slice(close + 2);
  return section.startsWith(" ") ? section.slice(1) : section;
}

/**
 * Drops "\ No newline at end of file" (and any other "\" pseudo-line: diff(1) localises it). Hunk lines
 * never start with a backslash, so this cannot remove content.
 */
function withoutNoNewlineMarkers(text: string): string {
  if (!text.startsWith("\\") && !text.includes("\n\\")) return text;
  return text.replace(/^\\.*(?:\n|$)/gm, "");
}

/**
 * Offset of git format-patch's signature "-- \n2.39.5", or text.length. A line starting with a digit cannot be
 * a hunk line, so "-- " followed by one is never diff content.
 */
export function formatPatchTrailer(text: string, from: number): number {
  let at = text.indexOf("\n-- \n", from);
  while (at >= 0) {
    const next = text.charCodeAt(at + 5);
    if (next >= 0x30 && next <= 0x39) return at + 1;
    at = text.indexOf("\n-- \n", at + 1);
  }
  return text.length;
}

/** Offset of the first line at or after `from` that starts with `prefix`, or -1. */
export function lineStartingWith(text: string, prefix: string, from: number): number {
  if (from === 0 && text.startsWith(prefix)) return 0;
  const at = text.indexOf(`\n${prefix}`, from === 0 ? 0 : from - 1);
  return at < 0 ? -1 : at + 1;
}

/** Walks the lines of a string without splitting it into an array. */
class LineReader {
  private position = 0;
  lastLineStart = 0;

  constructor(private readonly text: string) {}

  next(): string | undefined {
    if (this.position >= this.text.length) return undefined;
    this.lastLineStart = this.position;
    const end = this.text.indexOf("\n", this.position);
    const lineEnd = end < 0 ? this.text.length : end;
    this.position = lineEnd + 1;
    return this.text.slice(this.lastLineStart, lineEnd);
  }
}
