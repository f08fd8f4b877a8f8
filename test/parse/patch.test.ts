import { describe, expect, test } from "@jest/globals";
import type { InputItem, Patch } from "../../src/model.js";
import { diffToItem, messageToItem } from "../../src/parse/patch.js";
import { fixture } from "./fixtures.js";

function patchOf(item: InputItem): Patch {
  if (item.kind !== "patch") throw new Error(`expected a patch, got ${JSON.stringify(item)}`);
  return item.patch;
}

describe("messageToItem", () => {
  test("a format-patch mail becomes a patch", async () => {
    const patch = patchOf(await messageToItem(fixture("kconfig-patch.eml"), "kconfig-patch.eml", 0));
    expect(patch).toMatchObject({
      source: "kconfig-patch.eml",
      position: 0,
      subject: "[PATCH] widget: Default to lazy flushing on the alpha test platform",
      title: "widget: Default to lazy flushing on the alpha test platform",
      version: 1,
      rfc: false,
      author: { name: "Alice Example", email: "alice@example.org" },
      date: "2019-05-14T08:12:00.000Z",
      messageId: "20190514081200.1001-1-alice@example.org",
      references: [],
      to: [{ name: "", email: "widgets@lists.example.org" }],
    });
    expect(patch.seriesIndex).toBeUndefined();
    expect(patch.inReplyTo).toBeUndefined();
    expect(patch.files.map((f) => f.path)).toEqual(["drivers/widget/Kconfig"]);
  });

  test("the commit message keeps its trailers and loses the diffstat and the diff", async () => {
    const patch = patchOf(await messageToItem(fixture("kconfig-patch.eml"), "x", 0));
    expect(patch.message).toBe(
      [
        "The alpha test platform flushes much faster in batches. Make lazy",
        "flushing its default.",
        "",
        "diff between strict and lazy on this platform is large, see below.",
        "--- not a separator, just a line in the message ---",
        "",
        "Signed-off-by: Alice Example <alice@example.org>",
      ].join("\n"),
    );
  });

  test("without a '---' separator the message ends at the diff", async () => {
    const raw = fixture("kconfig-patch.eml").replace(/^---\n(?:.*\n)*?\n(?=diff --git)/m, "");
    expect(raw).not.toMatch(/^---$/m);
    const patch = patchOf(await messageToItem(raw, "x", 0));
    expect(patch.message.endsWith("Signed-off-by: Alice Example <alice@example.org>")).toBe(true);
    expect(patch.files).toHaveLength(1);
  });

  test("an in-body From: names the author", async () => {
    const raw = fixture("kconfig-patch.eml").replace(
      "\n\nThe alpha test platform",
      "\n\nFrom: Frank Author <frank@example.org>\n\nThe alpha test platform",
    );
    const patch = patchOf(await messageToItem(raw, "x", 0));
    expect(patch.author).toEqual({ name: "Frank Author", email: "frank@example.org" });
    expect(patch.message.startsWith("The alpha test platform")).toBe(true);
  });

  test("a patch attached to a multipart message", async () => {
    const patch = patchOf(await messageToItem(fixture("multipart-attached.eml"), "x", 3));
    expect(patch.position).toBe(3);
    expect(patch.files[0]!.hunks).toHaveLength(2);
    expect(patch.message).toContain("Signed-off-by: Alice Example <alice@example.org>");
  });

  test("a reply that quotes the patch is skipped", async () => {
    expect(await messageToItem(fixture("reply-quoting-patch.eml"), "r.eml", 1)).toEqual({
      kind: "skipped",
      reason: "reply without a diff",
      source: "r.eml",
      position: 1,
      subject: "Re: [PATCH] widget: Default to lazy flushing on the alpha test platform",
      messageId: "87abcdef.fsf@bob.example.org",
      author: { name: "Bob Reviewer", email: "bob@example.org" },
    });
  });

  test("a pull request is skipped", async () => {
    const item = await messageToItem(fixture("pull-request.eml"), "p.eml", 0);
    expect(item).toMatchObject({ kind: "skipped", reason: "pull request" });
  });

  test("a message without a diff is skipped", async () => {
    const raw = "From: a@example.org\nSubject: [PATCH] widget: words only\n\nNo diff here.\n---\n a | 1 +\n";
    expect(await messageToItem(raw, "x", 0)).toMatchObject({ kind: "skipped", reason: "no diff in message" });
  });

  test("an unreadable message is an error naming the problem", async () => {
    expect(await messageToItem("not a message at all\n", "bad", 4)).toEqual({
      kind: "error",
      source: "bad",
      position: 4,
      error: "not a mail message: no header lines at the top",
    });
  });
});

describe("diffToItem", () => {
  test("a bare diff becomes a patch without mail fields", () => {
    const patch = patchOf(diffToItem(fixture("mixed.diff"), "mixed.diff", 0));
    expect(patch).toMatchObject({
      subject: "",
      title: "",
      message: "",
      version: 1,
      rfc: false,
      references: [],
    });
    expect(patch.files).toHaveLength(8);
  });

  test("text without a diff is skipped", () => {
    expect(diffToItem("nothing\n", "n", 0)).toEqual({
      kind: "skipped",
      source: "n",
      position: 0,
      reason: "no diff in input",
    });
  });
});
