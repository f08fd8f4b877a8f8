// Questions reviewers asked, and whether anyone took them up: a later message in the same branch that quotes the
// question and writes below it, or answers its message without quoting anything (top-posting).

import type { Person } from "../model.js";
import type { ReplyAnalysis } from "./classify.js";
import type { QuestionCues } from "./cues.js";
import type { Question, Thread, ThreadNode } from "./model.js";
import { answeredQuotes } from "./quotes.js";
import { normaliseProse, wordCount } from "./sentences.js";
import { descendsFrom } from "./tree.js";

const TRAILING_SMILEY = /\s*(?:[;:]-?[()DPp]|\^\^)\s*$/;

export function personName(person: Person | undefined): string {
  return person?.name?.trim() || person?.email || "unknown sender";
}

function sameSender(a: Person | undefined, b: Person | undefined): boolean {
  if (!a || !b) return false;
  return a.email.toLowerCase() === b.email.toLowerCase() || (!!a.name && a.name === b.name);
}

export function isQuestion(sentence: string, cues: QuestionCues): boolean {
  if (wordCount(sentence) < cues.minWords) return false;
  if (cues.ignore?.match(sentence)) return false;
  const bare = sentence.replace(TRAILING_SMILEY, "").replace(/["')\]]+$/, "");
  return bare.endsWith("?") || !!cues.cues?.match(sentence);
}

function comparable(text: string): string {
  return normaliseProse(text).toLowerCase();
}

function takenUpBy(
  question: string,
  asked: ThreadNode,
  later: readonly ReplyAnalysis[],
  nodes: Map<string, ThreadNode>,
): string[] {
  const wanted = comparable(question);
  const names = new Set<string>();
  for (const analysis of later) {
    const node = nodes.get(analysis.message.id);
    if (!node || !descendsFrom(node, asked) || sameSender(analysis.message.from, asked.message.from))
      continue;
    const quoting = answeredQuotes(analysis.reply).some((q) => comparable(q).includes(wanted));
    const topPosted = node.parent === asked && !analysis.reply.segments.some((s) => s.kind === "quote");
    if (quoting || topPosted) names.add(personName(analysis.message.from));
  }
  return [...names];
}

/** Questions from everyone but the author of the thread's root, in thread order. */
export function findQuestions(
  thread: Thread,
  analyses: readonly ReplyAnalysis[],
  cues: QuestionCues,
): Question[] {
  const nodes = new Map(thread.nodes.map((n) => [n.message.id, n]));
  const author = thread.root.message.from;
  const questions: Question[] = [];
  for (const analysis of analyses) {
    const { message } = analysis;
    if (sameSender(message.from, author)) continue;
    const node = nodes.get(message.id);
    if (!node) continue;
    for (const sentence of analysis.sentences) {
      if (!isQuestion(sentence, cues)) continue;
      questions.push({
        messageId: message.id,
        ...(message.from && { author: message.from }),
        ...(message.date && { date: message.date }),
        ...(message.link && { link: message.link }),
        text: sentence,
        repliedBy: takenUpBy(sentence, node, analyses, nodes),
      });
    }
  }
  return questions;
}
