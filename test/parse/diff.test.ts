import { describe, expect, test } from "@jest/globals";
import type { FileDiff, Hunk } from "../../src/model.js";
import { locateDiff, parseHunkOnly, parseUnifiedDiff } from "../../src/parse/diff.js";
import { fixture } from "./fixtures.js";

/** Line numbers run on from the hunk header on each side, and the counts match the header. */
function expectConsistentLineNumbers(hunk: Hunk): void {
  let oldLine = hunk.oldStart;
  let newLine = hunk.newStart;
  for (const line of hunk.lines) {
    if (line.kind !== "add") expect(line.oldLine).toBe(oldLine++);
    else expect(line.oldLine).toBeUndefined();
    if (line.kind !== "del") expect(line.newLine).toBe(newLine++);
    else expect(line.newLine).toBeUndefined();
  }
  expect(oldLine - hunk.oldStart).toBe(hunk.oldLines);
  expect(newLine - hunk.newStart).toBe(hunk.newLines);
}

function byPath(files: FileDiff[], path: string): FileDiff {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no file ${path} in ${files.map((f) => f.path).join(", ")}`);
  return file;
}

describe("parseUnifiedDiff on a format-patch mail", () => {
  const mail = fixture("kconfig-patch.eml");

  test("commit-message lines starting 'diff ' and '--- ' make no phantom files", () => {
    const files = parseUnifiedDiff(mail);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      oldPath: "drivers/widget/Kconfig",
      newPath: "drivers/widget/Kconfig",
      path: "drivers/widget/Kconfig",
      status: "modified",
    });
  });

  test("several hunks with their line numbers and section text", () => {
    const [file] = parseUnifiedDiff(mail);
    const [first, second] = file!.hunks;
    expect(file!.hunks).toHaveLength(2);
    expect(first).toMatchObject({
      oldStart: 17,
      oldLines: 6,
      newStart: 17,
      newLines: 7,
      section: "config WIDGET_CORE",
    });
    expect(first!.lines[0]).toEqual({ kind: "context", text: "choice", oldLine: 17, newLine: 17 });
    expect(first!.lines[3]).toEqual({
      kind: "add",
      text: "\tdefault WIDGET_FLUSH_LAZY if ARCH_ALPHA_TEST",
      newLine: 20,
    });
    expect(second!.lines.filter((l) => l.kind !== "context")).toEqual([
      { kind: "del", text: "\t  Extra checks.", oldLine: 40 },
      { kind: "add", text: "\t  Extra checks, slow.", newLine: 41 },
    ]);
    for (const hunk of file!.hunks) expectConsistentLineNumbers(hunk);
  });

  test("the format-patch trailer is not part of the last hunk", () => {
    const [file] = parseUnifiedDiff(mail);
    const last = file!.hunks[1]!.lines.at(-1)!;
    expect(last).toEqual({ kind: "context", text: "endif # WIDGET_SUPPORT", oldLine: 42, newLine: 43 });
  });

  test("CRLF line ends give the same result", () => {
    expect(parseUnifiedDiff(mail.replace(/\n/g, "\r\n"))).toEqual(parseUnifiedDiff(mail));
  });

  test("locateDiff points at the first file header", () => {
    const located = locateDiff(mail);
    expect(mail.slice(located.start).startsWith("diff --git a/drivers/widget/Kconfig")).toBe(true);
  });

  test("a 'diff --git' line in prose is not a file", () => {
    const text = "Subject: x\n\nWhy not diff --git?\ndiff --git is what I ran, see:\nnothing here\n---\n";
    expect(parseUnifiedDiff(text)).toEqual([]);
    const withReal = text + mail.slice(locateDiff(mail).start);
    expect(parseUnifiedDiff(withReal).map((f) => f.path)).toEqual(["drivers/widget/Kconfig"]);
  });

  test("text after the trailer that looks like a diff is ignored", () => {
    const footer = "\ndiff --git a/x b/x\nnew file mode 100644\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+x\n";
    expect(parseUnifiedDiff(mail + footer)).toEqual(parseUnifiedDiff(mail));
  });
});

describe("parseUnifiedDiff on a git diff of every kind of change", () => {
  const files = parseUnifiedDiff(fixture("mixed.diff"));

  test("finds every file, in order", () => {
    expect(files.map((f) => [f.path, f.status])).toEqual([
      ["docs/moved-as-is.txt", "renamed"],
      ["tools/widget/added.txt", "added"],
      ["tools/widget/blob.bin", "binary"],
      ["tools/widget/new-name.txt", "renamed"],
      ["tools/widget/new.bin", "binary"],
      ["tools/widget/nonl.txt", "modified"],
      ["tools/widget/obsolete.txt", "deleted"],
      ["tools/widget/run.sh", "modified"],
    ]);
  });

  test("a pure rename has both names and no hunks", () => {
    expect(byPath(files, "docs/moved-as-is.txt")).toEqual({
      oldPath: "tools/widget/moved-as-is.txt",
      newPath: "docs/moved-as-is.txt",
      path: "docs/moved-as-is.txt",
      status: "renamed",
      hunks: [],
    });
  });

  test("a rename with an edit", () => {
    const file = byPath(files, "tools/widget/new-name.txt");
    expect(file.oldPath).toBe("tools/widget/old-name.txt");
    expect(file.hunks[0]!.lines.filter((l) => l.kind !== "context")).toEqual([
      { kind: "del", text: "five", oldLine: 5 },
      { kind: "add", text: "FIVE", newLine: 5 },
    ]);
    expectConsistentLineNumbers(file.hunks[0]!);
  });

  test("a new file has no old path", () => {
    const file = byPath(files, "tools/widget/added.txt");
    expect(file.oldPath).toBeNull();
    expect(file.newPath).toBe("tools/widget/added.txt");
    expect(file.hunks[0]!.lines).toEqual([
      { kind: "add", text: "brand new", newLine: 1 },
      { kind: "add", text: "file", newLine: 2 },
    ]);
  });

  test("a deleted file has no new path", () => {
    const file = byPath(files, "tools/widget/obsolete.txt");
    expect(file.newPath).toBeNull();
    expect(file.oldPath).toBe("tools/widget/obsolete.txt");
    expect(file.hunks[0]!.lines.map((l) => [l.kind, l.oldLine])).toEqual([
      ["del", 1],
      ["del", 2],
    ]);
  });

  test("binary files, new and modified", () => {
    expect(byPath(files, "tools/widget/new.bin")).toMatchObject({
      oldPath: null,
      status: "binary",
      hunks: [],
    });
    expect(byPath(files, "tools/widget/blob.bin")).toMatchObject({
      oldPath: "tools/widget/blob.bin",
      status: "binary",
    });
    expect(parseUnifiedDiff(fixture("git-binary-patch.diff"))).toEqual([
      {
        oldPath: null,
        newPath: "tools/widget/new.bin",
        path: "tools/widget/new.bin",
        status: "binary",
        hunks: [],
      },
    ]);
  });

  test("'\\ No newline at end of file' is not a line", () => {
    const file = byPath(files, "tools/widget/nonl.txt");
    expect(file.hunks[0]!.lines).toEqual([
      { kind: "del", text: "last line without newline", oldLine: 1 },
      { kind: "add", text: "last line changed, still without newline", newLine: 1 },
    ]);
  });

  test("a mode change alone is a modified file without hunks", () => {
    expect(byPath(files, "tools/widget/run.sh")).toMatchObject({ status: "modified", hunks: [] });
  });

  test("CRLF line ends give the same files, binary and modes included", () => {
    expect(parseUnifiedDiff(fixture("mixed.diff").replace(/\n/g, "\r\n"))).toEqual(files);
  });
});

describe("parseUnifiedDiff on other diffs", () => {
  test("diff -ruN between two trees: top directories and timestamps dropped, empty range means added", () => {
    const files = parseUnifiedDiff(fixture("quilt.diff"));
    expect(files.map((f) => [f.oldPath, f.newPath, f.status])).toEqual([
      ["drivers/widget/Kconfig", "drivers/widget/Kconfig", "modified"],
      [null, "drivers/widget/NOTES", "added"],
    ]);
    expect(files[0]!.hunks).toHaveLength(2);
    for (const hunk of files[0]!.hunks) expectConsistentLineNumbers(hunk);
  });

  test("a bare --- / +++ diff after a commit message", () => {
    const text = [
      "Fix the typo.",
      "--- a/README",
      "+++ b/README",
      "@@ -1,2 +1,2 @@",
      " Widgets",
      "-are grate",
      "+are great",
      "",
    ].join("\n");
    const located = locateDiff(text);
    expect(located.start).toBe("Fix the typo.\n".length);
    expect(located.files).toEqual([
      {
        oldPath: "README",
        newPath: "README",
        path: "README",
        status: "modified",
        hunks: [
          {
            oldStart: 1,
            oldLines: 2,
            newStart: 1,
            newLines: 2,
            section: "",
            lines: [
              { kind: "context", text: "Widgets", oldLine: 1, newLine: 1 },
              { kind: "del", text: "are grate", oldLine: 2 },
              { kind: "add", text: "are great", newLine: 2 },
            ],
          },
        ],
      },
    ]);
  });

  test("quoted and spaced file names", () => {
    const quoted = [
      'diff --git "a/docs/caf\\303\\251 notes.txt" "b/docs/caf\\303\\251 notes.txt"',
      "index 1111111..2222222 100644",
      '--- "a/docs/caf\\303\\251 notes.txt"',
      '+++ "b/docs/caf\\303\\251 notes.txt"',
      "@@ -1 +1 @@",
      "-a",
      "+b",
      "diff --git a/docs/my notes.txt b/docs/my notes.txt",
      "index 3333333..4444444 100644",
      "--- a/docs/my notes.txt\t",
      "+++ b/docs/my notes.txt\t",
      "@@ -1 +1 @@",
      "-c",
      "+d",
      "diff --git a/docs/other file.bin b/docs/other file.bin",
      "index 5555555..6666666 100644",
      "Binary files a/docs/other file.bin and b/docs/other file.bin differ",
      "",
    ].join("\n");
    expect(parseUnifiedDiff(quoted).map((f) => [f.oldPath, f.newPath])).toEqual([
      ["docs/café notes.txt", "docs/café notes.txt"],
      ["docs/my notes.txt", "docs/my notes.txt"],
      ["docs/other file.bin", "docs/other file.bin"],
    ]);
  });

  test("a hand-edited hunk that overruns its header stops before the prose after it", () => {
    const text =
      "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n a\n-b\n-c\n+d\n+e\nThanks, but why?\n";
    const [file] = parseUnifiedDiff(text);
    expect(file!.hunks[0]!.lines.map((l) => l.text)).toEqual(["a", "b", "c", "d", "e"]);
  });

  test("a mangled blank context line (no leading space) is still context", () => {
    const text = "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n\n-b\n+c\n";
    const [file] = parseUnifiedDiff(text);
    expect(file!.hunks[0]!.lines).toEqual([
      { kind: "context", text: "a", oldLine: 1, newLine: 1 },
      { kind: "context", text: "", oldLine: 2, newLine: 2 },
      { kind: "del", text: "b", oldLine: 3 },
      { kind: "add", text: "c", newLine: 3 },
    ]);
  });

  test("text without a diff", () => {
    expect(parseUnifiedDiff("")).toEqual([]);
    expect(parseUnifiedDiff("Hello,\n\n--- \nnot a diff\n+++ nor this\n")).toEqual([]);
    expect(
      parseUnifiedDiff("> diff --git a/x b/x\n> --- a/x\n> +++ b/x\n> @@ -1 +1 @@\n> -a\n> +b\n"),
    ).toEqual([]);
  });
});

describe("parseHunkOnly", () => {
  test("GitHub's per-file patch", () => {
    const patch =
      "@@ -3,3 +3,4 @@ config WIDGET_CORE\n choice\n+\tdefault y\n \thelp\n \t  Text.\n@@ -20,2 +21,1 @@\n-x\n y";
    const file = parseHunkOnly("drivers/widget/Kconfig", patch);
    expect(file).toMatchObject({
      oldPath: "drivers/widget/Kconfig",
      newPath: "drivers/widget/Kconfig",
      path: "drivers/widget/Kconfig",
      status: "modified",
    });
    expect(file.hunks.map((h) => [h.oldStart, h.newStart, h.section, h.lines.length])).toEqual([
      [3, 3, "config WIDGET_CORE", 4],
      [20, 21, "", 2],
    ]);
    for (const hunk of file.hunks) expectConsistentLineNumbers(hunk);
  });

  test("an added file without a trailing newline, CRLF", () => {
    const file = parseHunkOnly("NEW", "@@ -0,0 +1,2 @@\r\n+a\r\n+b\r\n\\ No newline at end of file");
    expect(file).toMatchObject({ oldPath: null, newPath: "NEW", status: "added" });
    expect(file.hunks[0]!.lines).toEqual([
      { kind: "add", text: "a", newLine: 1 },
      { kind: "add", text: "b", newLine: 2 },
    ]);
  });
});
