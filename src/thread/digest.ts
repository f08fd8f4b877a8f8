// The digest of a thread as it stands: per category who raised what, the known arguments nobody has raised yet,
// the alternatives proposed and the open questions. Built from the tree and the cue book only; the renderers
// turn it into markdown, mail text or JSON.

import { ARGUMENT_CATEGORIES, type ArgumentCategory, type Person } from "../model.js";
import { CATEGORY_LABELS } from "../render/common.js";
import type { Rule } from "../rules/load.js";
import { analyseReply, type ReplyAnalysis } from "./classify.js";
import type { CueBook } from "./cues.js";
import type { Statement, Thread, ThreadMessage } from "./model.js";
import { findQuestions, personName } from "./questions.js";
import { replyNodes } from "./tree.js";

export const DIGEST_VERSION = 1;

export interface Byline {
  author: string;
  email: string | null;
  /** ISO 8601, as the message gives it. */
  date: string | null;
  messageId: string;
  link: string | null;
}

export interface RaisedItem extends Byline {
  /** A few words of the reply, quoted. */
  keyPhrase: string;
  /** Known arguments (rule argument ids) the reply raises in this category; empty for a new argument. */
  arguments: string[];
  /** How many of the reply's sentences fall in this category. */
  statements: number;
}

export interface CategoryDigest {
  category: ArgumentCategory;
  label: string;
  raised: RaisedItem[];
}

export interface PendingArgument {
  id: string;
  category: ArgumentCategory;
  text: string;
  who: string | null;
  where: string | null;
  date: string | null;
  /** Rules that list it. */
  rules: string[];
}

export interface AlternativeDigest {
  id: string;
  label: string;
  mentions: (Byline & { keyPhrase: string })[];
}

export interface QuestionDigest extends Byline {
  text: string;
  /** Who quoted the question and answered below it (or answered its message without quoting). */
  repliedBy: string[];
}

/**
 * How the rules whose arguments are expected were chosen: those that fired on the thread's patches, those the
 * caller named, or none (no rule fired, so no known argument is listed as not yet discussed).
 */
export type RulesBasis = "findings" | "given" | "none";

export interface ThreadDigest {
  version: typeof DIGEST_VERSION;
  root: {
    messageId: string;
    subject: string;
    author: string | null;
    email: string | null;
    date: string | null;
    link: string | null;
    /** False when the input lacks the root and only its replies are known. */
    present: boolean;
    /** The opening message is not a patch (a question, a report) and is analysed like a reply. */
    analysed: boolean;
  };
  /** Messages in the input. */
  messages: number;
  replies: number;
  /** Reply authors in the order of their first reply. */
  participants: string[];
  rules: string[];
  rulesBasis: RulesBasis;
  /** Every category, in the fixed order; `raised` may be empty. */
  categories: CategoryDigest[];
  notYetDiscussed: PendingArgument[];
  /** Only the kinds somebody brought up. */
  alternatives: AlternativeDigest[];
  questions: QuestionDigest[];
}

export interface DigestInput {
  thread: Thread;
  book: CueBook;
  /** The rules whose known arguments the thread is expected to get to. */
  rules: readonly Rule[];
  rulesBasis: RulesBasis;
}

export interface DigestResult {
  digest: ThreadDigest;
  analyses: ReplyAnalysis[];
}

function bylineOf(from: Person | undefined, messageId: string, date?: string, link?: string): Byline {
  return {
    author: personName(from),
    email: from?.email ?? null,
    date: date ?? null,
    messageId,
    link: link ?? null,
  };
}

function messageByline(m: ThreadMessage): Byline {
  return bylineOf(m.from, m.id, m.date, m.link);
}

/** One item per reply and category: the key phrase of a known argument if the reply raises one. */
function raisedItems(analyses: readonly ReplyAnalysis[], category: ArgumentCategory): RaisedItem[] {
  const items: RaisedItem[] = [];
  for (const analysis of analyses) {
    const mine = analysis.statements.filter((s: Statement) => s.category === category);
    if (mine.length === 0) continue;
    const lead = mine.find((s) => s.argumentIds.length > 0) ?? mine[0]!;
    items.push({
      ...messageByline(analysis.message),
      keyPhrase: lead.keyPhrase,
      arguments: [...new Set(mine.flatMap((s) => s.argumentIds))],
      statements: mine.length,
    });
  }
  return items;
}

/** The Message-Ids an argument cites: its `where` and its sources'. */
function citedIds(arg: Rule["arguments"][number]): string[] {
  return [arg.where, ...(arg.sources ?? []).map((s) => s.where)]
    .filter((w): w is string => !!w)
    .map((w) => w.replace(/^<|>$/g, ""));
}

/**
 * Known arguments of `rules` that the thread has not raised: not matched by any reply (under their own id or a
 * twin's), and not cited from a message of the thread itself (whose author raised them, cues or not).
 */
function pendingArguments(
  rules: readonly Rule[],
  raised: ReadonlySet<string>,
  threadIds: ReadonlySet<string>,
): PendingArgument[] {
  const pending = new Map<string, PendingArgument>();
  for (const rule of rules) {
    for (const arg of rule.arguments) {
      if (raised.has(arg.id) || citedIds(arg).some((id) => threadIds.has(id))) continue;
      const known = pending.get(arg.id);
      if (known) {
        if (!known.rules.includes(rule.id)) known.rules.push(rule.id);
        continue;
      }
      pending.set(arg.id, {
        id: arg.id,
        category: arg.category as ArgumentCategory,
        text: arg.text.trim(),
        who: arg.who ?? null,
        where: arg.where ?? null,
        date: arg.date ?? null,
        rules: [rule.id],
      });
    }
  }
  // The rules list their arguments most relevant first within each category; that order is kept.
  return [...pending.values()];
}

export function buildDigest(input: DigestInput): DigestResult {
  const { thread, book } = input;
  const replies = replyNodes(thread);
  const root = thread.root.message;
  // An opener that is not a patch (a user's question or report) says things of its own, like any reply.
  const openerAnalysed = !root.placeholder && !root.isPatch;
  const analysed = openerAnalysed ? [thread.root, ...replies] : replies;
  const analyses = analysed.map((node) => analyseReply(node.message, book));
  const raisedIds = new Set(
    analyses.flatMap((a) => a.statements.flatMap((s) => s.argumentIds.flatMap((id) => book.twinsOf(id)))),
  );
  const threadIds = new Set(thread.nodes.filter((n) => !n.message.placeholder).map((n) => n.message.id));

  const alternatives = book.alternatives
    .map((alt) => ({
      id: alt.id,
      label: alt.label,
      mentions: analyses.flatMap((a) =>
        a.alternatives
          .filter((m) => m.alternativeId === alt.id)
          .slice(0, 1)
          .map((m) => ({ ...messageByline(a.message), keyPhrase: m.keyPhrase })),
      ),
    }))
    .filter((alt) => alt.mentions.length > 0);

  const questions = findQuestions(thread, analyses, book.questions).map((q) => ({
    ...bylineOf(q.author, q.messageId, q.date, q.link),
    text: q.text,
    repliedBy: q.repliedBy,
  }));

  const digest: ThreadDigest = {
    version: DIGEST_VERSION,
    root: {
      messageId: root.id,
      subject: root.subject,
      author: root.from ? personName(root.from) : null,
      email: root.from?.email ?? null,
      date: root.date ?? null,
      link: root.link ?? null,
      present: !root.placeholder,
      analysed: openerAnalysed,
    },
    messages: thread.nodes.filter((n) => !n.message.placeholder).length,
    replies: replies.length,
    participants: [...new Set(replies.map((n) => personName(n.message.from)))],
    rules: input.rules.map((r) => r.id),
    rulesBasis: input.rulesBasis,
    categories: ARGUMENT_CATEGORIES.map((category) => ({
      category,
      label: CATEGORY_LABELS[category],
      raised: raisedItems(analyses, category),
    })),
    notYetDiscussed: input.rulesBasis === "none" ? [] : pendingArguments(input.rules, raisedIds, threadIds),
    alternatives,
    questions,
  };
  return { digest, analyses };
}
