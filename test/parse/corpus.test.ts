// The real mailing-list corpus is public list data kept outside the project (../shared/corpus); a fresh
// clone does not have it, and then this test is skipped.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { splitMboxStream } from "../../src/ingest/mbox.js";

const CORPUS = fileURLToPath(new URL("../../../shared/corpus/iommu-list-2019-2020.mbox.xz", import.meta.url));
const present = existsSync(CORPUS);
const corpusTest = present ? test : test.skip;

describe("iommu list corpus 2019-2020", () => {
  if (!present) test.skip(`corpus not found at ${CORPUS}: skipped`, () => {});

  corpusTest(
    "streams through xz and splits into 16,196 messages",
    async () => {
      const xz = spawn("xz", ["-dc", CORPUS], { stdio: ["ignore", "pipe", "pipe"] });
      const exited = new Promise<number | null>((resolve, reject) => {
        xz.on("error", reject);
        xz.on("close", resolve);
      });
      let count = 0;
      let bytes = 0;
      for await (const message of splitMboxStream(xz.stdout)) {
        count++;
        bytes += message.length;
      }
      expect(await exited).toBe(0);
      expect(count).toBe(16196);
      expect(bytes).toBeGreaterThan(150_000_000);
    },
    120_000,
  );
});
