// Scores the bundled rules' review() against hand-labelled patches: recall per tier of the TRUE rows, and
// precision per severity (a patch counts under the highest severity of its findings).

import { readFileSync } from "node:fs";
import type { InputItem, Severity } from "../../src/model.js";
import { review } from "../../src/review/review.js";
import type { Rule } from "../../src/rules/load.js";
import type { Label, Tier } from "./labels.js";

export interface ScoredRow {
  messageId: string;
  subject: string;
  label: boolean;
  tier: Tier;
  /** The highest severity among the patch's findings, or undefined when it has none. */
  severity?: Severity;
  rules: string[];
  /** The changed lines each finding quotes, for the detail listing. */
  evidence: string[];
}

const RANK: Record<Severity, number> = { info: 1, warning: 2, error: 3 };

export function scoreRows(
  rows: readonly { messageId: string; subject: string; label: boolean; tier: Tier; item: InputItem }[],
  rules: readonly Rule[],
): ScoredRow[] {
  return rows.map((row) => {
    const findings = review([row.item], { rules }).patches.flatMap((p) => p.findings);
    const top = findings.reduce<Severity | undefined>(
      (best, f) => (!best || RANK[f.severity] > RANK[best] ? f.severity : best),
      undefined,
    );
    const { messageId, subject, label, tier } = row;
    const evidence = findings.map(
      (f) =>
        `${f.severity} ${f.rule} ${f.path}: ${f.quote
          .filter((l) => l.kind !== "context")
          .map((l) => (l.kind === "add" ? "+" : "-") + l.text.trim())
          .slice(0, 3)
          .join(" | ")}`,
    );
    return {
      messageId,
      subject,
      label,
      tier,
      severity: top,
      rules: [...new Set(findings.map((f) => f.rule))],
      evidence,
    };
  });
}

export interface Ratio {
  hit: number;
  of: number;
}

const ratio = (rows: readonly ScoredRow[], pass: (r: ScoredRow) => boolean): Ratio => ({
  hit: rows.filter(pass).length,
  of: rows.length,
});

/** Recall over the TRUE rows of the given tiers. */
export function recall(rows: readonly ScoredRow[], tiers: readonly Tier[]): Ratio {
  return ratio(
    rows.filter((r) => r.label && tiers.includes(r.tier)),
    (r) => r.severity !== undefined,
  );
}

/** Precision of the patches whose highest finding has this severity. */
export function precision(rows: readonly ScoredRow[], severity: Severity): Ratio {
  return ratio(
    rows.filter((r) => r.severity === severity),
    (r) => r.label,
  );
}

export const percent = ({ hit, of }: Ratio) => (of === 0 ? "n/a" : `${((100 * hit) / of).toFixed(1)}%`);
export const showRatio = (r: Ratio) => `${r.hit}/${r.of} (${percent(r)})`;

/** A blind-set file: message_id, label (TRUE/FALSE), tier, reason; read into the development set's shape. */
export function readBlindLabels(file: string): Label[] {
  const [, ...rows] = readFileSync(file, "utf8").split("\n");
  return rows
    .filter((r) => r.trim() !== "")
    .map((r) => {
      const [messageId = "", label = "", tier = "-", reason = ""] = r.split("\t");
      return { messageId, date: "", subject: "", label: label === "TRUE", tier: tier as Tier, reason };
    });
}
