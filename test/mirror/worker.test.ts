// The worker's decisions: rate limits, muted lists, embargo, series roll-up, Patchwork checks, and redoing a
// message whose review was interrupted.

import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { parsePolicy } from "../../src/deliver/policy.js";
import { Journal } from "../../src/mirror/journal.js";
import { ReviewWorker } from "../../src/mirror/worker.js";
import { loadRules } from "../../src/rules/load.js";
import { type PatchMailOptions, patchMail, RULES_DIR, tempDir } from "./helpers.js";

const rules = loadRules(RULES_DIR);
let dir: ReturnType<typeof tempDir>;
let journal: Journal;
const NOW = Date.parse("2026-04-15T08:00:00Z");

beforeEach(() => {
  dir = tempDir();
  journal = new Journal(join(dir.path, "j.sqlite"), () => NOW);
});
afterEach(() => {
  journal.close();
  dir.remove();
});

function worker(
  policy: string,
  extra: Partial<ConstructorParameters<typeof ReviewWorker>[0]> = {},
): ReviewWorker {
  return new ReviewWorker({
    journal,
    rules,
    policy: parsePolicy(policy, "policy.yml"),
    now: () => NOW,
    ...extra,
  });
}

function post(o: PatchMailOptions, patchworkId?: number): void {
  journal.enqueue([
    {
      messageId: o.messageId,
      raw: Buffer.from(patchMail(o)),
      origin: "test",
      ...(patchworkId && { patchworkId }),
    },
  ]);
}

async function drain(w: ReviewWorker): Promise<void> {
  while (await w.handleNext()) {}
}

const outcomes = () =>
  Object.fromEntries(
    (
      journal.db.prepare("SELECT message_id, outcome FROM messages").all() as {
        message_id: string;
        outcome: string;
      }[]
    ).map((r) => [r.message_id, r.outcome]),
  );
const outbox = () =>
  journal.db.prepare("SELECT key, kind, not_before AS notBefore, payload FROM outbox ORDER BY id").all() as {
    key: string;
    kind: string;
    notBefore: number;
    payload: string;
  }[];

/** outbox.answers of every entry: the Message-Id of the message each one replies to, never the reply's own. */
const answered = () => journal.db.prepare("SELECT answers FROM outbox ORDER BY id").pluck().all() as string[];

test("a reply's outbox entry names the patch it answers", async () => {
  post({ messageId: "answered@example.org" });
  await drain(worker(""));
  expect(outbox().map((e) => e.kind)).toEqual(["mail"]);
  expect(answered()).toEqual(["answered@example.org"]);
});

describe("rate limits", () => {
  test("per thread: the second triggering patch of a thread gets no reply", async () => {
    post({
      messageId: "t-1@example.org",
      subject: "[PATCH 1/2] a",
      inReplyTo: "t-0@example.org",
      references: ["t-0@example.org"],
    });
    post({
      messageId: "t-2@example.org",
      subject: "[PATCH 2/2] b",
      inReplyTo: "t-0@example.org",
      references: ["t-0@example.org"],
    });
    await drain(worker("{}"));
    expect(outcomes()).toEqual({
      "t-1@example.org": "replied",
      "t-2@example.org": "reviewed; no reply: rate-limited: 1 per thread",
    });
    expect(outbox().map((e) => e.key)).toEqual(["mail:t-1@example.org"]);
  });

  test("per hour, counted per list", async () => {
    for (let i = 1; i <= 3; i++) post({ messageId: `h-${i}@example.org` });
    post({ messageId: "other@example.org", to: "other@lists.example.org" });
    await drain(
      worker(`
defaults: { rate_limit: { per_hour: 2 } }
lists: [{ address: iommu@lists.example.org }]
`),
    );
    expect(outcomes()["h-3@example.org"]).toBe(
      "reviewed; no reply: rate-limited: 2 per hour for iommu@lists.example.org",
    );
    expect(outcomes()["other@example.org"]).toBe("replied");
    expect(outbox()).toHaveLength(3);
  });
});

describe("policy", () => {
  test("a message sent to a muted list is reviewed and not answered", async () => {
    post({ messageId: "m-1@example.org", cc: "linux-media@lists.example.org" });
    await drain(worker("lists: [{ address: linux-media@lists.example.org, muted: true }]"));
    expect(outcomes()).toEqual({
      "m-1@example.org": "reviewed; no reply: muted: list linux-media@lists.example.org",
    });
    expect(outbox()).toEqual([]);
  });

  test("the embargo holds the reply back", async () => {
    post({ messageId: "e-1@example.org" });
    await drain(worker("defaults: { embargo_minutes: 90 }"));
    expect(outbox()[0]!.notBefore).toBe(NOW + 90 * 60_000);
  });
});

describe("series", () => {
  const ROLLUP = "defaults: { series_rollup: true, reply_to: all }";
  const member = (i: number, triggers: boolean): PatchMailOptions => ({
    messageId: `s-${i}@example.org`,
    subject: `[PATCH v2 ${i}/3] iommu: step ${i}`,
    inReplyTo: "s-0@example.org",
    references: ["s-0@example.org"],
    triggers,
  });

  test("with series_rollup, one reply to the cover letter once every patch is reviewed", async () => {
    const w = worker(ROLLUP);
    journal.enqueue([
      {
        messageId: "s-0@example.org",
        raw: Buffer.from(
          "From: Ada Example <ada@example.org>\nTo: iommu@lists.example.org\nCc: Bob <bob@example.org>\n" +
            "Subject: [PATCH v2 0/3] iommu: lazy arm64\nMessage-Id: <s-0@example.org>\n\nCover letter.\n",
        ),
        origin: "test",
      },
    ]);
    post(member(1, false));
    post(member(2, true));
    await drain(w);
    expect(outbox()).toEqual([]);
    post(member(3, false));
    await drain(w);

    const entries = outbox();
    expect(entries.map((e) => e.key)).toEqual(["rollup:s-0@example.org#v2"]);
    const mail = entries[0]!.payload;
    expect(mail).toMatch(/^In-Reply-To: <s-0@example.org>$/m);
    expect(mail).toMatch(/^Subject: Re: \[PATCH v2 0\/3\] iommu: lazy arm64$/m);
    expect(mail).toMatch(/^Cc: iommu@lists.example.org, Bob <bob@example.org>$/m);
    expect(mail).toContain("all 3 patches of this series; 1 of them changes");
    expect(mail).toContain("[PATCH v2 1/3] iommu: step 1: no findings.");
    expect(mail).toContain("> +\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64");
    expect(outcomes()["s-3@example.org"]).toBe("reviewed; roll-up queued");
    expect(outcomes()["s-2@example.org"]).toBe("reviewed; roll-up pending");
    expect(answered()).toEqual(["s-0@example.org"]);
  });

  test("without series_rollup, only the triggering patch gets a reply", async () => {
    for (let i = 1; i <= 3; i++) post(member(i, i === 2));
    await drain(worker("{}"));
    expect(outbox().map((e) => e.key)).toEqual(["mail:s-2@example.org"]);
  });
});

describe("Patchwork checks and crashes", () => {
  test("a check is queued for each reviewed patch, with the patch id the poller knew", async () => {
    post({ messageId: "pw-1@example.org" }, 4242);
    post({ messageId: "pw-2@example.org", triggers: false });
    await drain(
      worker("{}", { patchworkChecks: true, checkTargetUrl: (id) => `https://ci.example.org/${id}` }),
    );
    const checks = outbox()
      .filter((e) => e.kind === "check")
      .map((e) => JSON.parse(e.payload));
    expect(checks).toEqual([
      {
        msgid: "pw-1@example.org",
        patchId: 4242,
        state: "warning",
        description: "Per-architecture default of the IOMMU default domain type changes (changes arm64)",
        targetUrl: "https://ci.example.org/pw-1@example.org",
      },
      {
        msgid: "pw-2@example.org",
        state: "success",
        description: "No change to an architecture-conditional IOMMU default",
        targetUrl: "https://ci.example.org/pw-2@example.org",
      },
    ]);
  });

  test("a review interrupted before its commit is done again by the next worker, once", async () => {
    post({ messageId: "c-1@example.org" });
    // The first process claimed the message and died before committing anything.
    expect(journal.claimNext()?.attempts).toBe(1);
    await drain(worker("{}"));
    await drain(worker("{}"));
    expect(outcomes()).toEqual({ "c-1@example.org": "replied" });
    expect(outbox()).toHaveLength(1);
  });

  test("a message without Message-Id is reviewed but cannot be answered", async () => {
    journal.enqueue([
      {
        messageId: "abc@no-message-id.invalid",
        raw: Buffer.from(patchMail({ messageId: "x" }).replace(/^Message-Id:.*\n/m, "")),
        origin: "t",
      },
    ]);
    await drain(worker("{}"));
    expect(outcomes()).toEqual({
      "abc@no-message-id.invalid": "reviewed; no reply: the message has no Message-Id",
    });
  });
});

test("with reply_when_clean, a patch without findings gets a short reply instead of the review", async () => {
  post({ messageId: "clean@example.org", triggers: false });
  await drain(worker("defaults: { reply_when_clean: true }"));
  const [entry] = outbox();
  expect(entry!.payload).toContain(
    "\n\nHi Ada Example,\n\niommu-review found no change to an architecture-conditional IOMMU\n",
  );
  expect(entry!.payload).not.toContain("wrote:");
});

describe("reply_min_severity", () => {
  /** A patch whose only finding is an info one (a C line setting the DMA strictness). */
  const infoOnly = (messageId: string) =>
    journal.enqueue([
      {
        messageId,
        origin: "test",
        raw: Buffer.from(
          [
            "From: Ada Example <ada@example.org>",
            "To: iommu@lists.example.org",
            "Subject: [PATCH] iommu: lazy on riscv",
            `Message-Id: <${messageId}>`,
            "",
            "Lazy on riscv, where IOMMU_DMA is off in v6.12: an info finding (no effective change).",
            "---",
            "diff --git a/drivers/iommu/Kconfig b/drivers/iommu/Kconfig",
            "--- a/drivers/iommu/Kconfig",
            "+++ b/drivers/iommu/Kconfig",
            "@@ -97,3 +97,3 @@ choice",
            " \tdepends on IOMMU_API",
            "-\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
            "+\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || RISCV",
            " \tdefault IOMMU_DEFAULT_DMA_STRICT",
            "",
          ].join("\n"),
        ),
      },
    ]);

  test("by default an info-only patch gets no reply, and the next patch's warning in the thread still does", async () => {
    const w = worker("");
    infoOnly("info-1@example.org");
    await drain(w);
    expect(outcomes()["info-1@example.org"]).toBe(
      "reviewed; no reply: no finding of severity warning or higher",
    );
    expect(outbox()).toEqual([]);
    post({
      messageId: "warn-2@example.org",
      inReplyTo: "info-1@example.org",
      references: ["info-1@example.org"],
    });
    await drain(w);
    expect(outcomes()["warn-2@example.org"]).toBe("replied");
    expect(answered()).toEqual(["warn-2@example.org"]);
  });

  test("set to info, the info-only patch is answered", async () => {
    infoOnly("info-3@example.org");
    await drain(worker("defaults: { reply_min_severity: info }"));
    expect(outcomes()["info-3@example.org"]).toBe("replied");
  });
});
