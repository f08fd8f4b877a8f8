// Paragraphs of mail prose into sentences, in the form the cues are matched against.

/** Words after which a full stop does not end a sentence. */
const ABBREVIATIONS = new Set([
  "e.g",
  "i.e",
  "etc",
  "vs",
  "cf",
  "approx",
  "mr",
  "mrs",
  "dr",
  "no",
  "fig",
  "al",
  "resp",
  "esp",
]);
const BOUNDARY = /[.?!]+["')\]]*(?=\s|$)/g;

/**
 * Typographic variants folded to what the cues are written against: curly quotes become straight, emphasis
 * markers (*really*, _this_) and code backticks go, whitespace runs become one space.
 */
export function normaliseProse(text: string): string {
  return text
    .replace(/[\u201c\u201d\u201e\u2033]/g, '"')
    .replace(/[\u2018\u2019\u201a\u2032]/g, "'")
    .replace(/`/g, "")
    .replace(/(^|[\s("'])[*_]+(?=[^\s*_])([^*_\n]*?[^\s*_])[*_]+(?=[\s)"'.,;:!?]|$)/g, "$1$2")
    .replace(/\s+/g, " ")
    .trim();
}

function endsWithAbbreviation(before: string): boolean {
  const word = (/(\S+)$/.exec(before)?.[1] ?? "").replace(/^[("'[]+/, "").toLowerCase();
  return ABBREVIATIONS.has(word) || /^[a-z]$/i.test(word) || /^(?:[a-z]\.)+[a-z]$/i.test(word);
}

/** The sentences of one paragraph, normalised. A full stop followed by a lower-case word does not split. */
export function splitSentences(paragraph: string): string[] {
  const text = normaliseProse(paragraph);
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const at = match.index;
    const end = at + match[0].length;
    if (match[0].startsWith(".")) {
      if (endsWithAbbreviation(text.slice(start, at))) continue;
      if (/^\s+[a-z]/.test(text.slice(end))) continue;
    }
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}
