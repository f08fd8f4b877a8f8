// On every format=flowed message of ../shared/corpus: no line the sender wrote unquoted is read as quote once
// the body is unflowed. (postal-mime's own decoder joined a quoted line ending in a space with the own line
// below it.) Skipped without the corpus.

import { spawn } from "node:child_process";
import { describe, expect, test } from "@jest/globals";
import { splitMboxStream, unescapeMboxrd } from "../../src/ingest/mbox.js";
import { parseMessage } from "../../src/parse/mail.js";
import { CORPUS_FILE, corpusUnavailable } from "../thread/corpus.js";

const FLOWED = /^content-type:[^\n]*(?:\n[ \t][^\n]*)*format\s*=\s*"?flowed/im;
/** Bodies sent as they are (no quoted-printable or base64), so raw lines can be compared with decoded ones. */
const ENCODED = /^content-transfer-encoding:\s*(?:quoted-printable|base64)/im;

/** The sender's own lines of a flowed body that the decoded body shows only inside a quote. */
function ownLinesReadAsQuote(rawBody: string, decoded: string): string[] {
  const unquoted = decoded.split("\n").filter((l) => !l.startsWith(">"));
  // A stuffed " > text" line is text starting with ">" (RFC 3676 4.4): a quote to any reader, so left out,
  // and so is the line it flows into (a quoted address wrapped by the sender's mailer).
  const own: string[] = [];
  let previous = "";
  for (const raw of rawBody.split(/\r?\n/)) {
    const line = raw.replace(/^ /, "");
    const continuesQuote = previous.startsWith(">") && previous.endsWith(" ") && previous !== "-- ";
    if (!line.startsWith(">") && !continuesQuote && line.trim().length >= 8) own.push(line.trim());
    if (!continuesQuote) previous = line;
    else if (!line.endsWith(" ")) previous = "";
  }
  return own.filter((l) => !unquoted.some((u) => u.includes(l)));
}

const problem = corpusUnavailable();

describe("format=flowed mail of the corpus", () => {
  if (problem) {
    test.skip(`skipped: ${problem}`, () => {});
    return;
  }
  test("no own line of a single-part flowed message is read as quote", async () => {
    const xz = spawn("xz", ["-dc", CORPUS_FILE], { stdio: ["ignore", "pipe", "inherit"] });
    let flowed = 0;
    const losing: string[] = [];
    for await (const chunk of splitMboxStream(xz.stdout)) {
      const raw = Buffer.from(unescapeMboxrd(chunk));
      const text = raw.toString("utf8");
      const headerEnd = text.search(/\r?\n\r?\n/);
      const head = text.slice(0, headerEnd);
      if (!FLOWED.test(head) || ENCODED.test(head) || /multipart\//i.test(head)) continue;
      flowed++;
      const { headers, body } = await parseMessage(raw);
      const lost = ownLinesReadAsQuote(text.slice(headerEnd).replace(/^\r?\n\r?\n/, ""), body);
      if (lost.length > 0) losing.push(`${headers.messageId}: "${lost[0]}"`);
    }
    if (process.env.FLOWED_CORPUS_COUNT) process.stdout.write(`${flowed} flowed messages\n`);
    expect(flowed).toBeGreaterThan(100);
    expect(losing).toEqual([]);
  }, 120_000);
});
