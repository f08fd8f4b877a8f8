// Wrapping of prose for plain-text mail. Quoted lines ("> ...") are never touched; every other line is
// wrapped on its own, so line breaks the caller chose (lists, short paragraphs) survive. A list item's
// continuation lines hang under its text.

const TAB_WIDTH = 8;
const TAB_OR_SURROGATE = /[\t\ud800-\udfff]/;

export function wrap(text: string, width = 72): string {
  return text
    .split("\n")
    .map((line) => wrapLine(line, width))
    .join("\n");
}

/** Display width: code points, tabs to the next multiple of 8. */
export function columns(line: string): number {
  if (!TAB_OR_SURROGATE.test(line)) return line.length;
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
  // Words hold no white space, so after the lead each adds its own width and one space.
  let current = lead;
  let currentWidth = columns(lead);
  let empty = true;
  for (const word of words) {
    const wordWidth = columns(word);
    if (!empty && currentWidth + 1 + wordWidth > width) {
      out.push(current);
      current = hang + word;
      currentWidth = hang.length + wordWidth;
    } else {
      current = empty ? current + word : `${current} ${word}`;
      currentWidth += (empty ? 0 : 1) + wordWidth;
    }
    empty = false;
  }
  out.push(current);
  return out.join("\n");
}
