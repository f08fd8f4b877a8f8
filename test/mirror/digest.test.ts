// The mirror worker keeps a discussion digest for threads it reviewed a patch in: a reply that joins such a
// thread updates the stored digest (and no digest mail is queued).

import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "@jest/globals";
import { parsePolicy } from "../../src/deliver/policy.js";
import { Journal } from "../../src/mirror/journal.js";
import { ReviewWorker } from "../../src/mirror/worker.js";
import { loadRules } from "../../src/rules/load.js";
import { buildCueBook } from "../../src/thread/cues.js";
import type { ThreadDigest } from "../../src/thread/digest.js";
import { SqliteDigestStore } from "../../src/thread/store.js";
import { patchMail, RULES_DIR, tempDir } from "./helpers.js";

const rules = loadRules(RULES_DIR);
let dir: ReturnType<typeof tempDir>;
let journal: Journal;

beforeEach(() => {
  dir = tempDir();
  journal = new Journal(join(dir.path, "j.sqlite"));
});
afterEach(() => {
  journal.close();
  dir.remove();
});

const reply = (id: string, parent: string, body: string) =>
  [
    "From: Rita Reviewer <rita@example.org>",
    "To: list@example.org",
    "Subject: Re: [PATCH] iommu: Default to lazy DMA mode on ARM64",
    "Date: Thu, 16 Apr 2026 09:00:00 +0000",
    `Message-Id: <${id}>`,
    `In-Reply-To: <${parent}>`,
    `References: <${parent}>`,
    "",
    body,
    "",
  ].join("\n");

test("a reply in a reviewed thread updates the stored digest; no digest mail is queued", async () => {
  const store = new SqliteDigestStore(journal.db);
  const worker = new ReviewWorker({
    journal,
    rules,
    policy: parsePolicy("{}", "policy.yml"),
    digests: { store, book: buildCueBook(rules) },
  });
  journal.enqueue([
    {
      messageId: "p1@example.org",
      raw: Buffer.from(patchMail({ messageId: "p1@example.org", triggers: true })),
      origin: "test",
    },
  ]);
  journal.enqueue([
    {
      messageId: "r1@example.org",
      raw: Buffer.from(
        reply(
          "r1@example.org",
          "p1@example.org",
          "Users who want this can already boot with iommu.strict=0, and distros can put that in their GRUB config.",
        ),
      ),
      origin: "test",
    },
  ]);
  while (await worker.handleNext()) {}
  const stored = store.get("p1@example.org");
  expect(stored?.digestJson).toBeDefined();
  const digest = JSON.parse(stored!.digestJson!) as ThreadDigest;
  const alternatives = digest.categories.find((c) => c.category === "alternatives")!;
  expect(alternatives.raised.map((r) => r.messageId)).toEqual(["r1@example.org"]);
  const outbox = journal.db.prepare("SELECT key FROM outbox").all() as { key: string }[];
  expect(outbox.filter((o) => o.key.startsWith("digest:"))).toEqual([]);
});

test("a reply to a thread the bot never reviewed is not tracked", async () => {
  const store = new SqliteDigestStore(journal.db);
  const worker = new ReviewWorker({
    journal,
    rules,
    policy: parsePolicy("{}", "policy.yml"),
    digests: { store, book: buildCueBook(rules) },
  });
  journal.enqueue([
    {
      messageId: "r2@example.org",
      raw: Buffer.from(reply("r2@example.org", "elsewhere@example.org", "Looks fine.")),
      origin: "test",
    },
  ]);
  while (await worker.handleNext()) {}
  expect(store.get("elsewhere@example.org")).toBeUndefined();
});
