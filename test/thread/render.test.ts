import { describe, expect, test } from "@jest/globals";
import { DIGEST_VERSION, type ThreadDigest } from "../../src/thread/digest.js";
import { renderDigestJson } from "../../src/thread/render-json.js";
import { renderDigestMarkdown } from "../../src/thread/render-markdown.js";
import { PENDING_SHOWN_PER_CATEGORY, renderDigestText } from "../../src/thread/render-text.js";

function digest(over: Partial<ThreadDigest> = {}): ThreadDigest {
  const byline = {
    author: "Ada Reviewer",
    email: "ada@example.org",
    date: "2026-01-05T12:00:00.000Z",
    messageId: "ada-1@example.org",
    link: "https://lore.kernel.org/r/ada-1@example.org",
  };
  return {
    version: DIGEST_VERSION,
    root: {
      messageId: "root@example.org",
      subject: "[PATCH] iommu: Default to lazy on riscv",
      author: "Pat Author",
      email: "pat@example.org",
      date: "2026-01-05T10:00:00.000Z",
      link: "https://lore.kernel.org/r/root@example.org",
      present: true,
      analysed: false,
    },
    messages: 2,
    replies: 1,
    participants: ["Ada Reviewer"],
    rules: ["iommu-default-domain-choice"],
    rulesBasis: "findings",
    categories: [
      {
        category: "security-vs-throughput",
        label: "Security vs. throughput",
        raised: [
          {
            ...byline,
            keyPhrase: "…keep *strict* as the <b>default</b>…",
            arguments: ["strict-stronger-guarantee"],
            statements: 1,
          },
        ],
      },
      { category: "evidence", label: "Evidence", raised: [] },
    ],
    notYetDiscussed: Array.from({ length: 5 }, (_, i) => ({
      id: `pending-${i}`,
      category: "security-vs-throughput" as const,
      text: `Pending argument number ${i} explains at length why one mode is safer than another in a way that runs well past seventy-two columns. A second sentence.`,
      who: null,
      where: null,
      date: null,
      rules: ["iommu-default-domain-choice"],
    })),
    alternatives: [
      {
        id: "boot-parameter",
        label: "Boot parameter",
        mentions: [{ ...byline, keyPhrase: "pass iommu.strict=0" }],
      },
    ],
    questions: [{ ...byline, text: "Why should riscv differ\u001b[31m?", repliedBy: [] }],
    ...over,
  };
}

describe("renderDigestText", () => {
  const text = renderDigestText(digest());

  test("stays within 72 columns, in ASCII, without control characters", () => {
    for (const line of text.split("\n")) expect(line.length).toBeLessThanOrEqual(72);
    expect(text).not.toMatch(/[^\x0a\x20-\x7e]/);
  });

  test("names who said what with the Message-Id and the argument id", () => {
    const flat = text.replace(/\s+/g, " ");
    expect(flat).toContain('Ada Reviewer, 2026-01-05: "...keep *strict* as the <b>default</b>..."');
    expect(text).toContain("<ada-1@example.org> [strict-stronger-guarantee]");
    expect(text).toContain("Questions (1 open):");
  });

  test("shows the top pending arguments per category and counts the rest", () => {
    expect(text).toContain("[pending-0]");
    expect(text).not.toContain(`[pending-${PENDING_SHOWN_PER_CATEGORY}]`);
    expect(text).toContain(`and ${5 - PENDING_SHOWN_PER_CATEGORY} more (see --format json)`);
  });

  test("says so when nothing has been raised", () => {
    const quiet = renderDigestText(
      digest({ categories: [], alternatives: [], questions: [], notYetDiscussed: [] }),
    );
    expect(quiet).toContain("No reply has raised an argument the rules recognise yet.");
    expect(quiet).toContain("Not yet discussed: nothing;");
  });
});

describe("renderDigestMarkdown", () => {
  const md = renderDigestMarkdown(digest(), { headingLevel: 3, foldPendingOver: 2 });

  test("escapes text from mail so that GitHub shows it literally", () => {
    expect(md).toContain("“…keep \\*strict\\* as the \\<b\\>default\\</b\\>…”");
    expect(md).toContain("### Discussion so far");
    expect(md).toContain("([message](https://lore.kernel.org/r/ada-1@example.org))");
  });

  test("folds a long not-yet-discussed list into a details block", () => {
    expect(md).toContain("<details><summary>5 known arguments not yet discussed</summary>");
    expect(renderDigestMarkdown(digest(), { foldPendingOver: 10 })).not.toContain("<details>");
  });

  test("a link that is not http(s) is shown as a Message-Id instead", () => {
    const odd = digest();
    odd.categories[0]!.raised[0]!.link = "javascript:alert(1)";
    expect(renderDigestMarkdown(odd)).toContain("(`<ada-1@example.org>`)");
  });
});

describe("renderDigestJson", () => {
  test("is the digest itself, with its version", () => {
    const json = JSON.parse(renderDigestJson(digest()));
    expect(json.version).toBe(DIGEST_VERSION);
    expect(Object.keys(json)).toEqual([
      "version",
      "root",
      "messages",
      "replies",
      "participants",
      "rules",
      "rulesBasis",
      "categories",
      "notYetDiscussed",
      "alternatives",
      "questions",
    ]);
  });
});
