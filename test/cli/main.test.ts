import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { main } from "../../src/cli/main.js";

const ROOT = join(import.meta.dirname, "../..");
const EXAMPLE = join(ROOT, "examples/arm64-lazy-default.patch");

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function cli(args: string[], stdinText?: string) {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end(stdinText ?? "");
  const code = await main(args, { stdout: stdout as never, stderr: stderr as never, stdin: stdin as never });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const scratch = mkdtempSync(join(tmpdir(), "iommu-review-cli-"));
const write = (name: string, text: string) => {
  const p = join(scratch, name);
  writeFileSync(p, text);
  return p;
};

describe("iommu-review CLI", () => {
  test("--help prints usage and exits 0", async () => {
    const r = await cli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: iommu-review \[options\] <file\.\.\.\|->/);
    expect(r.stdout).toContain("--fail-on info|warning|error|never");
  });

  test("the ARM64 example: arm64 STRICT → LAZY, x86 and s390 unchanged, the arguments, the 2.67x check", async () => {
    const r = await cli([EXAMPLE, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0); // a warning does not reach the default --fail-on error
    const json = JSON.parse(r.stdout);
    const [patch] = json.patches;
    const finding = patch.findings.find((f: { rule: string }) => f.rule === "iommu-default-domain-choice");
    expect(finding.perArch).toEqual([
      { arch: "arm64", before: "IOMMU_DEFAULT_DMA_STRICT", after: "IOMMU_DEFAULT_DMA_LAZY" },
    ]);
    const categories = new Set(finding.arguments.map((a: { category: string }) => a.category));
    for (const c of ["per-arch-divergence", "security-vs-throughput", "alternatives"])
      expect(categories).toContain(c);
    const texts = finding.arguments.map((a: { text: string }) => a.text).join("\n");
    expect(texts).toContain("iommu.strict=0");
    expect(texts).toMatch(/distribution/);
    const arithmetic = patch.claims.find((c: { kind: string }) => c.kind === "arithmetic");
    expect(arithmetic.ok).toBe(true);
    expect(arithmetic.note).toContain("2.67");
    expect(patch.claims.some((c: { kind: string; ok: boolean }) => c.kind === "wording" && !c.ok)).toBe(true);
  });

  test("text output names x86 and s390 as unchanged and quotes the changed line", async () => {
    const r = await cli([EXAMPLE, "--format", "text", "--color", "never"]);
    expect(r.stdout).toMatch(/^> \+\s*default IOMMU_DEFAULT_DMA_LAZY if X86 \|\| S390 \|\| ARM64$/m);
    expect(r.stdout).toMatch(/^ {2}x86 +IOMMU_DEFAULT_DMA_LAZY +IOMMU_DEFAULT_DMA_LAZY +no$/m);
    expect(r.stdout).toMatch(/^ {2}s390 +IOMMU_DEFAULT_DMA_LAZY +IOMMU_DEFAULT_DMA_LAZY +no$/m);
    expect(r.stdout).toMatch(/^ {2}arm64 +IOMMU_DEFAULT_DMA_STRICT +IOMMU_DEFAULT_DMA_LAZY +yes$/m);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  test("the example's text review fits in 70 lines with the table, the iommu.strict= alternative and the 2.67x check", async () => {
    const r = await cli([EXAMPLE, "--format", "text", "--color", "never"]);
    expect(r.stdout.trimEnd().split("\n").length).toBeLessThanOrEqual(70);
    expect(r.stdout).toMatch(/^ {2}arm64 +IOMMU_DEFAULT_DMA_STRICT +IOMMU_DEFAULT_DMA_LAZY +yes$/m);
    expect(r.stdout).toContain("iommu.strict=0");
    expect(r.stdout).toContain("2.67");
    // Architectures where IOMMU_DMA is n (v6.12) are not in the table: the choice has no effect there.
    expect(r.stdout).not.toMatch(/^ {2}riscv /m);
  });

  test("--color always colours the text output", async () => {
    const r = await cli([EXAMPLE, "--color", "always"]);
    expect(r.stdout).toMatch(/\x1b\[/);
  });

  test("--fail-on warning makes a warning exit 1; never keeps 0", async () => {
    expect((await cli([EXAMPLE, "--fail-on", "warning", "--format", "json"])).code).toBe(1);
    expect((await cli([EXAMPLE, "--fail-on", "info", "--format", "json"])).code).toBe(1);
    expect((await cli([EXAMPLE, "--fail-on", "never", "--format", "json"])).code).toBe(0);
  });

  test("stdin is read for -", async () => {
    const r = await cli(["-", "--format", "json"], readFileSync(EXAMPLE, "utf8"));
    expect(JSON.parse(r.stdout).patches[0].findings.length).toBeGreaterThan(0);
    expect(JSON.parse(r.stdout).patches[0].source).toBe("-");
  });

  test("a batch with a missing and an empty file still reviews the good one, names both, exits 2", async () => {
    const empty = write("empty.patch", "");
    const r = await cli([join(scratch, "missing.patch"), EXAMPLE, empty, "--format", "json"]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^iommu-review: .*missing\.patch: cannot read file: .*ENOENT/);
    expect(lines[1]).toMatch(/^iommu-review: .*empty\.patch: empty input$/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const json = JSON.parse(r.stdout);
    expect(json.patches).toHaveLength(3);
    expect(json.patches[0].error).toMatch(/ENOENT/);
    expect(json.patches[1].findings.length).toBeGreaterThan(0);
    expect(json.patches[2].error).toBe("empty input");
  });

  test("a message without a diff gets a skipped entry", async () => {
    const mail = write(
      "question.eml",
      "From: A <a@example.org>\nSubject: Re: [PATCH] iommu: question\nMessage-Id: <q1@example.org>\n\nWhy lazy?\n",
    );
    const r = await cli([mail, "--format", "json"]);
    expect(r.code).toBe(0);
    const [entry] = JSON.parse(r.stdout).patches;
    expect(entry.skipped).toBeTruthy();
    expect(entry.messageId).toBe("q1@example.org");
    expect(entry.findings).toEqual([]);
  });

  test("usage errors exit 2 with one line naming the problem", async () => {
    for (const [args, pattern] of [
      [[], /no input/],
      [
        ["--format", "yaml", EXAMPLE],
        /--format must be one of markdown, text, json, sarif, b4, terse \(got 'yaml'\)/,
      ],
      [["--fail-on", "sometimes", EXAMPLE], /--fail-on must be one of/],
      [["--bogus", EXAMPLE], /bogus/],
    ] as const) {
      const r = await cli([...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(pattern);
      expect(r.stdout).toBe("");
    }
  });

  test("a broken rules folder is an input error naming the file and field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bad-rules-"));
    writeFileSync(
      join(dir, "broken.yaml"),
      "id: broken\ntitle: Broken rule\nseverity: fatal\nmatch: {kind: c-code, paths: ['*.c'], patterns: ['x']}\nmessage: hello there\n",
    );
    const r = await cli(["--rules", dir, EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/broken\.yaml: severity: /);
  });

  test("--tree that is not a kernel tree is refused", async () => {
    const r = await cli(["--tree", scratch, EXAMPLE]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a kernel source tree/);
  });

  test("sarif and markdown formats render", async () => {
    const sarif = JSON.parse((await cli([EXAMPLE, "--format", "sarif"])).stdout);
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].results[0].ruleId).toBe("iommu-default-domain-choice");
    const md = (await cli([EXAMPLE, "--format", "markdown"])).stdout;
    expect(md).toMatch(/\| \*\*arm64\*\* \|/);
  });
});

describe("the CLI's import graph", () => {
  // A single-patch dry run must start fast: nothing of the GitHub App, the mail server or SQLite.
  test("does not reach the GitHub App, the mirror server, probot or better-sqlite3", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) visit(join(file, "..", spec.replace(/\.js$/, ".ts")));
        else packages.add(spec);
      }
      for (const m of text.matchAll(/import\("([^"]+)"\)/g)) packages.add(m[1]!);
    };
    visit(join(ROOT, "src/cli/main.ts"));
    const files = [...seen].map((f) => f.slice(ROOT.length + 1));
    expect(files.filter((f) => /^src\/(github|mirror|deliver)\//.test(f))).toEqual([]);
    expect([...packages].filter((p) => /probot|octokit|better-sqlite3|nodemailer/.test(p))).toEqual([]);
    expect(files).toContain("src/review/review.ts");
  });
});
