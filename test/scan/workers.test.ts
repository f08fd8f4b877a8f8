import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { type CompiledLib, compileLib } from "./compiled.js";
import { jsonLines } from "./io.js";
import { mail, mbox, patchBody } from "./mail.js";

// Several batches through worker threads must give, in input order, exactly the entries a scan on one thread
// gives.

let compiled: CompiledLib;
const scratch = mkdtempSync(join(tmpdir(), "iommu-review-workers-"));
beforeAll(() => {
  compiled = compileLib();
}, 60_000);
afterAll(() => {
  compiled?.remove();
  rmSync(scratch, { recursive: true, force: true });
});

function archive(count: number): Buffer {
  const messages: Buffer[] = [];
  for (let n = 0; n < count; n++) {
    const messageId = `m${n}@example.org`;
    const kind = n % 5;
    if (kind === 0)
      messages.push(
        mail({ subject: `Re: [PATCH] thing ${n}`, messageId, body: `> +x\n${"Reply text. ".repeat(60)}\n` }),
      );
    else if (kind === 1)
      messages.push(mail({ messageId, body: patchBody("drivers/widget/core.c", `a${n}`, `b${n}`) }));
    else if (kind === 2)
      messages.push(
        mail({ messageId, body: patchBody("drivers/iommu/iommu.c", `a${n}`, "\tiommu_set_dma_strict();") }),
      );
    else if (kind === 3)
      messages.push(
        mail({
          messageId,
          encoding: "base64",
          body: patchBody("drivers/widget/Kconfig", "\tdefault n", "\tdefault y if X86"),
        }),
      );
    else messages.push(Buffer.from([0x00, 0x01, 0x0a, 0x0a, 0x02]));
  }
  return mbox(messages);
}

describe("worker threads", () => {
  // One worker parses what the main thread cannot settle (scan/offload.ts); two share out whole batches.
  test.each([2, 1])(
    "%i worker(s) give the entries of 1 thread, in input order, every message once",
    async (n) => {
      const file = join(scratch, `archive-${n}.mbox`);
      writeFileSync(file, archive(3000)); // several 512 KB batches
      const threaded = await compiled.scan([file, "--workers", String(n), "-q"]);
      const single = await compiled.scan([file, "--workers", "0", "-q"]);
      expect(threaded.code).toBe(0);
      const a = jsonLines(threaded.stdout);
      const b = jsonLines(single.stdout);
      expect(a.records.map((r) => r.position)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
      expect(a.records).toEqual(b.records);
      const { seconds: _s1, messagesPerSecond: _m1, megabytesPerSecond: _b1, ...summaryA } = a.summary;
      const { seconds: _s2, messagesPerSecond: _m2, megabytesPerSecond: _b2, ...summaryB } = b.summary;
      expect(summaryA).toEqual(summaryB);
      expect(summaryA).toMatchObject({ messages: 3000, errors: 600 });
      expect(summaryA.findingsByRule).toMatchObject({ "iommu-strictness-in-c": { warning: 600 } });
    },
    60_000,
  );

  test("a worker that dies turns only its batches into error entries, and the pool goes on", () => {
    const crashing = join(scratch, "crashing-worker.mjs");
    // Dies on its first batch; the replacement works.
    writeFileSync(
      crashing,
      [
        'import { parentPort, workerData } from "node:worker_threads";',
        'import { existsSync, writeFileSync } from "node:fs";',
        `const marker = ${JSON.stringify(join(scratch, "crashed"))};`,
        'parentPort.on("message", ({ seq, batch }) => {',
        '  if (!existsSync(marker)) { writeFileSync(marker, ""); process.exit(3); }',
        "  parentPort.postMessage({ seq, results: batch.pieces.map((p) => ({ text: 'ok ' + p.position + '\\n', stats: {}, source: '', position: p.position, bytes: 0 })) });",
        "});",
      ].join("\n"),
    );
    const out = compiled.node(`
      const { WorkerPool } = await import(process.env.LIB + "/scan/pool.js");
      const { packBatch } = await import(process.env.LIB + "/scan/batch.js");
      const piece = (position) => ({ kind: "mail", source: "s", position, bytes: Buffer.from("x"), size: 1, truncated: false, mboxrd: false });
      const pool = new WorkerPool({ size: 1, init: { rules: [], limits: {}, style: "jsonl" }, script: new URL("file://${crashing}") });
      const first = await pool.run(packBatch([piece(0), piece(1)]));
      const second = await pool.run(packBatch([piece(2)]));
      await pool.close();
      console.log(JSON.stringify([...first, ...second].map((r) => r.text)));
    `);
    const texts = JSON.parse(out) as string[];
    expect(texts).toHaveLength(3);
    expect(JSON.parse(texts[0]!)).toMatchObject({ position: 0, error: "worker failed: exited with code 3" });
    expect(JSON.parse(texts[1]!)).toMatchObject({ position: 1, error: "worker failed: exited with code 3" });
    expect(texts[2]).toBe("ok 2\n");
  }, 30_000);
});
