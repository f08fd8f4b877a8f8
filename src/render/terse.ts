// checkpatch's terse form (`FILE:LINE: SEVERITY: message`), one line per finding, so that `b4 prep --check` and
// `b4 am --check` can run iommu-review beside checkpatch.

import type { Review, Severity } from "../model.js";

const LEVEL: Record<Severity, string> = { error: "ERROR", warning: "WARNING", info: "CHECK" };

export function renderTerse(review: Review): string {
  const lines = review.patches.flatMap((entry) =>
    entry.findings.map((f) => {
      const changed = f.table.filter((r) => r.changed).map((r) => `${r.arch}: ${r.before} -> ${r.after}`);
      const detail = changed.length > 0 ? ` (${changed.join("; ")})` : "";
      return `${f.path}:${f.line}: ${LEVEL[f.severity]}: ${f.title}${detail} [${f.rule}]`.replace(
        /\s+/g,
        " ",
      );
    }),
  );
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
