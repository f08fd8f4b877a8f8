import { describe, test } from "@jest/globals";
import { renderJson } from "../../src/render/json.js";
import { renderFindingComment, renderMarkdown } from "../../src/render/markdown.js";
import { renderSarif } from "../../src/render/sarif.js";
import { renderText } from "../../src/render/text.js";
import { ARM64_FINDING, C_CODE_FINDING, REVIEW, RULES } from "./fixtures.js";
import { expectGolden } from "./golden.js";

describe("golden files", () => {
  test("markdown summary", () => expectGolden("review.md", renderMarkdown(REVIEW)));
  test("markdown without heading", () =>
    expectGolden("review-no-heading.md", renderMarkdown(REVIEW, { heading: false })));
  test("inline comment on the arm64 default", () =>
    expectGolden("comment-arm64.md", renderFindingComment(ARM64_FINDING)));
  test("inline comment on a finding without a table", () =>
    expectGolden("comment-c-code.md", renderFindingComment(C_CODE_FINDING)));
  test("plain text", () => expectGolden("review.txt", renderText(REVIEW)));
  test("json contract", () => expectGolden("review.json", renderJson(REVIEW)));
  test("sarif", () => expectGolden("review.sarif", renderSarif(REVIEW, RULES)));
});
