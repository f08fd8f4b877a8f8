import type { Hunk } from "../model.js";

/**
 * Applies a file's hunks to its full pre-image. Returns undefined when a context or removed line does not
 * match (the pre-image is not the one the patch was made against), so callers fall back to the hunk alone.
 */
export function applyHunks(pre: string, hunks: readonly Hunk[]): string | undefined {
  const lines = pre.split("\n");
  const out: string[] = [];
  let next = 0; // index of the next pre-image line not yet copied
  for (const h of hunks) {
    const start = Math.max(0, h.oldStart - 1 + (h.oldLines === 0 ? 1 : 0));
    if (start < next || start > lines.length) return undefined;
    out.push(...lines.slice(next, start));
    let i = start;
    for (const l of h.lines) {
      if (l.kind === "add") {
        out.push(l.text);
        continue;
      }
      if (lines[i] !== l.text) return undefined;
      if (l.kind === "context") out.push(l.text);
      i++;
    }
    next = i;
  }
  out.push(...lines.slice(next));
  return out.join("\n");
}
