import { describe, expect, test } from "@jest/globals";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";
import { buildCueBook } from "../../src/thread/cues.js";
import { buildDigest, type ThreadDigest } from "../../src/thread/digest.js";
import { readThreadMail } from "../../src/thread/read-mail.js";
import { rulesFiredInThread } from "../../src/thread/relevant-rules.js";
import { buildThread } from "../../src/thread/tree.js";
import { syntheticMbox } from "./messages.js";
import { readSeedMbox, SEED_IDS, SEED_THREAD_FILE, seedThreadAvailable } from "./seed-mbox.js";

const rules = loadRules(DEFAULT_RULES_DIR);
const book = buildCueBook(rules);

async function digestOf(mbox: string): Promise<ThreadDigest> {
  const input = await readThreadMail(Buffer.from(mbox));
  expect(input.errors).toEqual([]);
  const thread = buildThread(input.messages);
  const relevant = await rulesFiredInThread(thread, input.raw, rules);
  return buildDigest({ thread, book, rules: relevant.rules, rulesBasis: relevant.basis }).digest;
}

/** Category → known argument ids credited to one message ("" stands for a category-only statement). */
function creditsOf(digest: ThreadDigest, messageId: string): Record<string, string[]> {
  const credits: Record<string, string[]> = {};
  for (const c of digest.categories) {
    for (const r of c.raised)
      if (r.messageId === messageId) credits[c.category] = r.arguments.length ? r.arguments : [""];
  }
  return credits;
}

const alternativesOf = (digest: ThreadDigest, messageId: string) =>
  digest.alternatives.filter((a) => a.mentions.some((m) => m.messageId === messageId)).map((a) => a.id);

describe("digest of a thread written for this test", () => {
  test("credits each reply with what its own text says, not what it quotes", async () => {
    const digest = await digestOf(syntheticMbox());
    expect(digest.rules).toEqual(["iommu-default-domain-choice"]);
    expect(digest.rulesBasis).toBe("findings");
    expect(digest.replies).toBe(3);
    expect(creditsOf(digest, "ada-1@example.org")).toEqual({
      "security-vs-throughput": ["strict-stronger-guarantee"],
      alternatives: ["boot-param-and-bootloader"],
    });
    expect(creditsOf(digest, "bo-1@example.org")).toEqual({
      "per-arch-divergence": ["no-arch-specific-defaults"],
    });
    // The author's reply quotes Bo and only agrees.
    expect(creditsOf(digest, "pat-2@example.org")).toEqual({});
    expect(alternativesOf(digest, "ada-1@example.org")).toEqual(["boot-parameter"]);
    expect(alternativesOf(digest, "bo-1@example.org")).toEqual(["arch-neutral-kconfig"]);
  });

  test("lists the known arguments nobody raised, and questions with who took them up", async () => {
    const digest = await digestOf(syntheticMbox());
    const pending = digest.notYetDiscussed.map((a) => a.id);
    expect(pending).toEqual(expect.arrayContaining(["lazy-window", "untrusted-devices-forced-strict"]));
    expect(pending).not.toContain("no-arch-specific-defaults");
    expect(pending).not.toContain("boot-param-and-bootloader");
    expect(digest.questions).toEqual([
      expect.objectContaining({
        author: "Ada Reviewer",
        text: "Why should riscv get a default of its own?",
        repliedBy: ["Bo Maintainer"],
      }),
    ]);
  });
});

(seedThreadAvailable() ? describe : describe.skip)(`seed thread (${SEED_THREAD_FILE})`, () => {
  test("done when: each reply is credited with the arguments the issue names", async () => {
    const digest = await digestOf(readSeedMbox());
    expect(digest.root.messageId).toBe(SEED_IDS.rfc);
    expect(digest.replies).toBe(3);

    const robin = creditsOf(digest, SEED_IDS.robin);
    expect(robin["security-vs-throughput"]).toBeDefined();
    expect(robin["per-arch-divergence"]).toEqual(expect.arrayContaining(["clean-up-legacy-instead"]));
    expect(robin.alternatives).toEqual(expect.arrayContaining(["defconfig-is-not-a-distro-config"]));

    const pranjal = creditsOf(digest, SEED_IDS.pranjal);
    expect(pranjal.alternatives).toEqual(expect.arrayContaining(["boot-param-and-bootloader"]));
    expect(pranjal["security-vs-throughput"]).toEqual(expect.arrayContaining(["strict-stronger-guarantee"]));
    expect(alternativesOf(digest, SEED_IDS.pranjal)).toEqual(
      expect.arrayContaining(["boot-parameter", "distro-config"]),
    );

    expect(creditsOf(digest, SEED_IDS.jason)).toEqual({
      "per-arch-divergence": ["no-arch-specific-defaults"],
    });
    expect(alternativesOf(digest, SEED_IDS.jason)).toEqual(["arch-neutral-kconfig"]);

    const pending = digest.notYetDiscussed.map((a) => a.id);
    expect(pending).toEqual(expect.arrayContaining(["untrusted-devices-forced-strict", "lazy-window"]));
  });

  test("each entry carries author, date, Message-Id, link and a short quoted phrase", async () => {
    const digest = await digestOf(readSeedMbox());
    const entries = digest.categories.flatMap((c) => c.raised);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.author).toMatch(/\w/);
      expect(e.date).toMatch(/^2026-04-0\d/);
      expect(e.messageId).toMatch(/@/);
      expect(e.link).toMatch(/^https:\/\/lore\.kernel\.org\/r\//);
      expect(e.keyPhrase.replace(/…/g, "").split(/\s+/).length).toBeLessThanOrEqual(12);
    }
  });

  test("the question Jason Gunthorpe quoted and answered is taken up; his own stays open", async () => {
    const digest = await digestOf(readSeedMbox());
    const byAuthor = (name: string) => digest.questions.filter((q) => q.author === name);
    expect(byAuthor("Pranjal Shrivastava").map((q) => q.repliedBy)).toEqual([["Jason Gunthorpe"]]);
    expect(byAuthor("Jason Gunthorpe").map((q) => q.repliedBy)).toEqual([[]]);
  });
});
