import { describe, expect, test } from "@jest/globals";
import { answeredQuotes, splitReply } from "../../src/thread/quotes.js";

const kinds = (body: string) =>
  splitReply(body).segments.map((s) => (s.level ? `${s.kind}${s.level}` : s.kind));
const own = (body: string) => splitReply(body).paragraphs.map((p) => p.text);

describe("splitReply", () => {
  test("separates quote levels, a one-line attribution and the author's text", () => {
    const body = [
      "On Mon, Jan 05, 2026 at 10:00:00AM +0000, Pat Author wrote:",
      "> > older point",
      "> newer point",
      "",
      "My answer to both.",
    ].join("\n");
    expect(kinds(body)).toEqual(["attribution", "quote2", "quote1", "text"]);
    expect(splitReply(body).paragraphs).toEqual([{ text: "My answer to both.", answers: "newer point" }]);
  });

  test("recognises a Gmail attribution wrapped over two lines", () => {
    const body = [
      "On Tue, Aug 25, 2020 at 8:43 AM Some Body",
      "<some@example.org> wrote:",
      "> quoted",
      "",
      "Mine.",
    ].join("\n");
    expect(kinds(body)).toEqual(["attribution", "quote1", "text"]);
    expect(own(body)).toEqual(["Mine."]);
  });

  test("drops the signature, a closing and the list footer", () => {
    const body = [
      "The point I make.",
      "",
      "Thanks,",
      "Ada.",
      "",
      "-- ",
      "Ada Reviewer, Example Corp",
      "_______________________________________________",
      "iommu mailing list",
      "https://lists.example.org/mailman/listinfo/iommu",
    ].join("\n");
    expect(kinds(body)).toEqual(["text", "signature", "signature", "footer"]);
    expect(own(body)).toEqual(["The point I make."]);
  });

  test("a closing two paragraphs long and a bare name are not the author's text", () => {
    expect(own("Point one.\n\nRegards,\n\n\tBo\n")).toEqual(["Point one."]);
    expect(own("Point one.\n\n-Doug\n")).toEqual(["Point one."]);
    // A last sentence of a few words is kept when it has more than one sentence in it.
    expect(own("Point one.\n\nYes. Agreed.\n")).toEqual(["Point one.", "Yes. Agreed."]);
  });

  test("a patch pasted below the text and an Outlook original message are not the author's text", () => {
    expect(own("Try this instead:\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n+new line\n")).toEqual([
      "Try this instead:",
    ]);
    expect(own("Agreed.\n\n-----Original Message-----\nFrom: x\nSome earlier text\n")).toEqual(["Agreed."]);
  });

  test("the quoted patch of a reply is quote, whatever it contains", () => {
    const body = "> diff --git a/x b/x\n> -old\n> +new\n\nThis hunk is wrong.\n";
    expect(kinds(body)).toEqual(["quote1", "text"]);
    expect(own(body)).toEqual(["This hunk is wrong."]);
  });

  test("answeredQuotes lists only quotes followed by the author's own text", () => {
    const reply = splitReply("> first\n\nanswer\n\n> second\n> more\n\n-- \nsig\n");
    expect(answeredQuotes(reply)).toEqual(["first"]);
  });
});
