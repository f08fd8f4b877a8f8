// Builds test mail: headers, a body in some transfer encoding and charset, single part or multipart.
// Everything here is made up; nothing is copied from real list mail.

export interface MailSpec {
  subject?: string;
  from?: string;
  messageId?: string;
  /** Extra header lines, as written. */
  headers?: string[];
  body: string;
  encoding?: "7bit" | "base64" | "quoted-printable";
  contentType?: string;
  /** Line ends of the whole message. */
  crlf?: boolean;
}

export function mail(spec: MailSpec): Buffer {
  const head = [
    `From: ${spec.from ?? "Alice Example <alice@example.org>"}`,
    `Subject: ${spec.subject ?? "[PATCH] widget: a change"}`,
    "Date: Wed, 15 May 2019 09:00:00 +0200",
    `Message-Id: <${spec.messageId ?? "m1@example.org"}>`,
    "MIME-Version: 1.0",
    `Content-Type: ${spec.contentType ?? "text/plain; charset=utf-8"}`,
    `Content-Transfer-Encoding: ${spec.encoding ?? "7bit"}`,
    ...(spec.headers ?? []),
  ].join("\n");
  const text = `${head}\n\n${encode(spec.body, spec.encoding ?? "7bit")}`;
  return Buffer.from(spec.crlf ? text.replace(/\n/g, "\r\n") : text, "utf8");
}

export function encode(body: string, encoding: "7bit" | "base64" | "quoted-printable"): string {
  if (encoding === "base64")
    return `${Buffer.from(body, "utf8").toString("base64").replace(/.{76}/g, "$&\n")}\n`;
  if (encoding === "quoted-printable") return quotedPrintable(body);
  return body;
}

/** Every "=", non-ASCII byte and every "d" (so that "diff" never shows) encoded; lines folded at 60. */
export function quotedPrintable(body: string): string {
  const out: string[] = [];
  for (const line of body.split("\n")) {
    let encoded = "";
    for (const byte of Buffer.from(line, "utf8")) {
      const c = String.fromCharCode(byte);
      encoded +=
        byte === 0x3d || byte === 0x64 || byte >= 0x80
          ? `=${byte.toString(16).toUpperCase().padStart(2, "0")}`
          : c;
    }
    while (encoded.length > 60) {
      let cut = 60;
      while (encoded[cut - 1] === "=" || encoded[cut - 2] === "=") cut--;
      out.push(`${encoded.slice(0, cut)}=`);
      encoded = encoded.slice(cut);
    }
    out.push(encoded);
  }
  return out.join("\n");
}

export function mbox(messages: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const m of messages) {
    const escaped = m.toString("latin1").replace(/^(>*From )/gm, ">$1");
    parts.push(
      Buffer.from(
        `From mboxrd@z Thu Jan  1 00:00:00 1970\n${escaped}${escaped.endsWith("\n") ? "" : "\n"}\n`,
        "latin1",
      ),
    );
  }
  return Buffer.concat(parts);
}

/** A git format-patch body changing one line of `path`. */
export function patchBody(path: string, removed: string, added: string, message = "Change a line."): string {
  return `${message}

Signed-off-by: Alice Example <alice@example.org>
---
 ${path} | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/${path} b/${path}
index 1111111..2222222 100644
--- a/${path}
+++ b/${path}
@@ -10,3 +10,3 @@ context
 keep one
-${removed}
+${added}
 keep two
-- 
2.39.5
`;
}
