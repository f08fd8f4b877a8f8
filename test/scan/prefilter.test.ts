import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import { readPieces } from "../../src/ingest/stream.js";
import { parseRule } from "../../src/rules/load.js";
import { reviewPiece } from "../../src/scan/review-piece.js";
import { mail, patchBody } from "./mail.js";
import { context, RULES, reviewChecked } from "./review.js";

// The prefilter settles a message only when the full path would give the same entry; every test here runs
// both (verifyPrefilter) and fails on any difference, then checks which path was taken.

const ROOT = join(import.meta.dirname, "../..");
const KCONFIG_PATCH = readFileSync(
  join(ROOT, "rules/iommu-default-domain-choice/triggers/arm64-lazy-full-context.patch"),
);

async function piecesOf(file: string) {
  const pieces = [];
  for await (const piece of readPieces(file)) pieces.push(piece);
  return pieces;
}

describe("prefilter agrees with the full path", () => {
  const files = [
    ...readdirSync(join(ROOT, "test/fixtures/mail")).map((f) => join(ROOT, "test/fixtures/mail", f)),
    ...RULES.flatMap((r) =>
      ["triggers", "ignores"].flatMap((d) => {
        const dir = join(r.dir, d);
        return readdirSync(dir)
          .filter((f) => f.endsWith(".patch"))
          .map((f) => join(dir, f));
      }),
    ),
    join(ROOT, "examples/arm64-lazy-default.patch"),
  ];

  test.each(files.map((f) => [f.slice(ROOT.length + 1), f]))("%s", async (_name, file) => {
    for (const piece of await piecesOf(file)) {
      const result = await reviewPiece(piece, context());
      expect(result.disagreement).toBeUndefined();
    }
  });
});

describe("what the prefilter settles", () => {
  test("a reply without a diff is skipped without parsing, author and Message-Id as the full path reads them", async () => {
    const raw = mail({
      subject: "Re: [PATCH v2 1/2] widget: something",
      from: '"Reviewer, Bob" <bob@example.org>',
      messageId: "reply-1@example.org",
      body: "> diff --git a/drivers/iommu/Kconfig b/drivers/iommu/Kconfig\n> +default y\n\nLooks good.\n",
    });
    const { review, route } = await reviewChecked(raw);
    expect(route).toBe("prefilter");
    expect(review).toMatchObject({
      skipped: "reply without a diff",
      messageId: "reply-1@example.org",
      author: { name: "Reviewer, Bob", email: "bob@example.org" },
    });
  });

  test("a patch touching only a file no rule watches is reviewed without findings, without parsing", async () => {
    const raw = mail({ body: patchBody("drivers/widget/core.c", "\tx = 1;", "\tx = 2;") });
    const { review, route } = await reviewChecked(raw);
    expect(route).toBe("prefilter");
    expect(review.findings).toEqual([]);
    expect(review.skipped).toBeUndefined();
  });

  test("a C change with a watched identifier on a changed line takes the full path", async () => {
    const raw = mail({
      body: patchBody("drivers/iommu/iommu.c", "\tiommu_set_dma_strict();", "\t/* lazy now */"),
    });
    const { review, route } = await reviewChecked(raw);
    expect(route).toBe("full");
    expect(review.findings.map((f) => f.rule)).toContain("iommu-strictness-in-c");
  });

  test("the watched identifier only in a context line does not need the full path", async () => {
    const body = patchBody("drivers/iommu/iommu.c", "\tx = 1;", "\tx = 2;").replace(
      " keep one",
      " iommu_set_dma_strict();",
    );
    const { route } = await reviewChecked(mail({ body }));
    expect(route).toBe("prefilter");
  });

  test("any Kconfig change takes the full path", async () => {
    const { route, review } = await reviewChecked(KCONFIG_PATCH.subarray(KCONFIG_PATCH.indexOf("\n") + 1));
    expect(route).toBe("full");
    expect(review.findings.map((f) => f.rule)).toContain("iommu-default-domain-choice");
  });

  test("an in-body From: line names the author", async () => {
    const body = `From: Carol Author <carol@example.org>\n\n${patchBody("drivers/widget/core.c", "a", "b")}`;
    const { review, route } = await reviewChecked(mail({ body }));
    expect(route).toBe("prefilter");
    expect(review.author).toEqual({ name: "Carol Author", email: "carol@example.org" });
  });

  test("the watch comes from the rules: a rule on a new identifier makes its patches need the full path", async () => {
    const rule = parseRule(
      [
        "id: frobnicate-calls",
        "title: Calls to frobnicate",
        "severity: info",
        "match:",
        "  kind: c-code",
        '  paths: ["**/*.c"]',
        "  patterns: ['\\bfrobnicate_all\\s*\\(']",
        "message: A frobnicate call changed.",
      ].join("\n"),
      "test-rule.yaml",
      ".",
    );
    const ctx = context([rule]);
    const hit = mail({ body: patchBody("drivers/widget/core.c", "\tx = 1;", "\tfrobnicate_all(x);") });
    const miss = mail({ body: patchBody("drivers/widget/core.c", "\tx = 1;", "\tx = 2;") });
    expect((await reviewChecked(hit, ctx)).route).toBe("full");
    expect((await reviewChecked(hit, ctx)).review.findings.map((f) => f.rule)).toEqual(["frobnicate-calls"]);
    expect((await reviewChecked(miss, ctx)).route).toBe("prefilter");
  });
});

describe("encodings that hide text from a byte search", () => {
  const kconfigBody = KCONFIG_PATCH.toString("utf8").replace(/^[\s\S]*?\n\n/, "");

  test.each(["base64", "quoted-printable"] as const)(
    "a Kconfig patch in %s is found and reviewed",
    async (encoding) => {
      const raw = mail({
        subject: "[PATCH] iommu: Make lazy invalidation the arm64 default",
        body: kconfigBody,
        encoding,
      });
      if (encoding === "quoted-printable") expect(raw.includes("diff --git")).toBe(false);
      const { review } = await reviewChecked(raw);
      expect(review.skipped).toBeUndefined();
      expect(review.findings.map((f) => f.rule)).toContain("iommu-default-domain-choice");
    },
  );

  test("a quoted-printable reply without a diff is settled", async () => {
    const raw = mail({
      subject: "Re: [PATCH] x",
      body: "On Monday you wrote:\n> diff --git a/x b/x\n\nThanks!\n",
      encoding: "quoted-printable",
    });
    const { route, review } = await reviewChecked(raw);
    expect(route).toBe("prefilter");
    expect(review.skipped).toBe("reply without a diff");
  });

  test("format=flowed: a soft line break cannot hide a diff", async () => {
    // "diff --git" split over a soft break ("diff " ends a line) becomes one line once decoded.
    const flowed = kconfigBody.replace(/^diff --git /m, "diff \n--git ");
    const raw = mail({ body: flowed, contentType: "text/plain; charset=us-ascii; format=flowed" });
    const { review } = await reviewChecked(raw);
    expect(review.skipped).toBeUndefined();
  });

  test("a patch attached in base64 to a multipart message is found", async () => {
    const attached = readFileSync(join(ROOT, "test/fixtures/mail/multipart-attached.eml"));
    const { route, review } = await reviewChecked(attached);
    expect(route).toBe("full");
    expect(review.skipped).toBeUndefined();
  });

  test("a multipart reply whose parts hold no diff line is settled", async () => {
    const raw = mail({
      subject: "Re: [PATCH] x",
      contentType: 'multipart/signed; boundary="b1"; protocol="application/pgp-signature"',
      body: [
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "I agree with the diff=20above.",
        "--b1",
        "Content-Type: application/pgp-signature",
        "",
        "-----BEGIN PGP SIGNATURE-----",
        "--b1--",
        "",
      ].join("\n"),
    });
    const { route, review } = await reviewChecked(raw);
    expect(route).toBe("prefilter");
    expect(review.skipped).toBe("reply without a diff");
  });

  test("CRLF line ends", async () => {
    const raw = mail({ body: patchBody("drivers/widget/core.c", "a", "b"), crlf: true });
    const { route } = await reviewChecked(raw);
    expect(route).toBe("prefilter");
  });
});
