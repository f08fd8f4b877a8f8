import { describe, expect, test } from "@jest/globals";
import { mimePartSizes, walkParts } from "../../src/scan/mime-parts.js";

// The part walk behind the attachment limit and the damaged-MIME check: where a header block ends decides
// where each body starts, so the sizes below move by a byte if it is found in the wrong place.

describe("walkParts", () => {
  test("a header block ends at its first blank line, LF or CRLF, whichever comes first", () => {
    expect(mimePartSizes(Buffer.from("Subject: s\n\nbody\n"))).toEqual([5]);
    expect(mimePartSizes(Buffer.from("Subject: s\r\n\r\nbody\r\n"))).toEqual([6]);
    // "\n\r\n" at 10, "\n\n" at 12: the CRLF blank line is first and the body keeps the LF after it.
    expect(mimePartSizes(Buffer.from("Subject: s\n\r\n\nbody\n"))).toEqual([6]);
    // An LF blank line first: a later "\n\r\n" in the body does not move the end of the header block.
    expect(mimePartSizes(Buffer.from("Subject: s\n\nbody\n\r\nmore\n"))).toEqual([12]);
    expect(mimePartSizes(Buffer.from("Subject: s\nno blank line\n"))).toEqual([25]);
  });

  test("leaves of a multipart message, and whether it is closed", () => {
    const head = "Content-Type: multipart/mixed; boundary=b\n\n";
    const parts = "--b\nContent-Type: text/plain\n\nhello\n--b\nContent-Transfer-Encoding: BASE64\n\nQUFB\n";
    const closed = walkParts(Buffer.from(`${head}${parts}--b--\n`));
    expect(closed.unterminated).toBe(false);
    expect(closed.leaves.map((l) => [l.encoding, l.body.toString()])).toEqual([
      ["", "hello\n"],
      ["base64", "QUFB\n"],
    ]);
    expect(walkParts(Buffer.from(`${head}${parts}`)).unterminated).toBe(true);
  });
});
