// What a scan keeps of each entry: its record in the JSON contract, and the few facts the summary counts.

import type { PatchReview, Severity } from "../model.js";
import { type JsonPatch, toJsonContract } from "../render/json.js";
import type { PieceReview } from "./review-piece.js";

export interface EntryStats {
  status: "reviewed" | "skipped" | "error";
  /** Why it was skipped. */
  reason?: string;
  /** What is wrong with it, for an error entry. */
  error?: string;
  findings: { rule: string; severity: Severity }[];
  /** Settled by the prefilter, without the MIME and diff parse. */
  prefiltered: boolean;
  /** With --verify-prefilter: the full path disagreed with the prefilter. */
  disagreed: boolean;
}

/** The entry as one element of the JSON contract's "patches" (one JSON Lines record). */
export function jsonRecord(review: PatchReview): JsonPatch {
  return toJsonContract({ patches: [review] }).patches[0]!;
}

export function statsOf({ review, route, disagreement }: PieceReview): EntryStats {
  const status = review.error !== undefined ? "error" : review.skipped !== undefined ? "skipped" : "reviewed";
  const stats: EntryStats = {
    status,
    findings:
      status === "reviewed" ? review.findings.map((f) => ({ rule: f.rule, severity: f.severity })) : [],
    prefiltered: route === "prefilter",
    disagreed: disagreement !== undefined,
  };
  if (review.skipped !== undefined) stats.reason = review.skipped;
  if (review.error !== undefined) stats.error = review.error;
  return stats;
}
