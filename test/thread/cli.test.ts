import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { threadCommand } from "../../src/cli/thread.js";
import { syntheticMbox } from "./messages.js";

async function run(argv: string[], stdin?: string) {
  let stdout = "";
  let stderr = "";
  const code = await threadCommand(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    ...(stdin !== undefined && { stdin: Readable.from([Buffer.from(stdin)]) }),
  });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), "thread-cli-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("iommu-review thread", () => {
  const mbox = file("thread.mbox", syntheticMbox());

  test("prints the text digest by default", async () => {
    const { code, stdout, stderr } = await run([mbox]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toMatch(/^Discussion so far: \[PATCH\] iommu: Default to lazy on riscv\n/);
    expect(stdout).toContain("Bo Maintainer, 2026-01-05:");
  });

  test("--format json and markdown, and - for stdin", async () => {
    const json = await run([mbox, "--format", "json"]);
    expect(JSON.parse(json.stdout).replies).toBe(3);
    const md = await run(["--format", "markdown", "-"], syntheticMbox());
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^## Discussion so far/);
  });

  test("--rule chooses whose known arguments are expected", async () => {
    const { stdout } = await run([mbox, "--format", "json", "--rule", "iommu-dma-arch-list"]);
    const digest = JSON.parse(stdout);
    expect(digest.rulesBasis).toBe("given");
    expect(digest.rules).toEqual(["iommu-dma-arch-list"]);
  });

  test.each([
    [["/nonexistent/x.mbox"], /^iommu-review thread: \/nonexistent\/x\.mbox: cannot read file: .*ENOENT/],
    [[file("notes.txt", "just some notes\nnot mail\n")], /notes\.txt: not an mbox or a mail message/],
    [[file("empty.mbox", "\n\n")], /empty\.mbox: empty input/],
    [[mbox, "--format", "sarif"], /--format must be one of text, markdown, json \(got 'sarif'\)/],
    [[], /no mbox given/],
    [[mbox, "--rule", "no-such-rule"], /unknown rule id no-such-rule/],
  ])("bad input %j exits 2 with a one-line error", async (argv, message) => {
    const { code, stdout, stderr } = await run(argv as string[]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.split("\n")[0]).toMatch(message);
  });

  test("a message that cannot be read is reported, the others still make a digest", async () => {
    const broken = file("broken.mbox", `${syntheticMbox()}From x Thu Jan  1 00:00:00 1970\n\n\n`);
    const { code, stdout, stderr } = await run([broken]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/broken\.mbox \(message 5\): /);
    expect(stdout).toContain("Discussion so far");
  });
});
