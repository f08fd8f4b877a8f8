// Escaping for text taken from the model (subjects, paraphrases, notes) so GitHub renders it literally.

/** Inline text: no emphasis, links, HTML or table breaks. Intraword underscores stay (GFM ignores them). */
export function escapeInline(text: string): string {
  return text
    .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/_/g, (c, i: number, s: string) =>
      isWordChar(s[i - 1]) && isWordChar(s[i + 1]) ? c : `\\${c}`,
    );
}

/** A line of prose: inline escaping plus the block markers that only count at the start of a line. */
export function escapeLine(line: string): string {
  return escapeInline(line).replace(/^(\s*)([#>+=-]|\d+[.)])/, (_m, space: string, marker: string) =>
    /^\d/.test(marker) ? `${space}${marker.slice(0, -1)}\\${marker.slice(-1)}` : `${space}\\${marker}`,
  );
}

export function escapeText(text: string): string {
  return text.split("\n").map(escapeLine).join("\n");
}

/** A code span that survives backticks in the value and, inside a table, pipes. */
export function code(value: string, inTable = false): string {
  const runs = value.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const body = inTable ? value.replace(/\|/g, "\\|") : value;
  const pad = body.startsWith("`") || body.endsWith("`") ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}
