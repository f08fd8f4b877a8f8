// Which files a patch body's diff touches, without parsing its hunks: the prefilter's view of the diff.
// Each "diff --git" section is cut before its first hunk and handed to the real locateDiff, so the file list
// and paths are exactly those of the full parse (parse/diff.ts) while parse-diff only sees a few header
// lines. Bodies whose only diff is not git's (diff -u, quilt) are rare; they are reported as unsure and go
// through the full parse.

import { formatPatchTrailer, lineStartingWith, locateDiff } from "../parse/diff.js";

export interface DiffFile {
  /** FileDiff.path of the full parse. */
  path: string;
  /** The file's section of the body: its "diff --git" line up to the next one (or the signature). */
  start: number;
  end: number;
}

export type DiffPresence =
  /** locateDiff finds no file. */
  | { kind: "none" }
  /** locateDiff finds exactly these files. */
  | { kind: "files"; files: DiffFile[] }
  /** A diff that is not git's: only the full parse can tell. */
  | { kind: "unsure" };

const GIT_FILE_HEADER = "diff --git ";
const DIFF_LINE = /^(?:diff --git |\+\+\+ )/m;

/**
 * The files of the diff in `text` (a decoded patch body, "\n" line ends), as locateDiff would find them.
 * With `firstOnly`, "files" holds only the first: enough to tell a diff is there.
 */
export function findDiffFiles(text: string, firstOnly = false): DiffPresence {
  // One pass finds what most bodies (replies) lack: both kinds of diff line. The regular expression also
  // starts lines after a lone CR, so it may stop early, never late.
  const anyDiffLine = DIFF_LINE.exec(text);
  if (!anyDiffLine) return { kind: "none" };
  const first = lineStartingWith(text, GIT_FILE_HEADER, anyDiffLine.index);
  const files: DiffFile[] = [];
  if (first >= 0) {
    const end = formatPatchTrailer(text, first);
    let start = first;
    while (start >= 0 && start < end) {
      const next = lineStartingWith(text, GIT_FILE_HEADER, start + 1);
      const sectionEnd = next >= 0 && next < end ? next : end;
      const section = text.slice(start, sectionEnd);
      const firstHunk = section.indexOf("\n@@");
      const file = locateDiff(firstHunk >= 0 ? section.slice(0, firstHunk + 1) : section).files[0];
      if (file) files.push({ path: file.path, start, end: sectionEnd });
      if (file && firstOnly) break;
      start = next;
    }
  }
  if (files.length > 0) return { kind: "files", files };
  // Without git files, locateDiff reads a plain diff, which needs a "+++ " line.
  return lineStartingWith(text, "+++ ", anyDiffLine.index) >= 0 ? { kind: "unsure" } : { kind: "none" };
}
