import type { Finding, Review } from "../model.js";
import { changedRows, isReviewed } from "./common.js";

// SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. Only the properties we fill are typed.

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "iommuReview/v1";
/** Shown by code scanning as the tool's home page. */
export const TOOL_INFORMATION_URI = "https://github.com/iommu-review/iommu-review";

export interface SarifRuleInput {
  id: string;
  title: string;
  severity: string;
  description?: string;
}

export type SarifLevel = "error" | "warning" | "note";

export interface SarifReportingDescriptor {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  defaultConfiguration: { level: SarifLevel };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
  }[];
  partialFingerprints: Record<string, string>;
}

export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: {
    tool: { driver: { name: string; informationUri: string; rules: SarifReportingDescriptor[] } };
    results: SarifResult[];
  }[];
}

/** Rule severities are "error", "warning" or "info"; SARIF calls the last one "note". */
export function sarifLevel(severity: string): SarifLevel {
  if (severity === "error") return "error";
  if (severity === "info") return "note";
  return "warning";
}

export function toSarif(review: Review, rules: readonly SarifRuleInput[]): SarifLog {
  const findings = review.patches.filter(isReviewed).flatMap((entry) => entry.findings);
  const descriptors = rules.map(toDescriptor);
  // A finding of a rule the caller did not list still gets a descriptor, so every result resolves.
  for (const finding of findings) {
    if (!descriptors.some((d) => d.id === finding.rule)) {
      descriptors.push(toDescriptor({ id: finding.rule, title: finding.title, severity: finding.severity }));
    }
  }
  const results = findings.map((finding) =>
    toResult(
      finding,
      descriptors.findIndex((d) => d.id === finding.rule),
    ),
  );
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "iommu-review", informationUri: TOOL_INFORMATION_URI, rules: descriptors } },
        results,
      },
    ],
  };
}

export function renderSarif(review: Review, rules: readonly SarifRuleInput[]): string {
  return `${JSON.stringify(toSarif(review, rules), null, 2)}\n`;
}

function toDescriptor(rule: SarifRuleInput): SarifReportingDescriptor {
  return {
    id: rule.id,
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description?.trim() || rule.title },
    defaultConfiguration: { level: sarifLevel(rule.severity) },
  };
}

function toResult(finding: Finding, ruleIndex: number): SarifResult {
  return {
    ruleId: finding.rule,
    ruleIndex,
    level: sarifLevel(finding.severity),
    message: { text: resultMessage(finding) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: finding.path },
          region: { startLine: Math.max(1, Math.trunc(finding.line)) },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
  };
}

function resultMessage(finding: Finding): string {
  const changes = changedRows(finding).map((row) => `${row.arch} ${row.before} -> ${row.after}`);
  return changes.length > 0 ? `${finding.title}: ${changes.join("; ")}` : finding.title;
}
