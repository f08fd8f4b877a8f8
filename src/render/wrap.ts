// Wrapping of prose for plain-text mail. Quoted lines ("> ...") are never touched; every other line is
// wrapped on its own, so line breaks the caller chose (lists, short paragraphs) survive. A list item's
// continuation lines hang under its text.

const TAB_WIDTH = 8;

export function wrap(text: string, width = 72): string {
  return text
    .split("\n")
    .map((line) => wrapLine(line, width))
    .join("\n");
}

/** Display width: code points, tabs to the next multiple of 8. */
export function columns(line: string): number {
  let col = 0;
  for (const ch of line) col = ch === "\t" ? col + TAB_WIDTH - (col % TAB_WIDTH) : col + 1;
  return col;
}

function wrapLine(line: string, width: number): string {
  if (line.startsWith(">") || columns(line) <= width) return line;
  const lead = /^(\s*)((?:[-*+]|\d+[.)])\s+)?/.exec(line)?.[0] ?? "";
  const hang = " ".repeat(columns(lead));
  const words = line.slice(lead.length).split(/\s+/).filter(Boolean);
  const out: string[] = [];
  let current = lead;
  let empty = true;
  for (const word of words) {
    const candidate = empty ? current + word : `${current} ${word}`;
    if (!empty && columns(candidate) > width) {
      out.push(current);
      current = hang + word;
    } else {
      current = candidate;
    }
    empty = false;
  }
  out.push(current);
  return out.join("\n");
}
