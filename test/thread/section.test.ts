import { describe, expect, test } from "@jest/globals";
import {
  carryDiscussionSection,
  DISCUSSION_END,
  DISCUSSION_START,
  discussionSectionOf,
  withDiscussionSection,
  withoutDiscussionSection,
} from "../../src/thread/section.js";

const SUMMARY = "<!-- iommu-review:summary -->\n## iommu-review\n\nfindings here\n";

describe("discussion section", () => {
  test("is appended between markers, then replaced in place without touching the rest", () => {
    const once = withDiscussionSection(SUMMARY, "### Discussion so far\n\nfirst");
    expect(once).toBe(`${SUMMARY}\n${DISCUSSION_START}\n### Discussion so far\n\nfirst\n${DISCUSSION_END}\n`);
    const twice = withDiscussionSection(once, "### Discussion so far\n\nsecond");
    expect(twice).toBe(once.replace("first", "second"));
    expect(withoutDiscussionSection(twice)).toBe(SUMMARY);
  });

  test("is cut to keep the whole body under GitHub's limit", () => {
    const body = withDiscussionSection(SUMMARY, "x".repeat(500), 300);
    expect(body.length).toBeLessThanOrEqual(300);
    expect(discussionSectionOf(body)).toContain("the discussion digest was cut here");
  });

  test("survives a rewrite of the summary when the caller carries it over", () => {
    const old = withDiscussionSection(SUMMARY, "kept digest");
    const rewritten = "<!-- iommu-review:summary -->\n## iommu-review\n\nnew findings\n";
    const carried = carryDiscussionSection(old, rewritten);
    expect(carried).toContain("new findings");
    expect(discussionSectionOf(carried)).toContain("kept digest");
    expect(carryDiscussionSection(undefined, rewritten)).toBe(rewritten);
  });
});
