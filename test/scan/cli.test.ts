import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "@jest/globals";
import { dryRun, jsonLines, scan } from "./io.js";
import { mail, mbox, patchBody } from "./mail.js";

const ROOT = join(import.meta.dirname, "../..");
const FIXTURES = join(ROOT, "test/fixtures/mail");
const KCONFIG_PATCH = join(ROOT, "rules/iommu-default-domain-choice/triggers/arm64-lazy-full-context.patch");
const scratch = mkdtempSync(join(tmpdir(), "iommu-review-scan-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, content);
  return path;
}

const reply = (n: number) =>
  mail({
    subject: `Re: [PATCH] widget ${n}`,
    messageId: `reply-${n}@example.org`,
    body: `> +x\n\nReply ${n}.\n`,
  });
const cPatch = (n: number) =>
  mail({
    subject: `[PATCH] widget: change ${n}`,
    messageId: `patch-${n}@example.org`,
    body: patchBody("drivers/widget/core.c", `a${n}`, `b${n}`),
  });

describe("iommu-review scan", () => {
  test("JSON Lines: one record per message in input order, the summary last", async () => {
    const file = write(
      "mixed.mbox",
      Buffer.concat([readFileSync(join(FIXTURES, "series.mbox")), mbox([reply(1), cPatch(2)])]),
    );
    const r = await scan([file, "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const { records, summary } = jsonLines(r.stdout);
    expect(records.map((x) => x.position)).toEqual([0, 1, 2, 3, 4]);
    expect(records.map((x) => x.skipped ?? "reviewed")).toEqual([
      "cover letter",
      "reviewed",
      "reviewed",
      "reply without a diff",
      "reviewed",
    ]);
    expect(summary).toMatchObject({
      messages: 5,
      patches: 3,
      skipped: 2,
      errors: 0,
      skippedByReason: { "cover letter": 1, "reply without a diff": 1 },
    });
  });

  test.each(["series.mbox", "kconfig-patch.eml", "mixed.diff", "multipart-attached.eml"])(
    "--format json prints exactly what the dry run prints for %s",
    async (name) => {
      const file = join(FIXTURES, name);
      const scanned = await scan([file, "--format", "json", "--quiet"]);
      const dry = await dryRun([file, "--format", "json"]);
      expect(scanned.stdout).toBe(dry.stdout);
    },
  );

  test("the summary counts findings by rule and severity, on stderr unless --quiet", async () => {
    const r = await scan([KCONFIG_PATCH]);
    const { summary } = jsonLines(r.stdout);
    expect(summary.findingsByRule).toEqual({ "iommu-default-domain-choice": { warning: 1 } });
    expect(summary.findingsBySeverity).toEqual({ info: 0, warning: 1, error: 0 });
    expect(r.stderr).toMatch(/^1 messages: 1 patches reviewed, 0 skipped, 0 errors/);
    expect(r.stderr).toContain("iommu-default-domain-choice: 1 warning");
    expect(r.stderr).toMatch(/MB\/s/);
  });

  test("--fail-on: exit 1 when a finding reaches it", async () => {
    expect((await scan([KCONFIG_PATCH, "-q"])).code).toBe(0);
    expect((await scan([KCONFIG_PATCH, "-q", "--fail-on", "warning"])).code).toBe(1);
    expect((await scan([KCONFIG_PATCH, "-q", "--fail-on", "error"])).code).toBe(0);
  });

  test("stdin as '-'", async () => {
    const r = await scan(["-", "-q"], mbox([reply(1), reply(2)]));
    expect(jsonLines(r.stdout).records.map((x) => [x.source, x.position])).toEqual([
      ["-", 0],
      ["-", 1],
    ]);
  });

  test("an input that cannot be read is an error entry, the others are still scanned, exit 2", async () => {
    const good = write("good.mbox", mbox([reply(1)]));
    const r = await scan([join(scratch, "missing.mbox"), good, "-q"]);
    expect(r.code).toBe(2);
    const { records, summary } = jsonLines(r.stdout);
    expect(records[0]).toMatchObject({
      position: 0,
      error: expect.stringMatching(/^cannot read file: ENOENT/),
    });
    expect(records[1]).toMatchObject({ skipped: "reply without a diff" });
    expect(summary).toMatchObject({ messages: 2, errors: 1 });
  });

  test("usage errors and --help", async () => {
    expect((await scan([])).code).toBe(2);
    const bad = await scan(["x.mbox", "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--format must be one of jsonl, json");
    expect((await scan(["x.mbox", "--max-line-bytes", "lots"])).stderr).toContain(
      "--max-line-bytes must be a number",
    );
    const help = await scan(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: iommu-review scan/);
  });
});

describe("accounting: broken messages are error entries and the scan goes on", () => {
  test("limits on message size, line length and attachment size; damaged MIME; not mail at all", async () => {
    const big = mail({
      subject: "[PATCH] huge",
      messageId: "huge@example.org",
      body: `${"x".repeat(80)}\n`.repeat(200),
    });
    const longLine = mail({ subject: "[PATCH] long line", body: `${"y".repeat(9000)}\n` });
    const attachment = mail({
      subject: "[PATCH] attachment",
      contentType: 'multipart/mixed; boundary="b"',
      body: `--b\nContent-Type: text/plain\n\nSee attached.\n--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n${"QUFB\n".repeat(2000)}--b--\n`,
    });
    const truncatedBase64 = mail({ subject: "[PATCH] cut", body: "", encoding: "7bit" })
      .toString()
      .replace("Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: base64");
    const unclosed = mail({
      subject: "Re: [PATCH] unclosed",
      contentType: 'multipart/mixed; boundary="c"',
      body: "--c\nContent-Type: text/plain\n\nno end\n",
    });
    const blob = Buffer.from([0x00, 0xff, 0x10, 0x80, 0x0a, 0x0a, 0x01, 0x02]);
    const file = write(
      "broken.mbox",
      mbox([
        reply(1),
        big,
        longLine,
        attachment,
        Buffer.from(`${truncatedBase64}ZGlmZiAtLWdpdCBh\nYi9\n`),
        unclosed,
        blob,
        reply(2),
      ]),
    );
    const r = await scan([
      file,
      "-q",
      "--max-message-bytes",
      "12K",
      "--max-line-bytes",
      "8K",
      "--max-attachment-bytes",
      "7K",
    ]);
    const { records, summary } = jsonLines(r.stdout);
    expect(records.map((x) => x.position)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(records.map((x) => x.error ?? x.skipped)).toEqual([
      "reply without a diff",
      expect.stringMatching(
        /^message of \d+ bytes is over the limit of 12288 bytes \(--max-message-bytes\)$/,
      ),
      expect.stringMatching(/^line of 9000 bytes is over the limit of 8192 bytes \(--max-line-bytes\)$/),
      expect.stringMatching(
        /^MIME part of \d+ bytes is over the limit of 7168 bytes \(--max-attachment-bytes\)$/,
      ),
      expect.stringMatching(/base64 part cut short/),
      expect.stringMatching(/without its closing boundary/),
      expect.stringMatching(/^not a mail message/),
      "reply without a diff",
    ]);
    // An entry over a limit is still named by its header block.
    expect(records[1]).toMatchObject({ subject: "[PATCH] huge", messageId: "huge@example.org" });
    expect(summary).toMatchObject({ messages: 8, errors: 6 });
  });
});

describe("inputs other than mbox files", () => {
  test("a Maildir: messages of new/ and cur/ in the order of their names", async () => {
    const dir = join(scratch, "Maildir");
    for (const sub of ["new", "cur", "tmp"]) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, "cur", "1558000002.M2.host:2,S"), reply(2));
    writeFileSync(join(dir, "new", "1558000001.M1.host"), reply(1));
    writeFileSync(join(dir, "tmp", "1558000003.M3.host"), reply(3)); // still being delivered
    const { records } = jsonLines((await scan([dir, "-q"])).stdout);
    expect(records.map((x) => x.messageId)).toEqual(["reply-1@example.org", "reply-2@example.org"]);
  });

  describe("a public-inbox repository, scanned incrementally", () => {
    const repo = join(scratch, "inbox");
    const state = join(scratch, "state.json");
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.org", ...args], {
        stdio: "pipe",
      });
    const commit = (file: "m" | "d", content: Buffer) => {
      for (const other of ["m", "d"]) rmSync(join(repo, other), { force: true });
      writeFileSync(join(repo, file), content);
      git("add", "-A");
      git("commit", "-q", "-m", "message");
    };

    test("the first scan reads everything, the next only new messages, --full everything again", async () => {
      mkdirSync(repo);
      execFileSync("git", ["init", "-q", repo]);
      commit("m", reply(1));
      commit("m", cPatch(2));
      commit("d", Buffer.from("deleted\n")); // a deletion: no message
      const first = jsonLines((await scan([repo, "-q", "--state", state])).stdout);
      expect(first.records.map((x) => x.messageId)).toEqual(["reply-1@example.org", "patch-2@example.org"]);
      expect(first.records[0]!.source).toMatch(/inbox@[0-9a-f]{12}$/);
      // The last commit read is remembered, even one that deleted a message.
      const head = git("rev-parse", "HEAD").toString().trim();
      expect(JSON.parse(readFileSync(state, "utf8")).repositories).toEqual({
        [realpathSync(repo)]: { lastCommit: head, scannedAt: expect.any(String) },
      });

      expect(jsonLines((await scan([repo, "-q", "--state", state])).stdout).records).toEqual([]);
      commit("m", reply(3));
      commit("m", reply(4));
      const second = jsonLines((await scan([repo, "-q", "--state", state])).stdout);
      expect(second.records.map((x) => [x.messageId, x.position])).toEqual([
        ["reply-3@example.org", 0],
        ["reply-4@example.org", 1],
      ]);
      const all = jsonLines((await scan([repo, "-q", "--state", state, "--full"])).stdout);
      expect(all.records).toHaveLength(4);
    });
  });
});

describe("the dry run on an archive over 4 MB (the scan engine behind it)", () => {
  // A padded reply per message, so that the archive crosses the size at which the dry run streams.
  const padded = (n: number) =>
    mail({
      subject: `Re: [PATCH] widget ${n}`,
      messageId: `padded-${n}@example.org`,
      body: `> +x\n\n${"Some words of a reply, written out at length.\n".repeat(60)}`,
    });
  const kconfigPatch = Buffer.from(
    readFileSync(KCONFIG_PATCH, "latin1").replace(/^From [^\n]*\n/, ""),
    "latin1",
  );
  const cutBase64 = Buffer.from(
    `${mail({ subject: "[PATCH] cut", body: "" }).toString().replace("Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: base64")}ZGlmZiAtLWdpdCBh\nYi9\n`,
  );
  // In-process, worker threads would need the compiled lib/ (see workers.test.ts).
  const dry = (args: string[]) => dryRun([...args, "--workers", "0"]);
  const archive = (extra: Buffer[]) => mbox([...Array.from({ length: 1800 }, (_, i) => padded(i)), ...extra]);

  test("--format json is written as it goes, byte for byte the collected review's JSON", async () => {
    const file = write("large.mbox", archive([kconfigPatch, cPatch(1)]));
    expect(readFileSync(file).length).toBeGreaterThan(4 * 1024 * 1024);
    const json = await dry([file, "--format", "json"]);
    expect(json.code).toBe(0);
    const patches = JSON.parse(json.stdout).patches as { skipped?: string; findings: { rule: string }[] }[];
    expect(patches).toHaveLength(1802);
    expect(patches[1800]!.findings.map((f) => f.rule)).toContain("iommu-default-domain-choice");
    // The markdown path collects the whole review; both must describe the same entries.
    const { reviewInputs } = await import("../../src/scan/review-inputs.js");
    const { renderJson } = await import("../../src/render/json.js");
    const { loadRules } = await import("../../src/rules/load.js");
    const { DEFAULT_RULES_DIR } = await import("../../src/rules/defaults.js");
    const collected = await reviewInputs([file], { rules: loadRules(DEFAULT_RULES_DIR), workers: 0 });
    expect(json.stdout).toBe(renderJson(collected));
    expect((await dry([file, "--format", "json", "--fail-on", "warning"])).code).toBe(1);
  });

  test("text and markdown are written block by block, byte for byte what the renderers make of the whole", async () => {
    const file = write("large-text.mbox", archive([kconfigPatch, cutBase64, cPatch(3)]));
    const { reviewInputs } = await import("../../src/scan/review-inputs.js");
    const { renderText } = await import("../../src/render/text.js");
    const { renderMarkdown } = await import("../../src/render/markdown.js");
    const { loadRules } = await import("../../src/rules/load.js");
    const { DEFAULT_RULES_DIR } = await import("../../src/rules/defaults.js");
    const collected = await reviewInputs([file], { rules: loadRules(DEFAULT_RULES_DIR), workers: 0 });
    const text = await dry([file]);
    expect(text.code).toBe(2);
    expect(text.stdout).toBe(renderText(collected));
    expect(text.stdout).toContain("\nNot reviewed:\n");
    expect(text.stdout.match(/reply without a diff/g)).toHaveLength(1800);
    const markdown = await dry([file, "--format", "markdown"]);
    expect(markdown.stdout).toBe(renderMarkdown(collected));
  });

  test("a broken message: error line naming it, exit 2, the other entries all there", async () => {
    const file = write("large-broken.mbox", archive([cutBase64, cPatch(2)]));
    const r = await dry([file, "--format", "json"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `iommu-review: ${file} (message 1801): damaged MIME: a base64 part cut short (not a whole number of 4-character groups)\n`,
    );
    expect(JSON.parse(r.stdout).patches).toHaveLength(1802);
  });
});
