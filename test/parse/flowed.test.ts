// format=flowed (RFC 3676) decoding and DMARC-rewritten authors, on mails written for these tests.

import { describe, expect, test } from "@jest/globals";
import { unmungedAuthor } from "../../src/parse/dmarc.js";
import { decodeFlowed, flowedParams } from "../../src/parse/flowed.js";
import { parseMessage } from "../../src/parse/mail.js";

/** A Thunderbird-style reply: a quoted empty line ends in the stuffed space, right above the own text. */
const REPLY = [
  "On 5/1/26 9:00 AM, Ada Reviewer wrote:",
  "> Keeping strict is the safer ",
  "> default for everyone.",
  "> ",
  "I would rather add a build-time option so that ",
  "distributions choose.",
  "",
  "-- ",
  "Bo",
  "",
].join("\r\n");

function mail(contentType: string, body: string, extraHeaders: string[] = []): string {
  return [
    "From: Bo Maintainer <bo@example.org>",
    ...extraHeaders,
    "Subject: Re: [PATCH] iommu: Default to lazy on riscv",
    "Date: Tue, 5 May 2026 10:12:00 +0200",
    "Message-Id: <bo-flowed@example.org>",
    "MIME-Version: 1.0",
    `Content-Type: ${contentType}`,
    "",
    body,
  ].join("\r\n");
}

describe("decodeFlowed", () => {
  test("joins only lines of the same quote depth, keeping the author's own line out of the quote", () => {
    expect(decodeFlowed(REPLY, { delSp: false })).toBe(
      [
        "On 5/1/26 9:00 AM, Ada Reviewer wrote:",
        "> Keeping strict is the safer default for everyone.",
        ">",
        "I would rather add a build-time option so that distributions choose.",
        "",
        "-- ",
        "Bo",
        "",
      ].join("\n"),
    );
  });

  test("a flowed line followed by a deeper quote ends where it is (improperly flowed, RFC 3676 4.5)", () => {
    expect(decodeFlowed("> outer ends with a space \n>> inner\n", { delSp: false })).toBe(
      "> outer ends with a space \n>> inner\n",
    );
  });

  test("removes one stuffed space, and with delsp=yes the space before each soft break", () => {
    expect(decodeFlowed("  indented\n From here\n", { delSp: false })).toBe(" indented\nFrom here\n");
    expect(decodeFlowed("split \nword\n", { delSp: true })).toBe("splitword\n");
    expect(decodeFlowed("split \nword\n", { delSp: false })).toBe("split word\n");
  });

  test("flowedParams reads format and delsp, quoted or not, in any case", () => {
    expect(flowedParams('text/plain; charset="us-ascii"; Format="flowed"')).toEqual({ delSp: false });
    expect(flowedParams("text/plain; format=flowed; delsp=yes")).toEqual({ delSp: true });
    expect(flowedParams("text/plain; charset=utf-8")).toBeUndefined();
  });
});

describe("parseMessage and format=flowed", () => {
  test("a single text/plain part: the own text below a quote is not read as quote", async () => {
    const { body } = await parseMessage(mail('text/plain; charset=utf-8; format="flowed"', REPLY));
    expect(body).toContain("\nI would rather add a build-time option so that distributions choose.\n");
    expect(body).not.toContain("> I would rather");
  });

  test("a quoted-printable part (postal-mime's path) is unflowed the same way", async () => {
    const qp = REPLY.replace(/ \r\n/g, "=20\r\n");
    const raw = mail("text/plain; charset=utf-8; format=flowed", qp, []).replace(
      "MIME-Version: 1.0",
      "MIME-Version: 1.0\r\nContent-Transfer-Encoding: quoted-printable",
    );
    const { body } = await parseMessage(raw);
    expect(body).toContain("\nI would rather add a build-time option so that distributions choose.\n");
    expect(body).toContain("> Keeping strict is the safer default for everyone.\n");
  });
});

describe("DMARC-rewritten authors", () => {
  const munged = 'From: "Ada Reviewer via iommu" <iommu@lists.linux-foundation.org>';

  test("the author comes from X-Original-From", async () => {
    const raw = mail("text/plain; charset=utf-8", "Looks good.\r\n", [
      "X-Original-From: Ada Reviewer <ada@example.org>",
      "Reply-To: iommu@lists.linux-foundation.org",
    ]).replace("From: Bo Maintainer <bo@example.org>", munged);
    const { headers } = await parseMessage(raw);
    expect(headers.from).toEqual({ name: "Ada Reviewer", email: "ada@example.org" });
  });

  test("else from Reply-To, when it is not the list's address", async () => {
    const raw = mail("text/plain; charset=utf-8", "Looks good.\r\n", [
      "Reply-To: Ada Reviewer <ada@example.org>",
    ]).replace("From: Bo Maintainer <bo@example.org>", munged);
    const { headers } = await parseMessage(raw);
    expect(headers.from).toEqual({ name: "Ada Reviewer", email: "ada@example.org" });
  });

  test("else the name loses ' via LIST'; an ordinary From is left alone", () => {
    const list = { name: "Ada Reviewer via iommu", email: "iommu@lists.linux-foundation.org" };
    expect(unmungedAuthor(list, {})).toEqual({ name: "Ada Reviewer", email: list.email });
    const plain = { name: "Ada Reviewer", email: "ada@example.org" };
    expect(unmungedAuthor(plain, { replyTo: { name: "", email: "x@example.org" } })).toBe(plain);
  });
});
