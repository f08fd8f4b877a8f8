// The summary a scan ends with: messages read, patches reviewed, why others were skipped, errors, findings by
// rule and severity, and throughput.

import { SEVERITIES, type Severity } from "../model.js";
import type { EntryStats } from "./record.js";

export interface ScanSummary {
  /** Every message (or diff, or unreadable input) read: reviewed + skipped + errors. */
  messages: number;
  /** Messages with a diff that the rules were applied to. */
  patches: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  errors: number;
  findings: number;
  findingsBySeverity: Record<Severity, number>;
  findingsByRule: Record<string, Partial<Record<Severity, number>>>;
  /** Entries the prefilter settled without the MIME and diff parse. */
  prefiltered: number;
  /** With --verify-prefilter: positions (source#position) where the full path disagreed. */
  prefilterDisagreements?: string[];
  bytes: number;
  seconds: number;
  messagesPerSecond: number;
  megabytesPerSecond: number;
}

export class SummaryCounter {
  private readonly summary: ScanSummary = {
    messages: 0,
    patches: 0,
    skipped: 0,
    skippedByReason: {},
    errors: 0,
    findings: 0,
    findingsBySeverity: { info: 0, warning: 0, error: 0 },
    findingsByRule: {},
    prefiltered: 0,
    bytes: 0,
    seconds: 0,
    messagesPerSecond: 0,
    megabytesPerSecond: 0,
  };
  private readonly disagreements: string[] = [];

  constructor(private readonly verifying = false) {}

  get messages(): number {
    return this.summary.messages;
  }

  add(stats: EntryStats, where: string): void {
    const s = this.summary;
    s.messages++;
    if (stats.status === "reviewed") s.patches++;
    if (stats.status === "error") s.errors++;
    if (stats.status === "skipped") {
      s.skipped++;
      const reason = stats.reason ?? "";
      s.skippedByReason[reason] = (s.skippedByReason[reason] ?? 0) + 1;
    }
    if (stats.prefiltered) s.prefiltered++;
    if (stats.disagreed) this.disagreements.push(where);
    for (const f of stats.findings) {
      s.findings++;
      s.findingsBySeverity[f.severity]++;
      const byRule = s.findingsByRule[f.rule] ?? {};
      byRule[f.severity] = (byRule[f.severity] ?? 0) + 1;
      s.findingsByRule[f.rule] = byRule;
    }
  }

  finish(bytes: number, seconds: number): ScanSummary {
    const s = { ...this.summary, bytes, seconds: round(seconds, 3) };
    s.messagesPerSecond = seconds > 0 ? Math.round(s.messages / seconds) : 0;
    s.megabytesPerSecond = seconds > 0 ? round(bytes / 1e6 / seconds, 1) : 0;
    if (this.verifying) s.prefilterDisagreements = [...this.disagreements];
    return s;
  }
}

/** The summary for people, a few lines. */
export function describeSummary(s: ScanSummary): string {
  const lines = [
    `${s.messages} messages: ${s.patches} patches reviewed, ${s.skipped} skipped, ${s.errors} errors` +
      ` (${s.prefiltered} settled by the prefilter)`,
  ];
  const reasons = Object.entries(s.skippedByReason).sort((a, b) => b[1] - a[1]);
  if (reasons.length > 0) lines.push(`skipped: ${reasons.map(([r, n]) => `${n} ${r}`).join(", ")}`);
  const bySeverity = SEVERITIES.map((sev) => `${s.findingsBySeverity[sev]} ${sev}`).join(", ");
  lines.push(`${s.findings} findings (${bySeverity})`);
  for (const [rule, counts] of Object.entries(s.findingsByRule).sort()) {
    const parts = SEVERITIES.filter((sev) => counts[sev]).map((sev) => `${counts[sev]} ${sev}`);
    lines.push(`  ${rule}: ${parts.join(", ")}`);
  }
  if (s.prefilterDisagreements)
    lines.push(
      `prefilter disagreements: ${s.prefilterDisagreements.length}${s.prefilterDisagreements.length ? ` (${s.prefilterDisagreements.slice(0, 10).join(", ")})` : ""}`,
    );
  lines.push(
    `${(s.bytes / 1e6).toFixed(1)} MB in ${s.seconds.toFixed(2)} s: ${s.messagesPerSecond} messages/s, ${s.megabytesPerSecond} MB/s`,
  );
  return `${lines.join("\n")}\n`;
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
