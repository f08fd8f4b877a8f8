// Whether a percentage states a change ("a 167% improvement", "drops by 62%") rather than a level ("CPU: 45%").

export type PercentChange = "increase" | "decrease";

const QUALIFIER = "(?:about|around|roughly|approximately|nearly|almost|over|more than|up to|~)";

// Up to two words may sit between the figure and the change word ("167% throughput improvement"); each word
// must be followed by a blank, so the pattern cannot split a word in several ways.
const WORDS_BETWEEN = String.raw`(?:[A-Za-z-]{1,15}[ \t]){0,2}`;

const INCREASE_AFTER = new RegExp(
  String.raw`^[ \t]?${WORDS_BETWEEN}(?:improvements?|improved|increased?|gains?|speed-?up|uplift|boost|jump|higher|more|better|faster|greater)\b`,
  "i",
);
const DECREASE_AFTER = new RegExp(
  String.raw`^[ \t]?${WORDS_BETWEEN}(?:reduction|reduced|decreased?|drop|loss|lost|lower|less|fewer|slower|worse|degradation|penalty|regression|hit|slowdown)\b`,
  "i",
);
const INCREASE_BEFORE = new RegExp(
  String.raw`(?:improv\w{0,6}|increas\w{0,3}|boost\w{0,3}|rais\w{0,3}|gain\w{0,3}|faster|higher|better|up|jump\w{0,3})(?:[ \t][A-Za-z-]{1,15}){0,2}[ \t](?:of|by)[ \t](?:${QUALIFIER}[ \t])?$`,
  "i",
);
const DECREASE_BEFORE = new RegExp(
  String.raw`(?:reduc\w{0,6}|decreas\w{0,3}|drop\w{0,4}|los[est]\w{0,3}|lower\w{0,3}|degrad\w{0,6}|cut\w{0,3}|down|slower|regress\w{0,3})(?:[ \t][A-Za-z-]{1,15}){0,2}[ \t](?:of|by)[ \t](?:${QUALIFIER}[ \t])?$`,
  "i",
);

/** A percentage about CPU time is a different quantity from the benchmark figures; it is not checked. */
const ABOUT_CPU = /^[ \t]?(?:[A-Za-z-]{1,15}[ \t]){0,2}(?:CPU|utili[sz]ation|cycles)\b/i;

const BEFORE_REACH = 60;
const AFTER_REACH = 40;

/** text[start, end) is a percentage such as "167%" (the "%" included). */
export function percentChange(text: string, start: number, end: number): PercentChange | undefined {
  const before = text.slice(Math.max(0, start - BEFORE_REACH), start);
  const after = text.slice(end, end + AFTER_REACH);
  if (INCREASE_AFTER.test(after) || INCREASE_BEFORE.test(before)) return "increase";
  if (DECREASE_AFTER.test(after) || DECREASE_BEFORE.test(before)) return "decrease";
  return undefined;
}

const CPU_BEFORE_REACH = 40;

export function isAboutCpu(text: string, start: number, end: number): boolean {
  if (ABOUT_CPU.test(text.slice(end, end + AFTER_REACH))) return true;
  return /\bCPU\b|utili[sz]ation/i.test(text.slice(Math.max(0, start - CPU_BEFORE_REACH), start));
}
