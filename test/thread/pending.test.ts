// "Not yet discussed" only when it is true, the opener that is not a patch, and what counts as evidence:
// on threads written for these tests, with the shipped rules.

import { describe, expect, test } from "@jest/globals";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";
import { buildCueBook, unknownTwins } from "../../src/thread/cues.js";
import { buildDigest, type RulesBasis } from "../../src/thread/digest.js";
import type { ThreadMessage } from "../../src/thread/model.js";
import { renderDigestMarkdown } from "../../src/thread/render-markdown.js";
import { renderDigestText } from "../../src/thread/render-text.js";
import { buildThread } from "../../src/thread/tree.js";
import { message, root } from "./messages.js";

const rules = loadRules(DEFAULT_RULES_DIR);
const book = buildCueBook(rules);
const rule = (id: string) => rules.filter((r) => r.id === id);

function digestOf(messages: ThreadMessage[], expected = rules, rulesBasis: RulesBasis = "findings") {
  return buildDigest({ thread: buildThread(messages), book, rules: expected, rulesBasis }).digest;
}

const reply = (id: string, body: string, name = "Ada Reviewer") =>
  message({
    id,
    inReplyTo: "root@example.org",
    references: ["root@example.org"],
    from: { name, email: `${name.split(" ")[0]!.toLowerCase()}@example.org` },
    body,
  });

const pendingIds = (messages: ThreadMessage[], expected = rules) =>
  digestOf(messages, expected).notYetDiscussed.map((a) => a.id);

describe("not yet discussed", () => {
  test("never lists an argument whose cited source is a message of the thread, matched or not", () => {
    const cited = rules.flatMap((r) => r.arguments).find((a) => a.id === "strict-stronger-guarantee")!;
    expect(cited.where).toBeDefined();
    const thread = [root(), reply(cited.where!, "I have said what I think already.", "Pranjal Reviewer")];
    expect(pendingIds(thread)).not.toContain("strict-stronger-guarantee");
    expect(pendingIds([root(), reply("other@example.org", "I have said what I think already.")])).toContain(
      "strict-stronger-guarantee",
    );
  });

  test("twins count once: a reply matching one is credited once and the other is not pending", () => {
    expect(unknownTwins(rules)).toEqual([]);
    const both = [...rule("iommu-default-domain-choice"), ...rule("iommu-strictness-in-c")];
    const text =
      "In guests with caching mode, the Intel driver has to stay strict because batching flushes costs.";
    const digest = digestOf([root(), reply("ada-twin@example.org", text)], both);
    const credited = digest.categories.flatMap((c) => c.raised.flatMap((r) => r.arguments));
    expect(credited.filter((id) => id.startsWith("vm-caching-mode"))).toHaveLength(1);
    const pending = digest.notYetDiscussed.map((a) => a.id);
    expect(pending).not.toContain("vm-caching-mode-inverts");
    expect(pending).not.toContain("vm-caching-mode-needs-strict");
  });

  test("lists only the expected rules' arguments, and none at all when no rule fired, saying so in one line", () => {
    const only = pendingIds([root()], rule("iommu-dma-arch-list"));
    const ids = new Set(rule("iommu-dma-arch-list")[0]!.arguments.map((a) => a.id));
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((id) => ids.has(id))).toBe(true);

    const none = digestOf([root(), reply("ada-none@example.org", "Looks fine.")], [], "none");
    expect(none.notYetDiscussed).toEqual([]);
    const text = renderDigestText(none);
    expect(text).toContain("Not yet discussed: not listed; no rule fired on this thread's patches.");
    expect(text.match(/not yet discussed/gi)).toHaveLength(1);
    expect(renderDigestMarkdown(none)).toContain("**Not yet discussed**: not listed; no rule fired");
  });
});

describe("an opener that is not a patch", () => {
  test("is analysed like a reply, and the header says so", () => {
    const question = root({
      isPatch: false,
      subject: "Why is arm64 strict when x86 is lazy?",
      from: { name: "Una User", email: "una@example.org" },
      body: "Our arm64 servers are slower than x86 ones. Why should arm64 not be lazy like x86, when strict is only about security?\n",
    });
    const digest = digestOf(
      [question, reply("bo-1@example.org", "Thanks, looking.", "Bo Maintainer")],
      [],
      "none",
    );
    expect(digest.root.analysed).toBe(true);
    const raisedBy = digest.categories.flatMap((c) => c.raised.map((r) => r.messageId));
    expect(raisedBy).toContain("root@example.org");
    expect(renderDigestText(digest).replace(/\s+/g, " ")).toContain(
      "the opening message is not a patch and is read like a reply",
    );
  });

  test("a patch opener is not analysed", () => {
    expect(digestOf([root(), reply("bo-2@example.org", "Looks fine.")]).root.analysed).toBe(false);
  });
});

describe("evidence means a measurement tied to strictness, a flush or IOPS", () => {
  const evidence = book.categories.find((c) => c.category === "evidence")!.cues;
  test.each([
    "With lazy mode the eMMC went from 74 to 86 MB/s on our board.",
    "Fixing the allocator took strict from 600K → 1300K IOPS.",
    "Strict is about 30% slower than lazy on this NIC.",
    "We measured 39.8 Gbps lazy against 14.9 Gbps strict.",
    "With iommu passthrough the unmap latency is mainly 1-2us.",
  ])("evidence: %s", (sentence) => {
    expect(evidence.match(sentence)).toBeDefined();
  });
  test.each([
    "Receiving objects: 100% (125712/125712), 48.10 MiB | 9.70 MiB/s, done.",
    "We want 100% strictness for these devices.",
    "I tested it on a 40GBE NIC with strict mode.",
    "The flush queue drains on a 10 ms timer.",
    "80253888 80253888 100% 0.06K 1253967 64 5015868K iommu_iova",
  ])("not evidence: %s", (sentence) => {
    expect(evidence.match(sentence)).toBeUndefined();
  });
});

describe("pasted tool output", () => {
  test("a boot-log line or git progress is never classified, whatever words it holds", () => {
    const log = [
      "[    0.000000] Kernel command line: console=ttyS0 iommu.strict=0 iommu=pt",
      "Receiving objects: 100% (125712/125712), done.",
    ].join("\n");
    const digest = digestOf([root(), reply("ada-log@example.org", log)], [], "none");
    expect(digest.categories.flatMap((c) => c.raised)).toEqual([]);
    const own = "Booting with iommu.strict=0 on the command line already gives you lazy mode.";
    const credited = digestOf([root(), reply("ada-own@example.org", own)], [], "none");
    expect(credited.categories.find((c) => c.category === "alternatives")!.raised).toHaveLength(1);
  });
});
