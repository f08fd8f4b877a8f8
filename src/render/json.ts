import type { ArgumentCategory, ClaimKind, Finding, PatchReview, Review, Severity } from "../model.js";
import { authorOf, changedRows, formatPerson, isReviewed, messageIdOf, subjectOf } from "./common.js";

// The machine-readable contract (`--format json`). Fixed: keys, their order and their meaning only change
// with a new contract version. Absent values are null, never missing, except `skipped` and `error`, which
// appear only on entries that were skipped or failed.

export interface JsonArchChange {
  /** arch/ directory name. */
  arch: string;
  before: string;
  after: string;
  /** Only for the configurations in which it changes, in words ("INTEL_IOMMU=y"); absent when it always does. */
  when?: string;
  /** The change in one sentence, with what the recorded Kconfig facts say of the symbols `when` names. */
  summary?: string;
}

/** An architecture left out of perArch, and why. */
export interface JsonArchNote {
  arch: string;
  reason: string;
}

export interface JsonArgument {
  category: ArgumentCategory;
  text: string;
  who: string | null;
  /** A Message-Id (without brackets) or a URL. */
  where: string | null;
}

export interface JsonFinding {
  rule: string;
  severity: Severity;
  path: string;
  line: number;
  title: string;
  message: string;
  /** Exactly the architectures whose effective default changes. */
  perArch: JsonArchChange[];
  /** Architectures whose Kconfig value moves without effect there (choice hidden, IOMMU_DMA n); may be absent. */
  unaffected?: JsonArchNote[];
  /** Architectures on which the entry becomes visible or hidden; may be absent. */
  visibility?: JsonArchNote[];
  arguments: JsonArgument[];
}

export interface JsonClaim {
  kind: ClaimKind;
  ok: boolean;
  claim: string;
  note: string;
}

/** One entry per input message or diff, in input order. */
export interface JsonPatch {
  source: string;
  /** 0-based position in the input. */
  position: number;
  subject: string | null;
  /** Without angle brackets. */
  messageId: string | null;
  /** "Name <email>". */
  author: string | null;
  findings: JsonFinding[];
  claims: JsonClaim[];
  skipped?: string;
  error?: string;
}

export interface JsonReview {
  patches: JsonPatch[];
}

export function toJsonContract(review: Review): JsonReview {
  return { patches: review.patches.map(toJsonPatch) };
}

export function renderJson(review: Review): string {
  return `${JSON.stringify(toJsonContract(review), null, 2)}\n`;
}

function toJsonPatch(entry: PatchReview): JsonPatch {
  const reviewed = isReviewed(entry);
  const json: JsonPatch = {
    source: entry.source,
    position: entry.position,
    subject: subjectOf(entry) ?? null,
    messageId: messageIdOf(entry) ?? null,
    author: formatPerson(authorOf(entry)) ?? null,
    // Skipped and failed entries were not reviewed, so they carry no findings whatever the model holds.
    findings: reviewed ? entry.findings.map(toJsonFinding) : [],
    claims: reviewed
      ? entry.claims.map((c) => ({ kind: c.kind, ok: c.ok, claim: c.claim, note: c.note }))
      : [],
  };
  if (entry.skipped !== undefined) json.skipped = entry.skipped;
  if (entry.error !== undefined) json.error = entry.error;
  return json;
}

function toJsonFinding(finding: Finding): JsonFinding {
  return {
    rule: finding.rule,
    severity: finding.severity,
    path: finding.path,
    line: finding.line,
    title: finding.title,
    message: finding.message,
    perArch: changedRows(finding).map((row) => ({
      arch: row.arch,
      before: row.before,
      after: row.after,
      ...(row.when ? { when: row.when } : {}),
      // Only where it says more than the row itself (a condition, what the facts say, defconfig results).
      ...(row.summary && row.summary !== `${row.arch}: ${row.before} → ${row.after}`
        ? { summary: row.summary }
        : {}),
    })),
    ...(finding.unaffected?.length ? { unaffected: finding.unaffected } : {}),
    ...(finding.visibility?.length ? { visibility: finding.visibility } : {}),
    arguments: finding.arguments.map((a) => ({
      category: a.category,
      text: a.text,
      who: a.who ?? null,
      where: a.where ?? null,
    })),
  };
}
