import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { prefilter, skippedItem } from "../../src/ingest/prefilter.js";
import { messageToItem } from "../../src/parse/patch.js";
import { reviewPiece } from "../../src/scan/review-piece.js";
import { quotedPrintable } from "../scan/mail.js";
import { context, mailPiece } from "../scan/review.js";
import { expectWithinBudget, FUZZ } from "./budget.js";

// Mail messages of every shape the MIME path meets (transfer encodings, charsets, format=flowed, multipart,
// damaged structure), with bodies made of the lines the prefilter looks for. For each, the scan's review
// must not throw, must stay within the time budget, and the prefilter must settle it only as the full path
// would.

/** `odd` one time in eight, else `usual` (fast-check's own weighting favours the first, small cases). */
function rarely<T>(odd: fc.Arbitrary<T>, usual: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(fc.nat(7), odd, usual).map(([n, o, u]) => (n === 0 ? o : u));
}

const diffLines = fc.constantFrom(
  "diff --git a/drivers/iommu/Kconfig b/drivers/iommu/Kconfig",
  "diff --git a/drivers/widget/core.c b/drivers/widget/core.c",
  "index 1111111..2222222 100644",
  "new file mode 100644",
  "similarity index 100%",
  "rename from drivers/widget/old.c",
  "--- a/drivers/widget/core.c",
  "+++ b/drivers/widget/core.c",
  "--- a/drivers/iommu/Kconfig",
  "+++ b/drivers/iommu/Kconfig",
  "@@ -1,3 +1,3 @@",
  "+\tiommu_set_dma_strict();",
  "-\tdefault IOMMU_DEFAULT_DMA_LAZY if X86",
  "+\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || ARM64",
  " choice",
  '\tprompt "IOMMU default domain type"',
  "From: In Body <inbody@example.org>",
  "Subject: in-body subject",
  "Date: Wed, 15 May 2019 09:00:00 +0200",
  " diff --git a/x.c b/x.c",
  "diff ",
  "--git a/x.c b/x.c",
  "---",
  "2.39.5",
  "=",
  "=3D",
  "caf\u00e9",
  "\u00a0From: nbsp",
  "--b1",
  "--b1--",
);
const proseLines = fc.constantFrom(
  "> diff --git a/x b/x",
  "> +\tdefault y",
  "Thanks, looks good.",
  "",
  "On Monday, A wrote:",
  "-- ",
  "soft break ",
);
const bodyLine = fc.oneof(diffLines, proseLines, fc.string({ maxLength: 16 }));
const proseLine = fc.oneof(proseLines, fc.string({ maxLength: 16 }));
/** A well-formed git section, perhaps with no "+++ " line (a rename or a new empty file). */
const gitSection = fc
  .record({
    path: fc.constantFrom("drivers/iommu/Kconfig", "drivers/widget/core.c", "arch/arm64/configs/defconfig"),
    ext: fc.constantFrom("new file mode 100644", "similarity index 100%", "index 1111111..2222222 100644"),
    text: fc.boolean(),
  })
  .map(({ path, ext, text }) => [
    "A message.",
    "",
    `diff --git a/${path} b/${path}`,
    ext,
    ...(text
      ? [`--- a/${path}`, `+++ b/${path}`, "@@ -1,1 +1,1 @@", "-\tdefault n", "+\tdefault y if X86"]
      : []),
  ]);
const text = fc
  .tuple(
    rarely(
      fc.constantFrom("From: In Body <inbody@example.org>\n\n", "\n \nFrom: x@example.org\n\n"),
      fc.constant(""),
    ),
    fc.oneof(fc.array(proseLine, { maxLength: 25 }), fc.array(bodyLine, { maxLength: 25 }), gitSection),
  )
  .map(([inBody, lines]) => `${inBody}${lines.join("\n")}\n`);

const contentType = rarely(
  fc.constantFrom(
    'text/plain; charset="utf-8"; format=flowed; delsp=yes',
    "text/plain; charset=utf-16",
    "text/plain; charset=koi8-r",
    "text/html",
    "message/rfc822",
    "text/plain; charset=utf-8 (comment)",
    "",
  ),
  fc.constantFrom(
    undefined,
    "text/plain",
    "text/plain; charset=us-ascii",
    "text/plain; charset=utf-8; format=flowed",
    "text/plain; charset=iso-8859-1",
    "text/x-patch; name=fix.patch",
    "application/octet-stream",
  ),
);
const encoding = rarely(
  fc.constantFrom("BASE64", "x-uuencode", "7bit (comment)"),
  fc.constantFrom(undefined, "7bit", "8bit", "base64", "quoted-printable"),
);

interface Leaf {
  contentType: string | undefined;
  encoding: string | undefined;
  disposition: string | undefined;
  body: string;
  /** Characters cut off the end of the encoded body (a damaged part). */
  damage: number;
}

const leaf: fc.Arbitrary<Leaf> = fc.record({
  contentType,
  encoding,
  disposition: fc.constantFrom(undefined, "inline", "attachment; filename=a.patch"),
  body: text,
  damage: rarely(fc.nat(10), fc.constant(0)),
});

function encodeBody(body: string, cte: string | undefined, damage: number): string {
  const lower = cte?.toLowerCase();
  const encoded =
    lower === "base64"
      ? `${Buffer.from(body).toString("base64").replace(/.{76}/g, "$&\n")}\n`
      : lower === "quoted-printable"
        ? quotedPrintable(body)
        : body;
  return damage > 0 && encoded.length > 0
    ? encoded.slice(0, encoded.length - (damage % encoded.length))
    : encoded;
}

function leafText(l: Leaf): string {
  const head = [
    l.contentType !== undefined ? `Content-Type: ${l.contentType}` : undefined,
    l.encoding !== undefined ? `Content-Transfer-Encoding: ${l.encoding}` : undefined,
    l.disposition !== undefined ? `Content-Disposition: ${l.disposition}` : undefined,
  ].filter((h) => h !== undefined);
  return `${head.join("\n")}${head.length ? "\n" : ""}\n${encodeBody(l.body, l.encoding, l.damage)}`;
}

const message = fc
  .record({
    subject: fc.constantFrom(
      "[PATCH] widget",
      "Re: [PATCH 1/2] widget",
      "[PATCH v2 0/3] cover",
      "[GIT PULL] iommu",
      "=?utf-8?q?R=C3=A9:_[PATCH]?= x",
      "",
      "[RFC PATCH] x",
    ),
    from: fc.constantFrom(
      "Alice <alice@example.org>",
      '"Bob, B" <bob@example.org>',
      "team: a@example.org, b@example.org;",
      "",
      "=?utf-8?b?w6k=?= <e@example.org>",
      "plain@example.org",
    ),
    extra: rarely(
      fc.subarray([
        "X-Folded: a\n\tb",
        "Subject: second subject",
        "Content-Type: text/html",
        "Message-ID: <dup@example.org>",
        "X-Bare: a\rb",
        "Cc: c@example.org,\n d@example.org",
      ]),
      fc.constant<string[]>([]),
    ),
    multipart: fc.option(
      fc.record({
        kind: fc.constantFrom("mixed", "mixed", "alternative", "signed", "digest"),
        parts: fc.array(leaf, { minLength: 1, maxLength: 4 }),
        closed: rarely(fc.constant(false), fc.constant(true)),
        preamble: fc.constantFrom("", "This is a MIME message.\n", "diff --git a/p b/p\n"),
      }),
    ),
    single: leaf,
    crlf: fc.boolean(),
  })
  .map((m) => {
    const top = [
      `From: ${m.from}`,
      `Subject: ${m.subject}`,
      "Date: Wed, 15 May 2019 09:00:00 +0200",
      "Message-Id: <fuzz@example.org>",
      "MIME-Version: 1.0",
      ...m.extra,
    ].join("\n");
    let raw: string;
    if (m.multipart) {
      const { kind, parts, closed, preamble } = m.multipart;
      const body = parts.map((p) => `--b1\n${leafText(p)}`).join("\n");
      raw = `${top}\nContent-Type: multipart/${kind}; boundary="b1"\n\n${preamble}${body}\n${closed ? "--b1--\n" : ""}`;
    } else raw = `${top}\n${leafText(m.single)}`;
    return Buffer.from(m.crlf ? raw.replace(/\n/g, "\r\n") : raw, "utf8");
  });

describe("MIME path (fuzz)", () => {
  const ctx = context();

  test("the prefilter settles a message only as the full path would; nothing throws; within budget", async () => {
    const routes = { prefilter: 0, full: 0 };
    await fc.assert(
      fc.asyncProperty(message, async (raw) => {
        const started = performance.now();
        const result = await reviewPiece(mailPiece(raw), ctx);
        expectWithinBudget(started, raw.length);
        expect(result.disagreement).toBeUndefined();
        routes[result.route]++;
      }),
      FUZZ,
    );
    // Both paths were exercised, or the property says little.
    expect(routes.prefilter).toBeGreaterThan(routes.full / 10);
    expect(routes.full).toBeGreaterThan(routes.prefilter / 10);
  });

  test("without rules (the dry run's reading), a skipped message is the full path's item", async () => {
    await fc.assert(
      fc.asyncProperty(message, async (raw) => {
        const verdict = prefilter(raw);
        if (verdict.kind !== "skipped") return;
        expect(skippedItem(verdict, "s", 0)).toEqual(await messageToItem(raw, "s", 0));
      }),
      FUZZ,
    );
  });

  test("arbitrary bytes give one entry, never an exception", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 4000 }), async (bytes) => {
        const raw = Buffer.from(bytes);
        const started = performance.now();
        const result = await reviewPiece(mailPiece(raw), ctx);
        expectWithinBudget(started, raw.length);
        expect(result.review.position).toBe(0);
        expect(result.disagreement).toBeUndefined();
      }),
      FUZZ,
    );
  });
});
