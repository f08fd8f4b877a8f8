// Entries the scan engine hands to a renderer ("entries" style) leave out their patch's files and commit
// message. The renderers must print exactly what they print for the whole entries.

import { describe, expect, test } from "@jest/globals";
import type { Review } from "../../src/model.js";
import { renderJson } from "../../src/render/json.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderSarif } from "../../src/render/sarif.js";
import { renderText } from "../../src/render/text.js";
import { resultOf } from "../../src/scan/process-piece.js";
import { REVIEW, RULES } from "../render/fixtures.js";
import { mailPiece } from "./review.js";

function asEngineEntries(review: Review): Review {
  return {
    patches: review.patches.map((entry) => {
      const piece = mailPiece(Buffer.alloc(0), entry.position);
      return resultOf(piece, { review: entry, route: "full" }, "entries").entry!;
    }),
  };
}

describe("entries for the renderers", () => {
  const slim = asEngineEntries(REVIEW);

  test("carry no files or commit message of their patch", () => {
    expect(REVIEW.patches.some((e) => (e.patch?.files.length ?? 0) > 0)).toBe(true);
    for (const entry of slim.patches) {
      expect(entry.patch?.files ?? []).toEqual([]);
      expect(entry.patch?.message ?? "").toBe("");
    }
  });

  test("render exactly as the whole entries in every format", () => {
    expect(renderText(slim)).toBe(renderText(REVIEW));
    expect(renderMarkdown(slim)).toBe(renderMarkdown(REVIEW));
    expect(renderJson(slim)).toBe(renderJson(REVIEW));
    expect(renderSarif(slim, RULES)).toBe(renderSarif(REVIEW, RULES));
  });
});
