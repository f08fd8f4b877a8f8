// A few words of a sentence around what a cue matched, short enough to quote in a digest line.

import type { CueHit } from "./model.js";

export const KEY_PHRASE_WORDS = 12;

interface Word {
  text: string;
  start: number;
  end: number;
}

function words(sentence: string): Word[] {
  return [...sentence.matchAll(/\S+/g)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length,
  }));
}

/** The whole sentence when it is short, else a window of words centred on the hit, with "…" where cut. */
export function keyPhrase(sentence: string, hit: CueHit, maxWords = KEY_PHRASE_WORDS): string {
  const all = words(sentence);
  if (all.length <= maxWords) return sentence;
  const hitEnd = hit.index + hit.length;
  let first = all.findIndex((w) => w.end > hit.index);
  if (first < 0) first = all.length - 1;
  let last = first;
  while (last + 1 < all.length && all[last + 1]!.start < hitEnd) last++;
  while (last - first + 1 > maxWords) last--;
  // Grow the window one word at a time, after the hit first (what follows a cue usually says the most).
  for (let grow = 0; last - first + 1 < maxWords; grow++) {
    const canRight = last + 1 < all.length;
    const canLeft = first > 0;
    if (!canRight && !canLeft) break;
    if (canRight && (grow % 2 === 0 || !canLeft)) last++;
    else first--;
  }
  const text = all
    .slice(first, last + 1)
    .map((w) => w.text)
    .join(" ");
  return `${first > 0 ? "…" : ""}${text}${last < all.length - 1 ? "…" : ""}`;
}
