import { afterEach, describe, expect, test } from "@jest/globals";
import { installEagerBlob } from "../../src/parse/eager-blob.js";
import { parseMessage } from "../../src/parse/mail.js";
import { fixture } from "./fixtures.js";

const nativeBlob = globalThis.Blob;
afterEach(() => {
  globalThis.Blob = nativeBlob;
});

const boundary = "==widget-boundary==";
/** Multipart mail in the encodings whose postal-mime decoders go through a Blob: 7bit, base64, QP. */
function multipart(): string {
  const patch = fixture("kconfig-patch.eml").split("\n\n").slice(1).join("\n\n");
  return [
    "From: Alice Example <alice@example.org>",
    "To: widgets@lists.example.org",
    "Subject: [PATCH] widget: attach",
    "Message-Id: <eager-1@example.org>",
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    "Gr=C3=BC=C3=9Fe, the patch is attached.=",
    " Soft break above.",
    `--${boundary}`,
    'Content-Type: text/x-patch; name="0001-widget.patch"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="0001-widget.patch"',
    "",
    ...(Buffer.from(patch)
      .toString("base64")
      .match(/.{1,76}/g) ?? []),
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Trailing 7bit part: \u00e9t\u00e9.",
    `--${boundary}--`,
    "",
  ].join("\n");
}

describe("EagerBlob", () => {
  test("postal-mime reads multipart mail the same with it as with Node's Blob", async () => {
    const raw = Buffer.from(multipart());
    const withNative = await parseMessage(raw);
    installEagerBlob();
    expect(globalThis.Blob).not.toBe(nativeBlob);
    const withEager = await parseMessage(raw);
    expect(withEager).toEqual(withNative);
    expect(withEager.body).toContain("Grüße, the patch is attached. Soft break above.");
    expect(withEager.body).toContain("diff --git a/drivers/widget/Kconfig");
  });

  test("size, type, bytes and text of mixed parts", async () => {
    installEagerBlob();
    const blob = new Blob(
      ["a\u00e9", new Uint8Array([0x62, 0x0a]), new Uint8Array([1, 0x63, 2]).subarray(1, 2)],
      {
        type: "application/octet-stream",
      },
    );
    expect(blob.size).toBe(6);
    expect(blob.type).toBe("application/octet-stream");
    expect(Buffer.from(await blob.arrayBuffer()).toString("utf8")).toBe("a\u00e9b\nc");
    expect(await blob.text()).toBe("a\u00e9b\nc");
  });
});
