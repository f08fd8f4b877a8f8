import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import PostalMime, { type Email } from "postal-mime";
import { readFieldsOnly } from "../../src/parse/header-subset.js";
import { FUZZ } from "./budget.js";

// parse/mail.ts hands postal-mime only the fields it reads. Whatever the header block looks like, postal-mime
// must read those fields from the cut block exactly as from the whole one.

const readField = fc.constantFrom(
  "From: Alice Example <alice@example.org>",
  'From: "Example, Alice" <alice@example.org>',
  "From: =?UTF-8?B?SsO8cmdlbg==?= <j@example.org>",
  "To: widgets@lists.example.org",
  "Cc: Bob <bob@example.org>,\n Carol <carol@example.org>",
  "CC: dave@example.org",
  "Subject: [PATCH v2 1/2] widget: flush",
  "Subject: first\n\tfolded",
  "subject  : spaced name",
  "Subject\n : folded before the colon",
  "Subject: =?ISO-8859-1?Q?caf=E9?= menu",
  "Date: Wed, 15 May 2019 09:00:00 +0200",
  "Message-ID: <m1@example.org>",
  "Message-Id: <m2@example.org>",
  "In-Reply-To: <parent@example.org>",
  "References: <root@example.org>\n <parent@example.org>",
  "MIME-Version: 1.0",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: 8bit",
);
const otherField = fc.constantFrom(
  "Received: from mail.example.org (mail.example.org [192.0.2.1])\n\tby mx.example.org; Wed, 15 May 2019",
  "DKIM-Signature: v=1; a=rsa-sha256;\n\tb=AAAA\n\tBBBB",
  "X-Mailer: git-send-email 2.39.5",
  "X-Bare: a\rSubject: hidden behind a bare CR",
  "X-Folded: one\n two\n\tthree",
  "List-Id: <widgets.lists.example.org>",
  "Sender: list-bounces@example.org",
  "Delivered-To: someone@example.org",
  "Not a header line at all",
  " a stray continuation",
  `X-Long-${"n".repeat(90)}: value`,
);

const headerBlock = fc
  .tuple(fc.array(fc.oneof(readField, otherField), { minLength: 1, maxLength: 14 }), fc.boolean())
  .map(([fields, crlf]) => {
    const text = `${fields.join("\n")}\n`;
    return Buffer.from(crlf ? text.replace(/\n/g, "\r\n") : text, "utf8");
  });

/** What parse/mail.ts reads of postal-mime's result. */
function readPart(email: Email) {
  return {
    from: email.from,
    to: email.to,
    cc: email.cc,
    subject: email.subject,
    date: email.date,
    messageId: email.messageId,
    inReplyTo: email.inReplyTo,
    references: email.references,
    known: email.headers.filter((h) => ["from", "subject", "date", "message-id"].includes(h.key)),
  };
}

describe("readFieldsOnly (fuzz)", () => {
  test("postal-mime reads the same fields from the cut header block", async () => {
    await fc.assert(
      fc.asyncProperty(headerBlock, async (block) => {
        const cut = readFieldsOnly(block);
        expect(cut.length).toBeLessThanOrEqual(block.length);
        expect(readPart(await PostalMime.parse(cut))).toEqual(readPart(await PostalMime.parse(block)));
      }),
      FUZZ,
    );
  });

  test("drops what is not read, keeps the rest byte for byte", () => {
    const block = Buffer.from(
      "Received: from a\n\tby b\nSubject: s\n folded\nX-Mailer: m\nbroken line\nMessage-ID: <x@y>\n",
    );
    expect(readFieldsOnly(block).toString()).toBe("Subject: s\n folded\nbroken line\nMessage-ID: <x@y>\n");
  });
});
