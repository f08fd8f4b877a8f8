// One reply's own text, sentence by sentence, against the cue book: which categories and known arguments each
// sentence raises, and which kinds of alternative it brings up. Quoted text is never classified, so a reply is
// credited only with what its author wrote.

import type { ArgumentCategory } from "../model.js";
import type { CueBook } from "./cues.js";
import { keyPhrase } from "./key-phrase.js";
import type { AlternativeMention, CueHit, ReplyText, Statement, ThreadMessage } from "./model.js";
import { splitReply } from "./quotes.js";
import { splitSentences } from "./sentences.js";

export interface ReplyAnalysis {
  message: ThreadMessage;
  reply: ReplyText;
  /** The author's own sentences, in order. */
  sentences: string[];
  statements: Statement[];
  alternatives: AlternativeMention[];
}

interface CategoryHit {
  argumentIds: string[];
  hit: CueHit;
}

function byline(message: ThreadMessage) {
  return {
    messageId: message.id,
    ...(message.from && { author: message.from }),
    ...(message.date && { date: message.date }),
    ...(message.link && { link: message.link }),
  };
}

/** Categories raised by one sentence; a known argument's hit wins the key phrase over a category-only hit. */
function categoriesOf(sentence: string, book: CueBook): Map<ArgumentCategory, CategoryHit> {
  const found = new Map<ArgumentCategory, CategoryHit>();
  for (const arg of book.arguments) {
    const hit = arg.cues.match(sentence);
    if (!hit) continue;
    const entry = found.get(arg.category);
    // Twins (one argument worded for two rules) are one argument: the first that matches stands for both.
    if (entry && book.twinsOf(arg.id).some((id) => entry.argumentIds.includes(id))) continue;
    if (entry) entry.argumentIds.push(arg.id);
    else found.set(arg.category, { argumentIds: [arg.id], hit });
  }
  for (const { category, cues } of book.categories) {
    if (found.has(category)) continue;
    const hit = cues.match(sentence);
    if (hit) found.set(category, { argumentIds: [], hit });
  }
  return found;
}

/** Pasted tool output (a boot log line, git progress) says nothing of its own, whatever words it holds. */
const TOOL_OUTPUT = /\[\s*\d+\.\d{6}\]|\(\d+\/\d+\)(?:,\s*(?:done|\d))?/;

export function sentencesOf(reply: ReplyText): string[] {
  return reply.paragraphs.flatMap((p) => splitSentences(p.text));
}

export function analyseReply(message: ThreadMessage, book: CueBook): ReplyAnalysis {
  const reply = splitReply(message.body);
  const sentences = sentencesOf(reply);
  const who = byline(message);
  const statements: Statement[] = [];
  const alternatives: AlternativeMention[] = [];
  for (const sentence of sentences) {
    if (TOOL_OUTPUT.test(sentence)) continue;
    for (const [category, { argumentIds, hit }] of categoriesOf(sentence, book)) {
      statements.push({ ...who, category, argumentIds, sentence, keyPhrase: keyPhrase(sentence, hit) });
    }
    for (const alt of book.alternatives) {
      const hit = alt.cues.match(sentence);
      if (hit) alternatives.push({ ...who, alternativeId: alt.id, keyPhrase: keyPhrase(sentence, hit) });
    }
  }
  return { message, reply, sentences, statements, alternatives };
}
