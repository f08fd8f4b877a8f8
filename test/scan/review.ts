// Runs one message through the scan's review with the prefilter checked against the full path.

import { expect } from "@jest/globals";
import type { InputPiece } from "../../src/ingest/stream.js";
import { compileWatch } from "../../src/ingest/watch.js";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules, type Rule } from "../../src/rules/load.js";
import { DEFAULT_LIMITS, type Limits } from "../../src/scan/limits.js";
import { type PieceReview, type ReviewContext, reviewPiece } from "../../src/scan/review-piece.js";

export const RULES = loadRules(DEFAULT_RULES_DIR);

export function context(rules: readonly Rule[] = RULES, limits: Limits = DEFAULT_LIMITS): ReviewContext {
  return { rules, watch: compileWatch(rules), limits, verifyPrefilter: true };
}

export function mailPiece(bytes: Buffer, position = 0, mboxrd = false): InputPiece {
  return { kind: "mail", source: "test", position, bytes, size: bytes.length, truncated: false, mboxrd };
}

/** Reviews `raw`; fails the test when the prefilter settled it differently from the full path. */
export async function reviewChecked(raw: Buffer, ctx = context()): Promise<PieceReview> {
  const result = await reviewPiece(mailPiece(raw), ctx);
  expect(result.disagreement).toBeUndefined();
  return result;
}
