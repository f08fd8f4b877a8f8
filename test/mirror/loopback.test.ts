// End to end over loopback: a signed POST lands in the journal, is reviewed, and the reply lands in the Maildir
// outbox, threaded under the patch.

import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { type Harness, startHarness } from "./harness.js";
import { FLAGSHIP, patchMail, readMaildir, signedPost } from "./helpers.js";

const REPLY_ALL = `
from: "iommu-review bot <iommu-review@bots.example.org>"
defaults:
  reply_to: all
`;

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ policy: REPLY_ALL });
});
afterEach(async () => {
  await h.close();
});

describe("the ARM64 example patch, posted as a signed raw message", () => {
  test("produces exactly one threaded reply that quotes the Kconfig line and carries the review", async () => {
    const raw = readFileSync(FLAGSHIP);
    const first = await signedPost(h.url, raw);
    expect(first.status).toBe(202);
    expect(first.json.messages).toEqual([
      { messageId: "20260402200500.4242-1-lee.lazyman@example.org", status: "queued" },
    ]);
    await h.settled();

    const mails = readMaildir(h.outbox);
    expect(mails).toHaveLength(1);
    const reply = mails[0]!;
    expect(reply.headers.get("in-reply-to")).toBe("<20260402200500.4242-1-lee.lazyman@example.org>");
    expect(reply.headers.get("references")).toBe("<20260402200500.4242-1-lee.lazyman@example.org>");
    expect(reply.headers.get("subject")).toBe("Re: [RFC PATCH] iommu: Default to lazy DMA mode on ARM64");
    expect(reply.headers.get("to")).toBe("Lee Lazyman <lee.lazyman@example.org>");
    expect(reply.headers.get("cc")).toBe("iommu-list@example.org");
    expect(reply.headers.get("from")).toBe("iommu-review bot <iommu-review@bots.example.org>");
    expect(reply.headers.get("auto-submitted")).toBe("auto-generated");
    expect(reply.headers.get("message-id")).toMatch(/^<iommu-review\.[0-9a-f]{24}@bots\.example\.org>$/);
    expect(reply.headers.get("date")).toMatch(/^\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);

    expect(reply.body).toContain("> +\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64\n");
    expect(reply.body).toMatch(
      /^Hi Lee Lazyman,\n\nOn Thu, 2 Apr 2026 20:05:00 \+0000, Lee Lazyman wrote:\n> /,
    );
    expect(reply.body).toMatch(/^ {2}arm64 +IOMMU_DEFAULT_DMA_STRICT +IOMMU_DEFAULT_DMA_LAZY +yes$/m);
    expect(reply.body).toContain("[iommu-default-domain-choice]");
    expect(reply.body).toContain("Known arguments");
    expect(reply.body).toContain("Commit message check:");
    expect(reply.body).toContain("\n-- \niommu-review");
    // The reply does not repeat the patch's own header block (its headers already say all that).
    expect(reply.body).not.toContain("Message-Id: <20260402200500");

    // Posting it again produces nothing.
    const again = await signedPost(h.url, raw);
    expect(again.status).toBe(200);
    expect(again.json.messages).toEqual([
      { messageId: "20260402200500.4242-1-lee.lazyman@example.org", status: "duplicate" },
    ]);
    await h.settled();
    expect(readMaildir(h.outbox)).toHaveLength(1);
    expect(h.journal.counts()).toMatchObject({ done: 1, pending: 0, outboxSent: 1 });
  });
});

describe("threading and recipients", () => {
  test("References carries the parent's whole chain, and Cc folds in To and Cc without duplicates", async () => {
    const mail = patchMail({
      messageId: "patch-2@example.org",
      subject: "[PATCH v2 2/2] iommu: Make lazy invalidation the arm64 default",
      from: "Ada Example <ada@example.org>",
      to: "Joe Maintainer <joe@example.org>, iommu@lists.example.org",
      cc: "ADA@example.org, joe@example.org, Rob Reviewer <rob@example.org>, iommu-review@bots.example.org",
      inReplyTo: "cover-0@example.org",
      references: ["cover-0@example.org"],
    });
    expect((await signedPost(h.url, mail)).status).toBe(202);
    await h.settled();
    const [reply] = readMaildir(h.outbox);
    expect(reply!.headers.get("in-reply-to")).toBe("<patch-2@example.org>");
    expect(reply!.headers.get("references")).toBe("<cover-0@example.org> <patch-2@example.org>");
    expect(reply!.headers.get("subject")).toBe(
      "Re: [PATCH v2 2/2] iommu: Make lazy invalidation the arm64 default",
    );
    expect(reply!.headers.get("to")).toBe("Ada Example <ada@example.org>");
    // The author and the bot itself are not copied; joe appears once, with the name he was first given.
    expect(reply!.headers.get("cc")).toBe(
      "Joe Maintainer <joe@example.org>, iommu@lists.example.org, Rob Reviewer <rob@example.org>",
    );
  });

  test("a patch without findings is reviewed but not answered", async () => {
    const mail = patchMail({ messageId: "clean-1@example.org", triggers: false });
    expect((await signedPost(h.url, mail)).status).toBe(202);
    await h.settled();
    expect(readMaildir(h.outbox)).toHaveLength(0);
    const row = h.journal.db.prepare("SELECT state, outcome FROM messages").get();
    expect(row).toEqual({ state: "done", outcome: "reviewed; no reply: no findings" });
  });

  test("a mail from another robot (Auto-Submitted) is never answered", async () => {
    const mail = patchMail({
      messageId: "robot-1@example.org",
      extraHeaders: ["Auto-Submitted: auto-generated"],
    });
    expect((await signedPost(h.url, mail)).status).toBe(202);
    await h.settled();
    expect(readMaildir(h.outbox)).toHaveLength(0);
    expect(h.journal.db.prepare("SELECT outcome FROM messages").pluck().get()).toBe(
      "skipped: auto-submitted",
    );
  });

  test("an mbox carrying a series of patches is accepted in one request, one reply per triggering patch", async () => {
    const mbox = [
      patchMail({ messageId: "s-1@example.org", subject: "[PATCH 1/2] iommu: help text", triggers: false }),
      patchMail({
        messageId: "s-2@example.org",
        subject: "[PATCH 2/2] iommu: lazy on arm64",
        inReplyTo: "s-1@example.org",
        references: ["s-1@example.org"],
      }),
    ]
      .map((m) => `From ada@example.org Tue Apr 14 09:15:00 2026\n${m}`)
      .join("\n");
    const res = await signedPost(h.url, mbox, "application/mbox");
    expect(res.status).toBe(202);
    expect(res.json.messages?.map((m) => m.status)).toEqual(["queued", "queued"]);
    await h.settled();
    const mails = readMaildir(h.outbox);
    expect(mails.map((m) => m.headers.get("in-reply-to"))).toEqual(["<s-2@example.org>"]);
  });
});
