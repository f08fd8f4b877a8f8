import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import {
  splitMboxBuffer,
  splitMboxStream,
  splitMboxStreamBounded,
  unescapeMboxrd,
} from "../../src/ingest/mbox.js";
import { streamPieces } from "../../src/ingest/stream.js";
import { expectWithinBudget, FUZZ } from "./budget.js";

// mbox-ish input: lines that matter to the splitter (separators, escaped separators, blank lines, CRs)
// mixed with text, cut into chunks at arbitrary places.
const line = fc.oneof(
  fc.constantFrom(
    "From a@b Mon Jan 1 00:00:00 2019",
    "From ",
    ">From x",
    ">>From y",
    "",
    "\r",
    "Subject: s",
    "body text",
    "From:",
    "xFrom z",
  ),
  fc.string({ maxLength: 12 }),
);
const mboxText = fc
  .tuple(fc.array(line, { maxLength: 60 }), fc.constantFrom("\n", "\r\n"))
  .map(([lines, eol]) => Buffer.from(lines.join(eol), "utf8"));
const cuts = fc.array(fc.nat({ max: 4096 }), { maxLength: 8 });

function chunk(data: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at.map((n) => n % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(data.subarray(from, p));
    from = p;
  }
  chunks.push(data.subarray(from));
  return chunks;
}

async function* from(chunks: readonly Buffer[]) {
  for (const c of chunks) yield c;
}

describe("mbox splitter (fuzz)", () => {
  test("streamed in any chunks, it splits as the whole buffer does", async () => {
    await fc.assert(
      fc.asyncProperty(mboxText, cuts, async (data, at) => {
        const started = performance.now();
        const streamed: Buffer[] = [];
        for await (const m of splitMboxStream(from(chunk(data, at)))) streamed.push(Buffer.from(m));
        expect(streamed).toEqual(splitMboxBuffer(data).map((m) => Buffer.from(m)));
        expectWithinBudget(started, data.length);
      }),
      FUZZ,
    );
  });

  test("with a size limit: the same messages, long ones cut to their first bytes with their size", async () => {
    await fc.assert(
      fc.asyncProperty(mboxText, cuts, fc.integer({ min: 1, max: 200 }), async (data, at, max) => {
        const whole = splitMboxBuffer(data);
        const bounded = [];
        for await (const m of splitMboxStreamBounded(from(chunk(data, at)), {
          maxMessageBytes: max,
          keepBytes: 16,
        }))
          bounded.push(m);
        expect(bounded).toHaveLength(whole.length);
        bounded.forEach((m, i) => {
          if (m.truncated) {
            expect(m.size).toBeGreaterThan(max);
            expect(m.bytes.length).toBeLessThanOrEqual(16);
            expect(whole[i]!.subarray(0, m.bytes.length).equals(m.bytes)).toBe(true);
          } else expect(m.bytes.equals(whole[i]!)).toBe(true);
        });
      }),
      FUZZ,
    );
  });

  test("a message said to have no escapes is one unescapeMboxrd leaves as it is, in any chunks", async () => {
    let without = 0;
    await fc.assert(
      fc.asyncProperty(mboxText, cuts, async (data, at) => {
        for await (const m of splitMboxStreamBounded(from(chunk(data, at)))) {
          if (m.mayHaveEscapes) continue;
          without++;
          expect(unescapeMboxrd(m.bytes).equals(m.bytes)).toBe(true);
        }
      }),
      FUZZ,
    );
    expect(without).toBeGreaterThan(0);
  });

  test("any bytes at all make pieces with consecutive positions, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), cuts, async (bytes, at) => {
        const started = performance.now();
        const positions: number[] = [];
        for await (const piece of streamPieces(from(chunk(Buffer.from(bytes), at)), "fuzz"))
          positions.push(piece.position);
        expect(positions).toEqual(positions.map((_, i) => i));
        expect(positions.length).toBeGreaterThan(0);
        expectWithinBudget(started, bytes.length);
      }),
      FUZZ,
    );
  });
});
