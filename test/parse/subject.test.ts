import { describe, expect, test } from "@jest/globals";
import { parseSubject } from "../../src/parse/subject.js";

describe("parseSubject", () => {
  test("a single patch", () => {
    expect(parseSubject("[PATCH] widget: Default to lazy flushing")).toEqual({
      title: "widget: Default to lazy flushing",
      version: 1,
      rfc: false,
      prefixes: ["PATCH"],
      isReply: false,
    });
  });

  test("a cover letter of a v2 series", () => {
    const subject = parseSubject("[PATCH v2 0/2] widget: flush defaults");
    expect(subject).toMatchObject({
      title: "widget: flush defaults",
      version: 2,
      seriesIndex: 0,
      seriesTotal: 2,
    });
  });

  test("an RFC patch in a series", () => {
    const subject = parseSubject("[RFC PATCH 3/7] widget: Try something");
    expect(subject).toMatchObject({ rfc: true, version: 1, seriesIndex: 3, seriesTotal: 7 });
    expect(subject.prefixes).toEqual(["RFC", "PATCH"]);
  });

  test("a resend of v9", () => {
    const subject = parseSubject("[PATCH RESEND v9 1/7] widget: Make it so");
    expect(subject).toMatchObject({
      title: "widget: Make it so",
      version: 9,
      seriesIndex: 1,
      seriesTotal: 7,
    });
    expect(subject.prefixes).toEqual(["PATCH", "RESEND"]);
  });

  test("a subsystem tree tag", () => {
    const subject = parseSubject("[PATCH net-next] widget: Use the new API");
    expect(subject.prefixes).toEqual(["PATCH", "net-next"]);
    expect(subject.seriesIndex).toBeUndefined();
    expect(subject.title).toBe("widget: Use the new API");
  });

  test("replies in any case, and nested ones", () => {
    for (const marker of ["Re:", "RE:", "re:", "Re: Re:", "AW:", "Re[2]:"]) {
      const subject = parseSubject(`${marker} [PATCH v3 2/4] widget: Fix it`);
      expect(subject).toMatchObject({ isReply: true, version: 3, seriesIndex: 2, title: "widget: Fix it" });
    }
  });

  test("a forward is not a reply", () => {
    const subject = parseSubject("Fwd: [PATCH] widget: Fix it");
    expect(subject).toMatchObject({ isReply: false, title: "widget: Fix it" });
  });

  test("folded whitespace", () => {
    const subject = parseSubject("[PATCH v2\n 1/2]  widget:\tDefault to lazy\n\tflushing ");
    expect(subject).toMatchObject({ title: "widget: Default to lazy flushing", version: 2, seriesIndex: 1 });
  });

  test("several bracket groups", () => {
    const subject = parseSubject("Re: [widget-devel] [RFC] [PATCH v4 05/12] widget: Split");
    expect(subject).toMatchObject({ isReply: true, rfc: true, version: 4, seriesIndex: 5, seriesTotal: 12 });
    expect(subject.prefixes).toEqual(["widget-devel", "RFC", "PATCH"]);
    expect(subject.title).toBe("widget: Split");
  });

  test("a version glued to the tag", () => {
    expect(parseSubject("[PATCHv5 2/3] widget: x")).toMatchObject({ version: 5, prefixes: ["PATCH"] });
    expect(parseSubject("[RFCv2] widget: x")).toMatchObject({ version: 2, rfc: true, prefixes: ["RFC"] });
  });

  test("a pull request", () => {
    const subject = parseSubject("[GIT PULL] widget: fixes for v5.2");
    expect(subject.prefixes).toEqual(["GIT", "PULL"]);
    expect(subject.title).toBe("widget: fixes for v5.2");
  });

  test("no tags at all", () => {
    expect(parseSubject("Re: widget: question")).toEqual({
      title: "widget: question",
      version: 1,
      rfc: false,
      prefixes: [],
      isReply: true,
    });
    expect(parseSubject("").title).toBe("");
  });
});
