// Scores the classifier against hand labels: per reply, the categories its own text raises. A prediction is a
// (Message-Id, category) pair the digest lists; the labels hold the pairs a reader would list. Labels keep only
// Message-Ids, categories and a key phrase in our own words, never the message text.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ARGUMENT_CATEGORIES, type ArgumentCategory } from "../../src/model.js";
import type { Rule } from "../../src/rules/load.js";
import type { CueBook } from "../../src/thread/cues.js";
import { buildDigest, type ThreadDigest } from "../../src/thread/digest.js";
import type { ThreadMessage } from "../../src/thread/model.js";
import { readMailMessage } from "../../src/thread/read-mail.js";
import { buildThread, replyNodes } from "../../src/thread/tree.js";
import { type CorpusMessage, corpusMessages } from "./corpus.js";

export const LABELS_DIR = new URL("./labels/", import.meta.url).pathname;

export interface Label {
  category: ArgumentCategory;
  /** Our paraphrase of what was said, for people reading the labels. */
  keyPhrase: string;
}

export interface LabelledReply {
  messageId: string;
  author: string;
  labels: Label[];
}

export interface LabelledThread {
  name: string;
  description: string;
  source: "seed" | "corpus";
  root: string;
  replies: LabelledReply[];
}

export function loadLabelledThreads(dir = LABELS_DIR): LabelledThread[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as LabelledThread);
}

export interface ThreadOutcome {
  thread: LabelledThread;
  digest: ThreadDigest;
  /** "messageId category" pairs. */
  predicted: Set<string>;
  expected: Set<string>;
  /** Replies in the thread that the labels do not cover, and labelled ids that are not replies in it. */
  unlabelled: string[];
  missing: string[];
}

const pair = (messageId: string, category: string) => `${messageId} ${category}`;

export function scoreThread(
  thread: LabelledThread,
  messages: readonly ThreadMessage[],
  book: CueBook,
  rules: readonly Rule[],
): ThreadOutcome {
  const tree = buildThread(messages);
  const { digest } = buildDigest({ thread: tree, book, rules, rulesBasis: "none" });
  // An opener that is not a patch is analysed like a reply, so it is labelled like one.
  const analysed = digest.root.analysed ? [tree.root, ...replyNodes(tree)] : replyNodes(tree);
  const replies = new Set(analysed.map((n) => n.message.id));
  const labelled = new Set(thread.replies.map((r) => r.messageId));
  const predicted = new Set(
    digest.categories.flatMap((c) => c.raised.map((r) => pair(r.messageId, c.category))),
  );
  const expected = new Set(thread.replies.flatMap((r) => r.labels.map((l) => pair(r.messageId, l.category))));
  return {
    thread,
    digest,
    predicted,
    expected,
    unlabelled: [...replies].filter((id) => !labelled.has(id)),
    missing: [...labelled].filter((id) => !replies.has(id)),
  };
}

/** The messages of a labelled corpus thread: its root, its labelled replies, and anything answering them. */
export async function corpusThreadMessages(
  threads: readonly LabelledThread[],
): Promise<Map<string, ThreadMessage[]>> {
  const ids = new Set(threads.flatMap((t) => [t.root, ...t.replies.map((r) => r.messageId)]));
  const found = await corpusMessages(ids);
  const result = new Map<string, ThreadMessage[]>();
  for (const thread of threads) {
    const own = new Set([thread.root, ...thread.replies.map((r) => r.messageId)]);
    const mine = found.filter((m: CorpusMessage) => own.has(m.messageId) || m.refs.some((r) => own.has(r)));
    result.set(thread.name, await Promise.all(mine.map((m, i) => readMailMessage(m.raw, i))));
  }
  return result;
}

export interface CategoryScore {
  category: ArgumentCategory;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** undefined when nothing was predicted. */
  precision?: number;
  /** undefined when nothing was labelled. */
  recall?: number;
}

export function scoreCategories(outcomes: readonly ThreadOutcome[]): CategoryScore[] {
  return ARGUMENT_CATEGORIES.map((category) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const o of outcomes) {
      const mine = (s: Set<string>) => [...s].filter((p) => p.endsWith(` ${category}`));
      for (const p of mine(o.predicted))
        if (o.expected.has(p)) tp++;
        else fp++;
      for (const e of mine(o.expected)) if (!o.predicted.has(e)) fn++;
    }
    return {
      category,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      ...(tp + fp > 0 && { precision: tp / (tp + fp) }),
      ...(tp + fn > 0 && { recall: tp / (tp + fn) }),
    };
  });
}

const pct = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(2));

/** The README table. */
export function scoreTable(scores: readonly CategoryScore[]): string {
  const rows = scores.map(
    (s) =>
      `| ${s.category} | ${s.truePositives + s.falseNegatives} | ${s.truePositives + s.falsePositives} | ${s.truePositives} | ${pct(s.precision)} | ${pct(s.recall)} |`,
  );
  return [
    "| category | labelled | predicted | correct | precision | recall |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** What went wrong, per thread, for a failing assertion's message. */
export function mistakes(outcomes: readonly ThreadOutcome[]): string[] {
  return outcomes.flatMap((o) => [
    ...[...o.predicted].filter((p) => !o.expected.has(p)).map((p) => `${o.thread.name}: false positive ${p}`),
    ...[...o.expected].filter((e) => !o.predicted.has(e)).map((e) => `${o.thread.name}: missed ${e}`),
  ]);
}
