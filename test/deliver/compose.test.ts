import { describe, expect, test } from "@jest/globals";
import { composeReply, replyMessageId, replyReferences, replySubject } from "../../src/deliver/compose.js";
import { parsePolicy } from "../../src/deliver/policy.js";
import { type ReplyContext, replyRecipients } from "../../src/deliver/recipients.js";
import { attribution, greeting, signature } from "../../src/deliver/reply-body.js";

const BOT = { name: "iommu-review bot", email: "bot@bots.example.org" };

const parent: ReplyContext = {
  messageId: "p3@example.org",
  subject: "[PATCH 3/3] iommu: Défaut paresseux sur arm64",
  from: { name: "José Müller", email: "jose@example.org" },
  to: [{ name: "", email: "iommu@lists.example.org" }],
  cc: [
    { name: "Rob, the Reviewer", email: "rob@example.org" },
    { name: "", email: "quiet@private.example.org" },
  ],
  references: ["p0@example.org", "p1@example.org", "p0@example.org"],
  date: "2026-04-14T09:15:00.000Z",
};

function headers(raw: string): Map<string, string> {
  const head = raw.slice(0, raw.indexOf("\n\n"));
  const map = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    map.set(line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim());
  }
  return map;
}

describe("threading", () => {
  test("Subject gets one Re:, never two", () => {
    expect(replySubject("[PATCH] x")).toBe("Re: [PATCH] x");
    expect(replySubject("RE: [PATCH] x")).toBe("RE: [PATCH] x");
  });

  test("References is the parent's chain (each id once) followed by the parent", () => {
    expect(replyReferences(parent)).toEqual(["p0@example.org", "p1@example.org", "p3@example.org"]);
  });

  test("the Message-Id depends only on what is answered, so recomposing gives the same id", () => {
    expect(replyMessageId("mail:p3@example.org", BOT)).toBe(replyMessageId("mail:p3@example.org", BOT));
    expect(replyMessageId("mail:p3@example.org", BOT)).not.toBe(replyMessageId("mail:p2@example.org", BOT));
    expect(replyMessageId("mail:p3@example.org", BOT)).toMatch(/@bots\.example\.org$/);
  });
});

describe("composeReply", () => {
  const policy = parsePolicy(
    'defaults:\n  reply_to: all\nmuted_addresses: ["*@private.example.org"]\n',
    "policy.yml",
  );
  const decision = replyRecipients(parent, policy.defaults, policy);
  if (decision.kind !== "send") throw new Error("expected recipients");

  test("non-ASCII names and subjects are RFC 2047 encoded, specials quoted, muted addresses left out", () => {
    const mail = composeReply({
      parent,
      recipients: decision.recipients,
      from: BOT,
      body: "Hi José,\n",
      date: new Date("2026-04-15T08:00:00Z"),
      messageId: "r@bots.example.org",
    });
    const h = headers(mail.raw);
    expect(h.get("to")).toBe("=?UTF-8?Q?Jos=C3=A9_M=C3=BCller?= <jose@example.org>");
    expect(h.get("cc")).toBe('iommu@lists.example.org, "Rob, the Reviewer" <rob@example.org>');
    expect(h.get("subject")).toMatch(/^Re: \[PATCH 3\/3\] iommu: =\?UTF-8\?Q\?/);
    expect(h.get("date")).toBe("Wed, 15 Apr 2026 08:00:00 +0000");
    expect(h.get("content-transfer-encoding")).toBe("8bit");
    expect(mail.envelope).toEqual({
      from: "bot@bots.example.org",
      to: ["jose@example.org", "iommu@lists.example.org", "rob@example.org"],
    });
    expect(mail.raw).not.toMatch(/[^\n]{79}/);
  });

  test("a long References chain is folded, and a body line too long for SMTP switches to quoted-printable", () => {
    const long: ReplyContext = {
      ...parent,
      references: Array.from({ length: 12 }, (_, i) => `20260414.${i}.long-message-id@example.org`),
    };
    const mail = composeReply({
      parent: long,
      recipients: decision.recipients,
      from: BOT,
      body: `${"x".repeat(1200)}\n`,
      date: new Date(0),
      messageId: "r@bots.example.org",
    });
    const head = mail.raw.slice(0, mail.raw.indexOf("\n\n"));
    for (const line of head.split("\n")) expect(line.length).toBeLessThanOrEqual(78);
    expect(headers(mail.raw).get("references")?.split(" ")).toHaveLength(13);
    expect(headers(mail.raw).get("content-transfer-encoding")).toBe("quoted-printable");
  });
});

describe("recipients", () => {
  test("reply_to author: the author only, plus the configured Cc", () => {
    const p = parsePolicy("defaults:\n  cc: [archive@example.org]\n", "policy.yml");
    expect(replyRecipients(parent, p.defaults, p)).toEqual({
      kind: "send",
      recipients: { to: [parent.from], cc: [{ name: "", email: "archive@example.org" }] },
    });
  });

  test("cc_individuals: false keeps only mailing lists from the original To and Cc", () => {
    const p = parsePolicy("defaults:\n  reply_to: all\n  cc_individuals: false\n", "policy.yml");
    const d = replyRecipients(parent, p.defaults, p);
    expect(d.kind === "send" && d.recipients.cc.map((c) => c.email)).toEqual(["iommu@lists.example.org"]);
  });

  test("a muted author, the bot's own mail and a mail without author get no reply", () => {
    const p = parsePolicy('from: "bot <bot@bots.example.org>"\nmuted_addresses: ["jose@*"]\n', "policy.yml");
    expect(replyRecipients(parent, p.defaults, p)).toEqual({
      kind: "muted",
      reason: "author jose@example.org is muted",
    });
    const own = { ...parent, from: { name: "x", email: "BOT@bots.example.org" } };
    expect(replyRecipients(own, p.defaults, p).kind).toBe("muted");
    const { from: _, ...anonymous } = parent;
    expect(replyRecipients(anonymous, p.defaults, p).kind).toBe("muted");
  });
});

describe("reply body pieces", () => {
  test("greets by the whole display name, never a guessed given name; falls back to Hello", () => {
    expect(greeting(parent)).toBe("Hi José Müller,");
    // A family name first: "Hi Lu," would be wrong.
    expect(greeting({ ...parent, from: { name: "Lu Baolu", email: "baolu.lu@example.org" } })).toBe(
      "Hi Lu Baolu,",
    );
    expect(greeting({ ...parent, from: { name: "", email: "x@example.org" } })).toBe("Hello,");
    expect(greeting({ ...parent, from: { name: "Roedel, Joerg", email: "j@example.org" } })).toBe("Hello,");
  });

  test("the signature points at the people in Cc only when the reply has some", () => {
    const withCc = signature("It reviews.", { to: [parent.from!], cc: [parent.cc[0]!] });
    const withoutCc = signature("It reviews.", { to: [parent.from!], cc: [] });
    expect(withCc.replace(/\s+/g, " ")).toContain("please answer the people in Cc.");
    expect(withoutCc).not.toContain("Cc");
    expect(withoutCc.startsWith("-- \n")).toBe(true);
  });

  test("the attribution line names the date and the sender", () => {
    expect(attribution(parent)).toBe("On Tue, 14 Apr 2026 09:15:00 +0000, José Müller wrote:");
  });
});
