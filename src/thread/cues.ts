// The cue data of the loaded rules compiled into one book: per known argument, per category (statements no
// argument anticipated), per kind of alternative, and for questions. An argument id names the same argument in
// every rule, so its cues are collected by id; two rules giving one id different cues is an error.

import type { ArgumentCategory } from "../model.js";
import type { Rule } from "../rules/load.js";
import type { CueSet } from "../rules/schema.js";
import type { CueHit } from "./model.js";

export interface CompiledCues {
  /** Where the first cue matched, or undefined when none does (or a `not` cue does). */
  match(sentence: string): CueHit | undefined;
}

export interface ArgumentCues {
  id: string;
  category: ArgumentCategory;
  /** The argument's text, from the first rule that lists it. */
  text: string;
  cues: CompiledCues;
}

export interface AlternativeCues {
  id: string;
  label: string;
  cues: CompiledCues;
}

export interface QuestionCues {
  cues?: CompiledCues;
  ignore?: CompiledCues;
  minWords: number;
}

export interface CueBook {
  arguments: ArgumentCues[];
  /** The argument `id` and its twins (other rules' ids for the same argument), `id` first. */
  twinsOf(id: string): string[];
  categories: { category: ArgumentCategory; cues: CompiledCues }[];
  alternatives: AlternativeCues[];
  questions: QuestionCues;
}

/** Two rules disagree about cue data for the same id; the message names both files. */
export class CueConflictError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    readonly otherFile: string,
  ) {
    super(`${file}: ${field}: differs from the same id in ${otherFile}`);
    this.name = "CueConflictError";
  }
}

const DEFAULT_MIN_QUESTION_WORDS = 4;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

function phraseRegExp(phrase: string): RegExp {
  const body = phrase
    .trim()
    .split(/\s+/)
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join("\\s+");
  const start = WORD_CHAR.test(phrase.trim()[0]!) ? "(?<![\\p{L}\\p{N}_])" : "";
  const end = WORD_CHAR.test(phrase.trim().slice(-1)) ? "(?![\\p{L}\\p{N}_])" : "";
  return new RegExp(`${start}${body}${end}`, "iu");
}

function hitOf(re: RegExp, sentence: string): CueHit | undefined {
  const m = re.exec(sentence);
  return m ? { index: m.index, length: m[0].length } : undefined;
}

export function compileCues(set: CueSet): CompiledCues {
  const any = [
    ...(set.phrases ?? []).map(phraseRegExp),
    ...(set.regexes ?? []).map((r) => new RegExp(r, "iu")),
  ];
  const groups = (set.all ?? []).map((group) => group.map((r) => new RegExp(r, "iu")));
  const vetoes = (set.not ?? []).map((r) => new RegExp(r, "iu"));
  return {
    match(sentence) {
      if (vetoes.some((re) => re.test(sentence))) return undefined;
      for (const re of any) {
        const hit = hitOf(re, sentence);
        if (hit) return hit;
      }
      for (const group of groups) {
        const hits = group.map((re) => hitOf(re, sentence));
        if (hits.every((h) => h !== undefined)) return hits.reduce((a, b) => (b!.index < a!.index ? b : a));
      }
      return undefined;
    },
  };
}

/** Keeps the first definition of each id and checks that later ones are identical. */
class ById<T> {
  private readonly seen = new Map<string, { value: string; file: string }>();
  readonly items: T[] = [];

  add(id: string, value: unknown, item: T, file: string, field: string): void {
    const key = JSON.stringify(value);
    const earlier = this.seen.get(id);
    if (!earlier) {
      this.seen.set(id, { value: key, file });
      this.items.push(item);
    } else if (earlier.value !== key) throw new CueConflictError(file, field, earlier.file);
  }
}

function unionCues(sets: readonly CueSet[]): CompiledCues | undefined {
  if (sets.length === 0) return undefined;
  const compiled = sets.map(compileCues);
  return {
    match(sentence) {
      for (const c of compiled) {
        const hit = c.match(sentence);
        if (hit) return hit;
      }
      return undefined;
    },
  };
}

/** Compiles the cue data of `rules`. Arguments without cues anywhere are left out (they can never be matched). */
export function buildCueBook(rules: readonly Rule[]): CueBook {
  const cued = new ById<{ id: string; cues: CueSet }>();
  const texts = new Map<string, { category: ArgumentCategory; text: string }>();
  const alternatives = new ById<AlternativeCues>();
  const categorySets = new Map<ArgumentCategory, CueSet[]>();
  const questionCues: CueSet[] = [];
  const questionIgnore: CueSet[] = [];
  let minWords = DEFAULT_MIN_QUESTION_WORDS;

  for (const rule of rules) {
    for (const arg of rule.arguments) {
      if (!texts.has(arg.id))
        texts.set(arg.id, { category: arg.category as ArgumentCategory, text: arg.text });
      if (arg.cues)
        cued.add(arg.id, arg.cues, { id: arg.id, cues: arg.cues }, rule.file, `arguments.${arg.id}.cues`);
    }
    const discussion = rule.discussion;
    if (!discussion) continue;
    for (const [category, set] of Object.entries(discussion.categories ?? {})) {
      if (!set) continue;
      const list = categorySets.get(category as ArgumentCategory) ?? [];
      list.push(set);
      categorySets.set(category as ArgumentCategory, list);
    }
    for (const alt of discussion.alternatives ?? []) {
      const item = { id: alt.id, label: alt.label, cues: compileCues(alt.cues) };
      alternatives.add(alt.id, alt, item, rule.file, `discussion.alternatives.${alt.id}`);
    }
    if (discussion.questions?.cues) questionCues.push(discussion.questions.cues);
    if (discussion.questions?.ignore) questionIgnore.push(discussion.questions.ignore);
    if (discussion.questions?.minWords !== undefined)
      minWords = Math.max(minWords, discussion.questions.minWords);
  }

  const args = cued.items.map(({ id, cues }) => ({ id, ...texts.get(id)!, cues: compileCues(cues) }));
  const twins = twinGroups(rules);
  const categories = [...categorySets.entries()].map(([category, sets]) => ({
    category,
    cues: unionCues(sets)!,
  }));
  const cues = unionCues(questionCues);
  const ignore = unionCues(questionIgnore);
  return {
    arguments: args,
    twinsOf: (id) => [id, ...[...(twins.get(id) ?? [])].filter((t) => t !== id)],
    categories,
    alternatives: alternatives.items,
    questions: { ...(cues && { cues }), ...(ignore && { ignore }), minWords },
  };
}

/** Each argument id with a `twins` link, mapped to its whole group (links are symmetric and transitive). */
function twinGroups(rules: readonly Rule[]): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const arg of rules.flatMap((r) => r.arguments)) {
    for (const twin of arg.twins ?? []) {
      const merged = new Set([...(groups.get(arg.id) ?? [arg.id]), ...(groups.get(twin) ?? [twin])]);
      for (const id of merged) groups.set(id, merged);
    }
  }
  return groups;
}

/** `twins` entries that name no argument of `rules`, as "rule file: id -> twin". */
export function unknownTwins(rules: readonly Rule[]): string[] {
  const ids = new Set(rules.flatMap((r) => r.arguments.map((a) => a.id)));
  return rules.flatMap((r) =>
    r.arguments.flatMap((a) =>
      (a.twins ?? []).filter((t) => !ids.has(t)).map((t) => `${r.file}: ${a.id} -> ${t}`),
    ),
  );
}

/** Ids of arguments that no rule gives cues for: the digest could never see them raised. */
export function uncuedArgumentIds(rules: readonly Rule[]): string[] {
  const cued = new Set(rules.flatMap((r) => r.arguments.filter((a) => a.cues).map((a) => a.id)));
  const all = new Set(rules.flatMap((r) => r.arguments.map((a) => a.id)));
  return [...all].filter((id) => !cued.has(id)).sort();
}
