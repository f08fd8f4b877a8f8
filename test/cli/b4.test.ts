// The formats b4 runs: --format b4 (review-perpatch-check-cmd) and --format terse (prep/am-perpatch-check-cmd),
// each given one message on stdin as b4 does.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import { main } from "../../src/cli/main.js";

const EXAMPLE = readFileSync(join(import.meta.dirname, "../../examples/arm64-lazy-default.patch"), "utf8");
/** Adds RISCV to the lazy default of v6.12, where IOMMU_DMA is n on riscv: an info "no effective change". */
const NO_EFFECT = readFileSync(
  join(import.meta.dirname, "../../rules/iommu-default-domain-choice/triggers/riscv-lazy-u1-context.patch"),
  "utf8",
);

const UNWATCHED = `From: Ada Example <ada@example.org>
Subject: [PATCH] docs: fix a typo
Date: Thu, 2 Apr 2026 10:00:00 +0000
Message-Id: <typo@example.org>

Fix a typo.

Signed-off-by: Ada Example <ada@example.org>
---
diff --git a/README b/README
--- a/README
+++ b/README
@@ -1 +1 @@
-teh
+the
`;

const C_STRICT = UNWATCHED.replace("docs: fix a typo", "iommu/foo: force strict")
  .replace("typo@example.org", "strict@example.org")
  .replace(
    /diff --git[\s\S]*$/,
    `diff --git a/drivers/iommu/foo.c b/drivers/iommu/foo.c
--- a/drivers/iommu/foo.c
+++ b/drivers/iommu/foo.c
@@ -10,3 +10,4 @@ static int foo_probe(struct device *dev)
 {
 	foo_init(dev);
+	iommu_set_dma_strict();
 	return 0;
`,
  );

class Capture extends Writable {
  text = "";
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

async function onStdin(format: string, message: string) {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end(message);
  const code = await main(["--format", format, "-"], {
    stdout: stdout as never,
    stderr: stderr as never,
    stdin: stdin as never,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("--format b4", () => {
  test("a warning is status warn, with the message's lore link and the text review as details", async () => {
    const r = await onStdin("b4", EXAMPLE);
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      tool: "iommu-review",
      status: "warn",
      url: "https://lore.kernel.org/r/20260402200500.4242-1-lee.lazyman@example.org",
    });
    expect(results[0].summary).toContain("Per-architecture default of the IOMMU default domain type changes");
    expect(results[0].details).toContain("arm64  IOMMU_DEFAULT_DMA_STRICT  IOMMU_DEFAULT_DMA_LAZY  yes");
  });

  test("only info findings pass", async () => {
    const r = await onStdin("b4", NO_EFFECT);
    const [result] = JSON.parse(r.stdout);
    expect(result.status).toBe("pass");
    expect(result.summary).toMatch(/^1 finding: /);
  });

  test("a patch that touches nothing watched: exit 0, no output at all", async () => {
    const r = await onStdin("b4", UNWATCHED);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

describe("--format terse", () => {
  test("one checkpatch-style line per finding", async () => {
    const r = await onStdin("terse", EXAMPLE);
    expect(r.stdout).toBe(
      "drivers/iommu/Kconfig:99: WARNING: Per-architecture default of the IOMMU default domain type changes " +
        "(arm64: IOMMU_DEFAULT_DMA_STRICT -> IOMMU_DEFAULT_DMA_LAZY) [iommu-default-domain-choice]\n",
    );
    expect((await onStdin("terse", C_STRICT)).stdout).toMatch(
      /^drivers\/iommu\/foo\.c:12: WARNING: .*\[iommu-strictness-in-c\]\n$/,
    );
    expect((await onStdin("terse", NO_EFFECT)).stdout).toMatch(
      /^drivers\/iommu\/Kconfig:98: CHECK: .*\[iommu-default-domain-choice\]\n$/,
    );
  });

  test("nothing watched: no output", async () => {
    expect((await onStdin("terse", UNWATCHED)).stdout).toBe("");
  });
});
