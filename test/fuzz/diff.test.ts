import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { findDiffFiles } from "../../src/ingest/diff-files.js";
import { locateDiff } from "../../src/parse/diff.js";
import { expectWithinBudget, FUZZ } from "./budget.js";

// Patch bodies built from the lines diff parsing cares about, in any order: the prefilter's reading of the
// files (diff-files.ts) must be the full parse's (parse/diff.ts), and neither may throw or crawl.
const diffLine = fc.oneof(
  fc.constantFrom(
    "diff --git a/drivers/iommu/Kconfig b/drivers/iommu/Kconfig",
    "diff --git a/x.c b/y.c",
    'diff --git "a/caf\\303\\251.c" "b/caf\\303\\251.c"',
    "diff --git a/only",
    "index 1111111..2222222 100644",
    "new file mode 100644",
    "deleted file mode 100644",
    "rename from a.c",
    "rename to b.c",
    "similarity index 90%",
    "--- a/x.c",
    "--- /dev/null",
    "+++ b/x.c",
    "+++ /dev/null",
    "@@ -1,3 +1,4 @@",
    "@@ -0,0 +1 @@",
    "@@ bad",
    " context",
    "+added",
    "-removed",
    "\\ No newline at end of file",
    "Binary files a/x and b/x differ",
    "GIT binary patch",
    "-- ",
    "2.39.5",
    "---",
    "",
    "Index: x.c",
  ),
  fc.string({ maxLength: 20 }),
);
const path = fc.constantFrom(
  "drivers/iommu/Kconfig",
  "arch/arm64/configs/defconfig",
  "x.c",
  "a b.c",
  "Kconfig",
);
/** A git section, well formed or with a piece left out. */
const section = fc
  .record({
    path,
    ext: fc.subarray(["index 1111111..2222222 100644", "new file mode 100644", "similarity index 90%"]),
    text: fc.boolean(),
    hunk: fc.array(fc.constantFrom(" c", "+a", "-d", "\\ No newline at end of file"), { maxLength: 6 }),
  })
  .map(({ path, ext, text, hunk }) =>
    [
      `diff --git a/${path} b/${path}`,
      ...ext,
      ...(text ? [`--- a/${path}`, `+++ b/${path}`, "@@ -1,2 +1,2 @@", ...hunk] : []),
    ].join("\n"),
  );
const body = fc.array(fc.oneof(section, diffLine), { maxLength: 30 }).map((lines) => lines.join("\n"));

describe("diff handling (fuzz)", () => {
  test("the prefilter finds exactly the files the full parse finds", () => {
    let withFiles = 0;
    fc.assert(
      fc.property(body, (text) => {
        const started = performance.now();
        const full = locateDiff(text).files;
        const presence = findDiffFiles(text);
        expectWithinBudget(started, text.length);
        if (presence.kind === "none") expect(full).toEqual([]);
        if (presence.kind === "files") {
          withFiles++;
          expect(presence.files.map((f) => f.path)).toEqual(full.map((f) => f.path));
        }
        if (presence.kind === "unsure") expect(text).toMatch(/^\+\+\+ /m);
      }),
      FUZZ,
    );
    expect(withFiles).toBeGreaterThan(0);
  });

  test("arbitrary text never makes the diff parser throw", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 2000, unit: "binary" }), (text) => {
        const started = performance.now();
        locateDiff(text);
        findDiffFiles(text);
        expectWithinBudget(started, text.length);
      }),
      FUZZ,
    );
  });

  test("a long hunk stays linear", () => {
    const lines = Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? `+line ${i}` : ` line ${i}`));
    const text = `diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n@@ -1,13334 +1,20000 @@\n${lines.join("\n")}\n`;
    const started = performance.now();
    expect(locateDiff(text).files).toHaveLength(1);
    expectWithinBudget(started, text.length);
  });
});
