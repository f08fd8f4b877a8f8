// Commit-message checks: the arithmetic of stated speed-ups, wording that misdescribes the default, and what the
// benchmark evidence does not cover. Deterministic and offline; every note says how it was reached.

import type { ClaimCheck } from "../model.js";
import { checkCoverage, hasBenchmarkEvidence } from "./claims/coverage.js";
import { type BenchmarkContext, readBenchmarkContext } from "./claims/evidence.js";
import {
  extractMeasurements,
  type Measurement,
  type MeasurementPair,
  pairMeasurements,
} from "./claims/measurements.js";
import { checkArithmetic, extractStatedRatios, type StatedRatio } from "./claims/ratios.js";
import { normaliseMessage } from "./claims/text.js";
import { checkWording } from "./claims/wording.js";

export type { BenchmarkContext } from "./claims/evidence.js";
export type { Measurement, MeasurementPair } from "./claims/measurements.js";
export type { StatedRatio } from "./claims/ratios.js";

export interface ClaimsContext {
  /** Architectures whose effective default the patch changes (arch/ directory names, e.g. "arm64"). */
  changedArches?: string[];
}

export interface BenchmarkEvidence {
  measurements: Measurement[];
  pairs: MeasurementPair[];
  ratios: StatedRatio[];
  context: BenchmarkContext;
}

/** Everything the checks read from a commit message. Positions refer to the message with CRLF turned into LF
 * and trailing blanks removed from each line. */
export function extractBenchmarkEvidence(message: string): BenchmarkEvidence {
  const text = normaliseMessage(message);
  const measurements = extractMeasurements(text);
  return {
    measurements,
    pairs: pairMeasurements(text, measurements),
    ratios: extractStatedRatios(text, measurements),
    context: readBenchmarkContext(text),
  };
}

/** Arithmetic checks first, then wording, then coverage gaps. */
export function checkClaims(message: string, context: ClaimsContext = {}): ClaimCheck[] {
  const text = normaliseMessage(message);
  const measurements = extractMeasurements(text);
  const pairs = pairMeasurements(text, measurements);
  const ratios = extractStatedRatios(text, measurements);
  // Reading the benchmark context scans the whole message many times; only coverage needs it.
  const coverage = hasBenchmarkEvidence(measurements, ratios)
    ? checkCoverage({
        text,
        context: readBenchmarkContext(text),
        measurements,
        ratios,
        changedArches: context.changedArches,
      })
    : [];
  return [...checkArithmetic(text, ratios, pairs), ...checkWording(text, context), ...coverage];
}
