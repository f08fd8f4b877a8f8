// What the benchmark evidence leaves out. Only reported when the message offers evidence, and each gap only
// when the message does not discuss it anywhere.

import type { ClaimCheck } from "../../model.js";
import type { BenchmarkContext, WorkloadCategory } from "./evidence.js";
import type { Measurement } from "./measurements.js";
import type { StatedRatio } from "./ratios.js";
import { listInWords, oneLine, sentenceText } from "./text.js";

export interface CoverageInput {
  /** The normalised message. */
  text: string;
  context: BenchmarkContext;
  measurements: readonly Measurement[];
  ratios: readonly StatedRatio[];
  changedArches?: readonly string[];
}

type Gap = (input: CoverageInput) => string | undefined;

const CATEGORY_WORDS: Record<Exclude<WorkloadCategory, "application">, string> = {
  network: "network traffic",
  storage: "storage/block I/O",
  latency: "latency/small-packet traffic",
};

function workloadNames(input: CoverageInput): string {
  return listInWords(input.context.workloads.map((w) => w.name));
}

/** Network is only called missing when something else (storage, an application) was measured instead: a bare
 * Gbps figure with no workload named is most likely network traffic. */
function missingCategories(input: CoverageInput): string[] {
  const { workloads, topics } = input.context;
  const measuredAs = (...categories: WorkloadCategory[]) =>
    workloads.some((w) => categories.includes(w.category));
  const networkMissing =
    !topics.network && !measuredAs("network", "latency") && (topics.storage || measuredAs("application"));
  return [
    networkMissing ? CATEGORY_WORDS.network : undefined,
    topics.storage || measuredAs("storage") ? undefined : CATEGORY_WORDS.storage,
    topics.latency || measuredAs("latency") ? undefined : CATEGORY_WORDS.latency,
  ].filter((s): s is string => s !== undefined);
}

const workloadGap: Gap = (input) => {
  const missing = missingCategories(input);
  if (missing.length === 0) return undefined;
  const { workloads } = input.context;
  const measured =
    workloads.length === 0
      ? "No workload is named"
      : `Only ${workloadNames(input)} ${workloads.length === 1 ? "is" : "are"} measured`;
  return `${measured}; nothing on ${missing.join(" or ")}.`;
};

const cpuGap: Gap = (input) =>
  input.context.topics.cpu
    ? undefined
    : "No CPU-utilisation figures: it is not shown how much CPU time strict mode spends on invalidations, or " +
      "whether the CPU or the link is the limit.";

function archScope(arches: readonly string[] | undefined): string {
  if (!arches || arches.length === 0) return "The new default applies to many kinds of system";
  return `The change applies to all ${listInWords([...arches])} systems`;
}

const platformGap: Gap = (input) => {
  const { platforms, mentionsSlowerLinks, mentionsEmbedded } = input.context;
  if (platforms.length > 1 || (mentionsSlowerLinks && mentionsEmbedded)) return undefined;
  const measured =
    platforms.length === 1
      ? `the measurement is one machine (${platforms[0]})`
      : "the test machine is not named";
  const missing = [
    mentionsSlowerLinks ? undefined : "slower links (10GbE or below)",
    mentionsEmbedded ? undefined : "embedded/mobile systems",
  ].filter((s): s is string => s !== undefined);
  return `${archScope(input.changedArches)}, but ${measured}; nothing on ${missing.join(" or ")}.`;
};

const forcedStrictGap: Gap = (input) =>
  input.context.topics.forcedStrict
    ? undefined
    : "Nothing on devices that stay strict whatever the default (untrusted/external-facing PCI devices, IOMMU " +
      "drivers without deferred-flush support), i.e. which devices the change actually affects.";

const virtualisedGap: Gap = (input) => {
  if (input.context.topics.virtualised) return undefined;
  const where = input.context.bareMetal ? "Measured on bare metal only; nothing" : "Nothing";
  return (
    `${where} on virtualised guests, where each invalidation may trap to the hypervisor and the balance ` +
    "differs (VT-d with caching mode, for example, disables flush batching)."
  );
};

const securityGap: Gap = (input) =>
  input.context.topics.security
    ? undefined
    : "No security analysis of the lazy window: until the flush queue is flushed (up to 10 ms by default), a " +
      "device with a cached translation can still access memory that was unmapped and may have been reused.";

const rawFiguresGap: Gap = (input) =>
  input.measurements.length > 0
    ? undefined
    : "A ratio is stated without the measurements behind it; give the absolute figures for both modes.";

const GAPS: readonly Gap[] = [
  rawFiguresGap,
  workloadGap,
  cpuGap,
  platformGap,
  forcedStrictGap,
  virtualisedGap,
  securityGap,
];

/** Benchmark evidence: a figure other than a percentage, or a stated speed-up. */
export function hasBenchmarkEvidence(
  measurements: readonly Measurement[],
  ratios: readonly StatedRatio[],
): boolean {
  return measurements.some((m) => m.family !== "percent") || ratios.length > 0;
}

function evidenceClaim(input: CoverageInput): string {
  if (input.context.setup) return input.context.setup;
  const first = input.measurements[0];
  if (first) return oneLine(sentenceText(input.text, first.start, first.end));
  return input.ratios.map((r) => `${r.numberText}${r.kind === "times" ? "×" : "%"}`).join(", ");
}

/** One ClaimCheck per gap in the evidence, empty when the message has no benchmark evidence. */
export function checkCoverage(input: CoverageInput): ClaimCheck[] {
  if (!hasBenchmarkEvidence(input.measurements, input.ratios)) return [];
  const claim = evidenceClaim(input);
  return GAPS.map((gap) => gap(input))
    .filter((note): note is string => note !== undefined)
    .map((note) => ({ kind: "coverage", ok: false, claim, note }));
}
