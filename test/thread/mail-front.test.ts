import { describe, expect, test } from "@jest/globals";
import { splitMbox } from "../../src/ingest/mbox.js";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";
import { buildCueBook } from "../../src/thread/cues.js";
import {
  type ThreadFrontOptions,
  trackReviewedPatch,
  updateThreadDigest,
} from "../../src/thread/mail-front.js";
import { MemoryDigestStore } from "../../src/thread/store.js";
import { mail, ROOT_SUBJECT, syntheticMbox } from "./messages.js";

const rules = loadRules(DEFAULT_RULES_DIR);
const book = buildCueBook(rules);
const [patch, ada, bo, pat] = splitMbox(syntheticMbox()).map((m) => Buffer.from(m));
const ROOT = "riscv-lazy-1@example.org";
const HOUR = 3_600_000;
const T0 = Date.parse("2026-01-05T12:00:00Z");

const thanks = Buffer.from(
  mail({
    from: "Cy Bystander <cy@example.org>",
    date: "Tue, 06 Jan 2026 12:00:00 +0000",
    subject: `Re: ${ROOT_SUBJECT}`,
    id: "cy-1@example.org",
    inReplyTo: "pat-2@example.org",
    references: [ROOT, "pat-2@example.org"],
    body: "Works for me.",
  }),
);

async function setUp(enabled = true) {
  const store = new MemoryDigestStore();
  let now = T0;
  const opts: ThreadFrontOptions = {
    store,
    rules,
    book,
    policy: { enabled, intervalMinutes: 60 },
    now: () => now,
  };
  await trackReviewedPatch(store, ROOT, patch!, now);
  return { store, opts, at: (t: number) => (now = t) };
}

describe("updateThreadDigest", () => {
  test("a message of a thread the bot did not review is left alone", async () => {
    const { opts } = await setUp();
    const other = Buffer.from(
      mail({
        from: "A <a@x>",
        date: "Mon, 05 Jan 2026 12:00:00 +0000",
        subject: "Re: other",
        id: "o@x",
        inReplyTo: "elsewhere@x",
        body: "hi",
      }),
    );
    expect(await updateThreadDigest(other, opts)).toEqual({ kind: "untracked" });
  });

  test("mails the digest at most once per interval, and only when something new was said", async () => {
    const { store, opts, at } = await setUp();

    const first = await updateThreadDigest(ada!, opts);
    expect(first).toMatchObject({ kind: "updated", root: ROOT });
    if (first.kind !== "updated") throw new Error("unreachable");
    expect(first.mail).toMatchObject({ inReplyTo: ROOT, subject: `Re: ${ROOT_SUBJECT}` });
    expect(first.mail!.key).toMatch(new RegExp(`^digest:${ROOT}:[0-9a-f]{16}$`));
    expect(first.mail!.body).toContain("Ada Reviewer");

    at(T0 + HOUR / 2);
    const second = await updateThreadDigest(bo!, opts);
    expect(second).toMatchObject({
      kind: "updated",
      noMail: expect.stringMatching(/^one digest mail per 60 minutes/),
    });
    expect(JSON.parse(store.get(ROOT)!.digestJson!).participants).toEqual(["Ada Reviewer", "Bo Maintainer"]);

    at(T0 + 2 * HOUR);
    const third = await updateThreadDigest(pat!, opts);
    expect(third).toMatchObject({ kind: "updated", mail: expect.objectContaining({ inReplyTo: ROOT }) });
    expect(await updateThreadDigest(pat!, opts)).toEqual({ kind: "duplicate", root: ROOT });

    at(T0 + 10 * HOUR);
    expect(await updateThreadDigest(thanks, opts)).toMatchObject({
      noMail: "nothing new since the last digest mail",
    });
  });

  test("with digest mails off the stored digest is still kept up to date", async () => {
    const { store, opts } = await setUp(false);
    expect(await updateThreadDigest(ada!, opts)).toMatchObject({
      kind: "updated",
      noMail: "digest mails are off",
    });
    expect(store.get(ROOT)!.digestKey).toMatch(/^[0-9a-f]{16}$/);
    expect(store.get(ROOT)!.lastMailedAt).toBeUndefined();
  });

  test("a mail the caller holds back does not use up the interval", async () => {
    const { store, opts } = await setUp();
    const held = await updateThreadDigest(ada!, { ...opts, holdBack: () => "rate-limited: 1 per hour" });
    expect(held).toMatchObject({ noMail: "rate-limited: 1 per hour" });
    expect(store.get(ROOT)!.lastMailedAt).toBeUndefined();
    expect(await updateThreadDigest(bo!, opts)).toMatchObject({
      mail: expect.objectContaining({ inReplyTo: ROOT }),
    });
  });

  test("a reply that says nothing the rules know does not start the mails", async () => {
    const { opts } = await setUp();
    expect(await updateThreadDigest(thanks, opts)).toMatchObject({ noMail: "nothing raised yet" });
  });
});
