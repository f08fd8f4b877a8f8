import { Readable } from "node:stream";
import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { splitMbox, splitMboxBuffer, splitMboxStream, unescapeMboxrd } from "../../src/ingest/mbox.js";
import { fixture } from "./fixtures.js";

async function splitInChunks(mbox: Buffer, chunkSizes: number[]): Promise<string[]> {
  async function* chunks(): AsyncGenerator<Buffer> {
    let at = 0;
    for (let i = 0; at < mbox.length; i++) {
      const size = chunkSizes[i % chunkSizes.length]!;
      yield mbox.subarray(at, at + size);
      at += size;
    }
  }
  const messages: string[] = [];
  for await (const message of splitMboxStream(chunks()))
    messages.push(unescapeMboxrd(message).toString("utf8"));
  return messages;
}

/** What an mboxrd writer does: escape /^>*From / lines, a separator before and a blank line after each message. */
function writeMboxrd(messages: string[]): string {
  return messages
    .map((m) => `From someone@example.org Thu Jan  1 00:00:00 1970\n${m.replace(/^(>*From )/gm, ">$1")}\n`)
    .join("");
}

describe("splitMbox", () => {
  const series = fixture("series.mbox");

  test("splits a series in order and drops the separator lines and the blank line before them", () => {
    const messages = splitMbox(series);
    expect(messages.map((m) => /^Subject: (.*)$/m.exec(m)?.[1])).toEqual([
      "[PATCH v2 0/2] widget: flush defaults",
      "[PATCH v2 1/2] widget: Default to lazy flushing on the alpha test platform",
      "[PATCH v2 2/2] widget: Enable debugging with lazy flushing",
    ]);
    for (const message of messages) {
      expect(message.startsWith("From: Alice Example <alice@example.org>\n")).toBe(true);
      expect(message).toMatch(/\n-- \n2\.39\.5\n\n?$/);
      expect(message).not.toContain("From mboxrd@z");
    }
  });

  test("un-escapes mboxrd '>From ' lines by one '>'", () => {
    const [cover, , second] = splitMbox(series);
    expect(cover).toContain("\n>From the discussion on v1");
    expect(second).toContain("\nFrom now on lazy flushing");
    expect(second).toContain("\nFrom the start this was the plan.");
    expect(second).not.toContain(">From");
  });

  test("'From' not followed by a space, or not at column 0, is not a separator", () => {
    const mbox = "From a\nSubject: 1\n\nFromage\n From here\nx From y\n\nFrom b\nSubject: 2\n\nbody\n";
    expect(splitMbox(mbox)).toEqual([
      "Subject: 1\n\nFromage\n From here\nx From y\n",
      "Subject: 2\n\nbody\n",
    ]);
  });

  test("edge cases: empty input, no trailing newline, text before the first separator, CRLF", () => {
    expect(splitMbox("")).toEqual([]);
    expect(splitMbox("\n\n")).toEqual([]);
    expect(splitMbox("From a\nSubject: 1\n\nno newline at end")).toEqual(["Subject: 1\n\nno newline at end"]);
    expect(splitMbox("junk\nFrom a\nx\n")).toEqual(["junk\n", "x\n"]);
    expect(splitMbox("From a\r\nx\r\n\r\nFrom b\r\ny\r\n")).toEqual(["x\r\n", "y\r\n"]);
    expect(splitMbox("From a\nFrom b\nx\n")).toEqual(["", "x\n"]);
  });

  test("unescapeMboxrd returns the same buffer when there is nothing to un-escape", () => {
    const message = Buffer.from("Subject: x\n\nFrom here\n");
    expect(unescapeMboxrd(message)).toBe(message);
    expect(unescapeMboxrd(Buffer.from(">From a\nx>From b\n>>>From c\n")).toString()).toBe(
      "From a\nx>From b\n>>From c\n",
    );
  });
});

describe("splitMboxStream", () => {
  const series = Buffer.from(fixture("series.mbox"));
  const big = Buffer.from(fixture("series.mbox").repeat(60));

  test.each([1, 7, 64 * 1024])("chunks of %i bytes give what splitMbox gives", async (size) => {
    expect(await splitInChunks(series, [size])).toEqual(splitMbox(series.toString()));
    expect(await splitInChunks(big, [size])).toEqual(splitMbox(big.toString()));
  });

  test("reads a Node stream", async () => {
    const messages: Buffer[] = [];
    for await (const message of splitMboxStream(
      Readable.from([series.subarray(0, 100), series.subarray(100)]),
    )) {
      messages.push(message);
    }
    expect(messages).toEqual(splitMboxBuffer(series));
  });

  test("any message survives writing and splitting, whatever the chunk sizes", async () => {
    const line = fc.constantFrom(
      "From x",
      ">From y",
      ">>From z",
      "From",
      "Fro",
      "",
      "Subject: a",
      " From indented",
      "xFrom ",
      "\u00e9t\u00e9",
    );
    const message = fc.array(line, { minLength: 1, maxLength: 8 }).map((lines) => `${lines.join("\n")}\n`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        async (messages, chunkSizes) => {
          const mbox = Buffer.from(writeMboxrd(messages));
          expect(await splitInChunks(mbox, chunkSizes)).toEqual(messages);
          expect(splitMbox(mbox.toString())).toEqual(messages);
        },
      ),
      { numRuns: 300 },
    );
  });
});
