import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";

// The installed command, as a user runs it: bin/iommu-review.js on the build in lib/ (made by `npm install`).
const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/iommu-review.js");
const built = existsSync(join(ROOT, "lib/cli/main.js"));
if (!built) console.warn("skipping bin tests: lib/ is not built (npm install or npm run build builds it)");

const run = (args: string[], input?: string) =>
  spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });

(built ? describe : describe.skip)("bin/iommu-review.js", () => {
  test("--help exits 0", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: iommu-review/);
  });

  test("the bundled example reviews to arm64 STRICT → LAZY and exits 0 below the default --fail-on", () => {
    const r = run(["examples/arm64-lazy-default.patch"]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/^ {2}arm64 +IOMMU_DEFAULT_DMA_STRICT +IOMMU_DEFAULT_DMA_LAZY +yes$/m);
    expect(r.stdout).toContain("2.67");
  });

  test("a missing file: one line on stderr, no stack trace, exit 2", () => {
    const r = run(["no-such.patch"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "iommu-review: no-such.patch: cannot read file: ENOENT: no such file or directory, open 'no-such.patch'\n",
    );
  });

  test("--fail-on warning exits 1 on the example", () => {
    expect(run(["--fail-on", "warning", "examples/arm64-lazy-default.patch"]).status).toBe(1);
  });

  test("stdin with -", () => {
    const r = run(["-", "--format", "json"], "not a patch at all\n");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^iommu-review: -: unrecognised input/);
    expect(JSON.parse(r.stdout).patches[0].error).toMatch(/unrecognised input/);
  });

  test("a reader that stops early (| head): the command ends quietly, exit 0, no stack trace", async () => {
    const dir = mkdtempSync(join(tmpdir(), "iommu-review-pipe-"));
    try {
      const reply = (n: number) =>
        `From mboxrd@z Thu Jan  1 00:00:00 1970\nFrom: A <a@example.org>\nSubject: Re: [PATCH] x ${n}\n` +
        `Message-Id: <r${n}@example.org>\n\n${"Words of a reply.\n".repeat(40)}\n`;
      const file = join(dir, "archive.mbox");
      writeFileSync(file, Array.from({ length: 8000 }, (_, n) => reply(n)).join(""));
      const child = spawn(process.execPath, [BIN, file, "--workers", "0"], { cwd: ROOT });
      let stderr = "";
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
      });
      child.stdout.once("data", () => child.stdout.destroy());
      const code = await new Promise((resolve) => child.on("close", resolve));
      expect(stderr).toBe("");
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
