import { describe, expect, test } from "@jest/globals";
import PostalMime from "postal-mime";
import { parseUnifiedDiff } from "../../src/parse/diff.js";
import { parseMessage } from "../../src/parse/mail.js";
import { fixture } from "./fixtures.js";

/** A patch whose lines carry "=", a trailing space (the blank context line) and a line longer than 76. */
const CONF_PATCH = [
  "widget: Raise the flush threshold",
  "",
  "Signed-off-by: Alice Example <alice@example.org>",
  "---",
  "diff --git a/drivers/widget/widget.conf b/drivers/widget/widget.conf",
  "index 1111111..2222222 100644",
  "--- a/drivers/widget/widget.conf",
  "+++ b/drivers/widget/widget.conf",
  "@@ -1,4 +1,4 @@",
  " CONFIG_WIDGET_CORE=y",
  "-CONFIG_WIDGET_FLUSH_THRESHOLD=16",
  "+CONFIG_WIDGET_FLUSH_THRESHOLD=64 # a long comment that makes this line longer than seventy-six characters",
  " ",
  " CONFIG_WIDGET_DEBUG=n",
  "",
].join("\n");

function headers(
  contentType: string,
  transferEncoding: string,
  subject = "[PATCH] widget: Raise the threshold",
): string {
  return [
    "From: Alice Example <alice@example.org>",
    "To: widgets@lists.example.org",
    `Subject: ${subject}`,
    "Date: Tue, 14 May 2019 10:12:00 +0200",
    "Message-Id: <conf-1@alice.example.org>",
    "MIME-Version: 1.0",
    `Content-Type: ${contentType}`,
    `Content-Transfer-Encoding: ${transferEncoding}`,
    "",
    "",
  ].join("\n");
}

function hex(byte: number): string {
  return `=${byte.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** RFC 2045 quoted-printable with soft line breaks at 70 characters. */
function encodeQuotedPrintable(text: string, charset: BufferEncoding = "utf8"): string {
  const lines: string[] = [];
  for (const line of text.split("\n")) {
    let encoded = "";
    for (const byte of Buffer.from(line, charset)) {
      const plain = byte === 0x09 || (byte >= 0x20 && byte <= 0x7e && byte !== 0x3d);
      encoded += plain ? String.fromCharCode(byte) : hex(byte);
    }
    encoded = encoded.replace(/[ \t]$/, (c) => hex(c.charCodeAt(0)));
    while (encoded.length > 70) {
      let cut = 70;
      while (encoded[cut - 1] === "=" || encoded[cut - 2] === "=") cut--;
      lines.push(`${encoded.slice(0, cut)}=`);
      encoded = encoded.slice(cut);
    }
    lines.push(encoded);
  }
  return lines.join("\n");
}

describe("parseMessage headers", () => {
  test("people, date, ids", async () => {
    const { headers } = await parseMessage(fixture("series.mbox").split("\n").slice(1).join("\n"));
    expect(headers).toEqual({
      subject: "[PATCH v2 0/2] widget: flush defaults",
      from: { name: "Alice Example", email: "alice@example.org" },
      date: "2019-05-15T07:00:00.000Z",
      messageId: "20190515070000.2000-1-alice@example.org",
      references: [],
      to: [{ name: "", email: "widgets@lists.example.org" }],
      cc: [
        { name: "Bob Reviewer", email: "bob@example.org" },
        { name: "Maintainer, Carol", email: "carol@example.org" },
      ],
    });
  });

  test("a reply's In-Reply-To and References, folded subject", async () => {
    const raw = [
      "From: bob@example.org",
      "Subject: Re: [PATCH] widget: a subject that",
      " was folded",
      "Message-ID: <reply-1@example.org>",
      "In-Reply-To: <patch-1@example.org> (Alice Example's message of Tue)",
      "References: <cover@example.org>",
      "\t<patch-1@example.org>",
      "Date: not a date",
      "",
      "ok",
      "",
    ].join("\n");
    const { headers } = await parseMessage(raw);
    expect(headers.subject).toBe("Re: [PATCH] widget: a subject that was folded");
    expect(headers.inReplyTo).toBe("patch-1@example.org");
    expect(headers.references).toEqual(["cover@example.org", "patch-1@example.org"]);
    expect(headers.from).toEqual({ name: "", email: "bob@example.org" });
    expect(headers.date).toBeUndefined();
  });
});

describe("parseMessage bodies", () => {
  test("quoted-printable with =3D and soft line breaks inside a diff", async () => {
    const encoded = encodeQuotedPrintable(CONF_PATCH);
    expect(encoded).toContain("=3D");
    expect(encoded).toMatch(/=\n/);
    const { body } = await parseMessage(headers("text/plain; charset=utf-8", "quoted-printable") + encoded);
    expect(body).toBe(CONF_PATCH);
    const [file] = parseUnifiedDiff(body);
    expect(file!.hunks[0]!.lines.map((l) => l.text)).toEqual([
      "CONFIG_WIDGET_CORE=y",
      "CONFIG_WIDGET_FLUSH_THRESHOLD=16",
      "CONFIG_WIDGET_FLUSH_THRESHOLD=64 # a long comment that makes this line longer than seventy-six characters",
      "",
      "CONFIG_WIDGET_DEBUG=n",
    ]);
  });

  test("a base64 body", async () => {
    const encoded = Buffer.from(CONF_PATCH).toString("base64").replace(/.{76}/g, "$&\n");
    const { body } = await parseMessage(headers("text/plain; charset=utf-8", "base64") + encoded);
    expect(body).toBe(CONF_PATCH);
  });

  test("ISO-8859-1 in the body (8bit) and in an encoded-word subject", async () => {
    const text = CONF_PATCH.replace("Alice Example", "Aliz\u00e9e Ex\u00e4mple");
    const raw = Buffer.concat([
      Buffer.from(
        headers("text/plain; charset=ISO-8859-1", "8bit", "=?ISO-8859-1?Q?[PATCH]_widget:_R=E9glage?="),
        "latin1",
      ),
      Buffer.from(text, "latin1"),
    ]);
    const { headers: parsed, body } = await parseMessage(raw);
    expect(parsed.subject).toBe("[PATCH] widget: R\u00e9glage");
    expect(body).toContain("Signed-off-by: Aliz\u00e9e Ex\u00e4mple <alice@example.org>");
    expect(body).toBe(text);
  });

  test("ISO-8859-1 quoted-printable", async () => {
    const text = CONF_PATCH.replace("Alice Example", "Aliz\u00e9e");
    const raw =
      headers("text/plain; charset=iso-8859-1", "quoted-printable") + encodeQuotedPrintable(text, "latin1");
    expect(raw).toContain("Aliz=E9e");
    expect((await parseMessage(raw)).body).toBe(text);
  });

  test("a CRLF message", async () => {
    const raw = (headers("text/plain", "7bit") + CONF_PATCH).replace(/\n/g, "\r\n");
    const { headers: parsed, body } = await parseMessage(Buffer.from(raw));
    expect(parsed.messageId).toBe("conf-1@alice.example.org");
    expect(body).toBe(CONF_PATCH);
  });

  test("multipart with the patch inline: every text/plain part is in the body", async () => {
    const { body } = await parseMessage(fixture("multipart-inline.eml"));
    expect(parseUnifiedDiff(body).map((f) => f.path)).toEqual(["drivers/widget/Kconfig"]);
    expect(body).toContain("widgets mailing list");
  });

  test("multipart with the patch attached as text/x-patch", async () => {
    const { body } = await parseMessage(fixture("multipart-attached.eml"));
    expect(body.startsWith("Sorry, my mailer mangles inline patches, so it is attached.\n")).toBe(true);
    expect(body).toContain("diff --git a/drivers/widget/Kconfig b/drivers/widget/Kconfig\n");
    expect(parseUnifiedDiff(body)[0]!.hunks).toHaveLength(2);
  });

  test("an application/octet-stream attachment named .diff, and one recognised by its content", async () => {
    const part = (type: string, name: string, content: string) =>
      [
        "--b",
        `Content-Type: ${type}`,
        `Content-Disposition: attachment; filename="${name}"`,
        "Content-Transfer-Encoding: base64",
        "",
        Buffer.from(content).toString("base64"),
      ].join("\n");
    const raw = [
      headers('multipart/mixed; boundary="b"', "7bit"),
      "--b\nContent-Type: text/plain\n\nSee attachments.\n",
      part("application/octet-stream", "fix.diff", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"),
      part("application/octet-stream", "fix.bin", CONF_PATCH),
      part("image/png", "photo.png", "\x89PNG not a patch"),
      "--b--",
      "",
    ].join("\n");
    const { body } = await parseMessage(raw);
    expect(body).toContain("+++ b/x\n");
    expect(body).toContain("CONFIG_WIDGET_DEBUG=n");
    expect(body).not.toContain("PNG");
  });
});

describe("parseMessage rejects what is not a mail message", () => {
  test.each([
    ["", "empty message"],
    ["\n\n  \n", "empty message"],
    ["hello world\nno headers here\n", "not a mail message: no header lines at the top"],
    ["X-Whatever: 1\n\nbody\n", "not a mail message: no From, Subject, Date or Message-ID header"],
  ])("%j", async (raw, message) => {
    await expect(parseMessage(raw)).rejects.toThrow(message);
  });

  test("binary junk", async () => {
    await expect(parseMessage(Buffer.from([0, 1, 2, 255, 254, 10]))).rejects.toThrow(/not a mail message/);
  });

  test("an mbox 'From ' line on top is skipped", async () => {
    const { headers: parsed } = await parseMessage(
      `From mboxrd@z Thu Jan  1 00:00:00 1970\n${headers("text/plain", "7bit")}x\n`,
    );
    expect(parsed.from?.email).toBe("alice@example.org");
  });
});

describe("the plain text/plain fast path decodes as postal-mime does", () => {
  const bodies = [
    CONF_PATCH,
    "no final newline",
    "crlf\r\nlines\r\n",
    "caf\u00e9 \u2014 utf-8\n",
    "",
    "\n\nleading blank lines\n",
  ];
  const variants: [string, string, (body: string) => string][] = [
    ["text/plain; charset=utf-8", "8bit", (b) => b],
    ["text/plain", "7bit", (b) => b],
    [
      'text/plain; charset="utf-8"',
      "base64",
      (b) => Buffer.from(b).toString("base64").replace(/.{76}/g, "$&\n"),
    ],
  ];
  test.each(variants)("%s, %s", async (contentType, encoding, encode) => {
    for (const body of bodies) {
      const raw = headers(contentType, encoding) + encode(body);
      const reference = (await PostalMime.parse(raw)).text ?? "";
      expect((await parseMessage(raw)).body).toBe(reference.replace(/\r\n/g, "\n"));
    }
  });

  test("Content-Disposition: attachment on the only part is left to postal-mime", async () => {
    const raw =
      headers("text/plain", "7bit").replace(
        "MIME-Version",
        'Content-Disposition: attachment; filename="x.patch"\nMIME-Version',
      ) + CONF_PATCH;
    expect((await parseMessage(raw)).body).toBe(CONF_PATCH);
  });
});
