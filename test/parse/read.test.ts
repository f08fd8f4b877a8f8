import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, test } from "@jest/globals";
import { readInputs } from "../../src/ingest/read.js";
import { fixture, fixturePath } from "./fixtures.js";

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempFile(name: string, content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), "iommu-review-read-"));
  tempDirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("readInputs", () => {
  test("a missing file is one error item and the next file is still read", async () => {
    const missing = fixturePath("no-such-file.mbox");
    const good = fixturePath("kconfig-patch.eml");
    const items = await readInputs([missing, good]);
    expect(items).toHaveLength(2);
    expect(items[0]).toEqual({ kind: "error", source: missing, position: 0, error: expect.any(String) });
    expect(items[0]!.kind === "error" && items[0]!.error).toMatch(/^cannot read file: ENOENT/);
    expect(items[1]).toMatchObject({ kind: "patch", patch: { source: good, position: 0 } });
  });

  test("an mbox series: cover letter skipped, both patches in order with their positions", async () => {
    const path = fixturePath("series.mbox");
    const items = await readInputs([path]);
    expect(items.map((i) => [i.kind, i.kind === "patch" ? i.patch.position : i.position])).toEqual([
      ["skipped", 0],
      ["patch", 1],
      ["patch", 2],
    ]);
    expect(items[0]).toMatchObject({
      reason: "cover letter",
      subject: "[PATCH v2 0/2] widget: flush defaults",
    });
    const patches = items.flatMap((i) => (i.kind === "patch" ? [i.patch] : []));
    expect(patches.map((p) => [p.source, p.version, p.seriesIndex, p.seriesTotal])).toEqual([
      [path, 2, 1, 2],
      [path, 2, 2, 2],
    ]);
    expect(patches[1]!.message).toContain("From now on lazy flushing turns the extra checks on.");
    expect(patches[1]!.inReplyTo).toBe("20190515070000.2000-1-alice@example.org");
  });

  test("input order is kept across files, and formats are told apart", async () => {
    const items = await readInputs([
      fixturePath("mixed.diff"),
      fixturePath("reply-quoting-patch.eml"),
      fixturePath("series.mbox"),
    ]);
    expect(items.map((i) => (i.kind === "patch" ? i.patch.source : i.source).split("/").at(-1))).toEqual([
      "mixed.diff",
      "reply-quoting-patch.eml",
      "series.mbox",
      "series.mbox",
      "series.mbox",
    ]);
    expect(items[0]).toMatchObject({ kind: "patch", patch: { subject: "" } });
    expect(items[1]).toMatchObject({ kind: "skipped", reason: "reply without a diff" });
  });

  test("stdin as '-'", async () => {
    const stdin = Readable.from([Buffer.from(fixture("kconfig-patch.eml"))]);
    const [item] = await readInputs(["-"], { stdin });
    expect(item).toMatchObject({
      kind: "patch",
      patch: { source: "-", title: expect.stringContaining("lazy") },
    });
  });

  test("empty and unrecognised inputs are errors", async () => {
    const empty = tempFile("empty.mbox", "");
    const blank = tempFile("blank.txt", "\n \n");
    const prose = tempFile("notes.txt", "Just some notes.\nNothing else.\n");
    expect(await readInputs([empty, blank, prose])).toEqual([
      { kind: "error", source: empty, position: 0, error: "empty input" },
      { kind: "error", source: blank, position: 0, error: "empty input" },
      {
        kind: "error",
        source: prose,
        position: 0,
        error: "unrecognised input: not an mbox, a mail message or a diff",
      },
    ]);
  });

  test("a directory cannot be read", async () => {
    const [item] = await readInputs([tmpdir()]);
    expect(item).toMatchObject({ kind: "error", error: expect.stringMatching(/^cannot read file: EISDIR/) });
  });

  test("leading blank lines before a mail message", async () => {
    const path = tempFile("lead.eml", `\n\n${fixture("kconfig-patch.eml")}`);
    const [item] = await readInputs([path]);
    expect(item!.kind).toBe("patch");
  });
});
