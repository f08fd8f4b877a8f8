// The mirror worker keeps a discussion digest for threads it reviewed a patch in: a reply that joins such a
// thread updates the stored digest, and a digest mail is queued under the patch when the policy allows one.

import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { parsePolicy } from "../../src/deliver/policy.js";
import { Journal } from "../../src/mirror/journal.js";
import { ReviewWorker } from "../../src/mirror/worker.js";
import { loadRules } from "../../src/rules/load.js";
import { buildCueBook } from "../../src/thread/cues.js";
import type { ThreadDigest } from "../../src/thread/digest.js";
import { SqliteDigestStore } from "../../src/thread/store.js";
import { type PatchMailOptions, patchMail, RULES_DIR, splitMail, tempDir } from "./helpers.js";

const rules = loadRules(RULES_DIR);
const book = buildCueBook(rules);
const MINUTE = 60_000;
const T0 = Date.parse("2026-04-16T09:00:00Z");
const PATCH = "p1@example.org";
const SUBJECT = "[PATCH] iommu: Make lazy invalidation the arm64 default";
const DIGEST_ON = "defaults:\n  digest: { enabled: true, interval_minutes: 60 }\n";

const ALTERNATIVE =
  "Users who want this can already boot with iommu.strict=0, and distros can put that in their GRUB config.";
const PER_ARCH = "I would rather have no arch override at all.";
const SECURITY =
  "Keeping strict as the default is the safer path; anyone who wants the speed can already pass iommu.strict=0.";

let dir: ReturnType<typeof tempDir>;
let journal: Journal;
let now: number;

beforeEach(() => {
  dir = tempDir();
  now = T0;
  journal = new Journal(join(dir.path, "j.sqlite"), () => now);
});
afterEach(() => {
  journal.close();
  dir.remove();
});

function setUp(policy: string) {
  const store = new SqliteDigestStore(journal.db);
  const worker = new ReviewWorker({
    journal,
    rules,
    policy: parsePolicy(policy, "policy.yml"),
    now: () => now,
    digests: { store, book },
  });
  const drain = async () => {
    while (await worker.handleNext()) {}
  };
  return { store, drain };
}

const reply = (id: string, from: string, references: string[], body: string) =>
  [
    `From: ${from}`,
    "To: iommu@lists.example.org",
    `Subject: Re: ${SUBJECT}`,
    "Date: Thu, 16 Apr 2026 09:00:00 +0000",
    `Message-Id: <${id}>`,
    `In-Reply-To: <${references.at(-1)}>`,
    `References: ${references.map((r) => `<${r}>`).join(" ")}`,
    "",
    body,
    "",
  ].join("\n");

function post(id: string, raw: string): void {
  journal.enqueue([{ messageId: id, raw: Buffer.from(raw), origin: "test" }]);
}

const postPatch = (o: Partial<PatchMailOptions> = {}) =>
  post(o.messageId ?? PATCH, patchMail({ messageId: PATCH, subject: SUBJECT, triggers: true, ...o }));

const outbox = () =>
  journal.db.prepare("SELECT key, thread, payload FROM outbox WHERE kind = 'mail' ORDER BY id").all() as {
    key: string;
    thread: string;
    payload: string;
  }[];
const digestMails = () => outbox().filter((o) => o.key.startsWith("digest:"));

function storedDigest(store: SqliteDigestStore, root = PATCH): ThreadDigest {
  return JSON.parse(store.get(root)!.digestJson!) as ThreadDigest;
}

describe("digest mails enabled", () => {
  test("one mail under the patch per interval, and only when something new was said", async () => {
    const { store, drain } = setUp(DIGEST_ON);
    postPatch();
    post("r1@example.org", reply("r1@example.org", "Rita Reviewer <rita@example.org>", [PATCH], ALTERNATIVE));
    await drain();

    // The review reply's per-thread limit does not hold the digest mail back.
    expect(outbox().map((o) => o.key)).toEqual([`mail:${PATCH}`, expect.stringMatching(/^digest:/)]);
    const [first] = digestMails();
    expect(first!.thread).toBe(PATCH);
    const mail = splitMail(first!.payload);
    expect(mail.headers.get("subject")).toBe(`Re: ${SUBJECT}`);
    expect(mail.headers.get("in-reply-to")).toBe(`<${PATCH}>`);
    expect(mail.headers.get("references")).toBe(`<${PATCH}>`);
    expect(mail.headers.get("to")).toBe("Ada Example <ada@example.org>");
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    expect(mail.body).toContain("Alternatives:");
    expect(mail.body).toContain("Rita Reviewer");

    now = T0 + 30 * MINUTE;
    post("r2@example.org", reply("r2@example.org", "Bo Maintainer <bo@example.org>", [PATCH], PER_ARCH));
    await drain();
    expect(digestMails()).toHaveLength(1);
    expect(storedDigest(store).participants).toEqual(["Rita Reviewer", "Bo Maintainer"]);

    now = T0 + 2 * 60 * MINUTE;
    const third = reply(
      "r3@example.org",
      "Cy Reviewer <cy@example.org>",
      [PATCH, "r2@example.org"],
      SECURITY,
    );
    post("r3@example.org", third);
    await drain();
    expect(digestMails()).toHaveLength(2);
    const second = splitMail(digestMails()[1]!.payload);
    expect(second.body).toContain("Per-arch divergence:");
    expect(second.body).toContain("Security vs. throughput:");

    now = T0 + 5 * 60 * MINUTE;
    post("r3@example.org", third);
    await drain();
    expect(digestMails()).toHaveLength(2);
  });

  test("a digest mail does not count against the per-thread limit of review replies", async () => {
    const { drain } = setUp(`${DIGEST_ON}  rate_limit: { per_thread: 2 }\n`);
    postPatch();
    post("r1@example.org", reply("r1@example.org", "Rita Reviewer <rita@example.org>", [PATCH], ALTERNATIVE));
    postPatch({
      messageId: "p2@example.org",
      subject: "[PATCH v2] iommu: a",
      inReplyTo: PATCH,
      references: [PATCH],
    });
    await drain();
    expect(outbox().map((o) => o.key)).toEqual([
      `mail:${PATCH}`,
      expect.stringMatching(/^digest:/),
      "mail:p2@example.org",
    ]);
  });

  test("a patch sent to a muted list gets no digest mail; the stored digest is still updated", async () => {
    const { store, drain } = setUp(
      `${DIGEST_ON}lists:\n  - address: iommu@lists.example.org\n    muted: true\n`,
    );
    postPatch();
    post("r1@example.org", reply("r1@example.org", "Rita Reviewer <rita@example.org>", [PATCH], ALTERNATIVE));
    await drain();
    expect(outbox()).toEqual([]);
    expect(storedDigest(store).replies).toBe(1);
    expect(store.get(PATCH)!.lastMailedAt).toBeUndefined();
  });

  test("a mail over the hourly limit is not queued and does not use up the interval", async () => {
    const { drain } = setUp(
      "defaults:\n  digest: { enabled: true, interval_minutes: 120 }\n  rate_limit: { per_hour: 1 }\n",
    );
    postPatch();
    post("r1@example.org", reply("r1@example.org", "Rita Reviewer <rita@example.org>", [PATCH], ALTERNATIVE));
    await drain();
    expect(outbox().map((o) => o.key)).toEqual([`mail:${PATCH}`]);

    now = T0 + 61 * MINUTE;
    post("r2@example.org", reply("r2@example.org", "Bo Maintainer <bo@example.org>", [PATCH], PER_ARCH));
    await drain();
    expect(digestMails()).toHaveLength(1);
  });

  test("without the thread's root in the journal, the mail answers the first patch reviewed in it", async () => {
    const { drain } = setUp(DIGEST_ON);
    postPatch({
      subject: "[PATCH 1/2] iommu: a",
      inReplyTo: "cover@example.org",
      references: ["cover@example.org"],
    });
    const refs = ["cover@example.org", PATCH];
    post("r1@example.org", reply("r1@example.org", "Rita Reviewer <rita@example.org>", refs, ALTERNATIVE));
    await drain();
    const [digest] = digestMails();
    expect(digest!.thread).toBe("cover@example.org");
    const mail = splitMail(digest!.payload);
    expect(mail.headers.get("in-reply-to")).toBe(`<${PATCH}>`);
    expect(mail.headers.get("references")).toBe(`<cover@example.org> <${PATCH}>`);
    expect(mail.headers.get("subject")).toBe("Re: [PATCH 1/2] iommu: a");
  });
});

test("with digest mails off (the default) the stored digest is updated and no digest mail is queued", async () => {
  const { store, drain } = setUp("{}");
  postPatch();
  post("r1@example.org", reply("r1@example.org", "Rita Reviewer <rita@example.org>", [PATCH], ALTERNATIVE));
  await drain();
  const alternatives = storedDigest(store).categories.find((c) => c.category === "alternatives")!;
  expect(alternatives.raised.map((r) => r.messageId)).toEqual(["r1@example.org"]);
  expect(digestMails()).toEqual([]);
});

test("a reply to a thread the bot never reviewed is not tracked", async () => {
  const { store, drain } = setUp(DIGEST_ON);
  post(
    "r2@example.org",
    reply("r2@example.org", "Rita Reviewer <rita@example.org>", ["elsewhere@example.org"], "Looks fine."),
  );
  await drain();
  expect(store.get("elsewhere@example.org")).toBeUndefined();
  expect(outbox()).toEqual([]);
});
