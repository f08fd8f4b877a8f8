// Precision and recall of the classifier on hand-labelled threads, held above fixed floors so that a change to
// the cues or the reply parsing cannot make them fall unnoticed. THREAD_EVAL_TABLE=1 prints the table that
// docs/thread-digest.md shows.

import { beforeAll, describe, expect, test } from "@jest/globals";
import type { ArgumentCategory } from "../../src/model.js";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";
import { buildCueBook } from "../../src/thread/cues.js";
import { readThreadMail } from "../../src/thread/read-mail.js";
import { corpusUnavailable } from "./corpus.js";
import {
  corpusThreadMessages,
  loadLabelledThreads,
  mistakes,
  scoreCategories,
  scoreTable,
  scoreThread,
  type ThreadOutcome,
} from "./evaluation.js";
import { readSeedMbox, SEED_THREAD_FILE, seedThreadAvailable } from "./seed-mbox.js";

/** Floors: precision 0.8 everywhere (the bar); recall a little under what was measured. */
const FLOORS: Record<ArgumentCategory, { precision: number; recall: number }> = {
  "per-arch-divergence": { precision: 0.8, recall: 0.9 },
  "security-vs-throughput": { precision: 0.8, recall: 0.8 },
  alternatives: { precision: 0.8, recall: 0.8 },
  evidence: { precision: 0.8, recall: 0.9 },
  process: { precision: 0.8, recall: 0.9 },
};

/** The threads labelled for issue 16 before the classifier ran on them (reported apart from the tuned set). */
const isBlindRound = (o: ThreadOutcome) => o.thread.name.startsWith("blind-16-");

const rules = loadRules(DEFAULT_RULES_DIR);
const book = buildCueBook(rules);
const labelled = loadLabelledThreads();
const corpusProblem = corpusUnavailable();

describe("classifier against hand labels", () => {
  const outcomes: ThreadOutcome[] = [];

  beforeAll(async () => {
    if (seedThreadAvailable()) {
      const seed = labelled.find((t) => t.source === "seed")!;
      const { messages } = await readThreadMail(Buffer.from(readSeedMbox()));
      outcomes.push(scoreThread(seed, messages, book, rules));
    }
    if (!corpusProblem) {
      const threads = labelled.filter((t) => t.source === "corpus");
      const messages = await corpusThreadMessages(threads);
      for (const t of threads) outcomes.push(scoreThread(t, messages.get(t.name)!, book, rules));
    }
    if (process.env.THREAD_EVAL_TABLE) {
      const [blind, tuned] = [outcomes.filter(isBlindRound), outcomes.filter((o) => !isBlindRound(o))];
      for (const [title, set] of [
        ["tuned set (in-sample)", tuned],
        ["blind round of issue 16", blind],
      ] as const) {
        const replies = set.reduce((n, o) => n + o.thread.replies.length, 0);
        process.stdout.write(
          `${title}: ${set.length} threads, ${replies} replies\n${scoreTable(scoreCategories(set))}\n`,
        );
      }
      process.stdout.write(`blind round mistakes:\n${mistakes(blind).join("\n")}\n`);
    }
  }, 60_000);

  if (corpusProblem) {
    test.skip(`corpus threads skipped: ${corpusProblem}`, () => {});
    console.warn(
      `thread evaluation: corpus threads skipped (${corpusProblem}); scoring the seed thread only`,
    );
  }
  if (!seedThreadAvailable()) test.skip(`seed thread skipped: ${SEED_THREAD_FILE} not found`, () => {});

  test("the labels cover every reply of each thread, and only replies", () => {
    for (const o of outcomes) {
      expect({ thread: o.thread.name, unlabelled: o.unlabelled, notReplies: o.missing }).toEqual({
        thread: o.thread.name,
        unlabelled: [],
        notReplies: [],
      });
    }
  });

  // The blind round is reported (THREAD_EVAL_TABLE=1), not held to floors: cues tuned until it passed would
  // make it one more in-sample set.
  test("per-category precision and recall on the tuned set stay above their floors", () => {
    const tuned = outcomes.filter((o) => !isBlindRound(o));
    if (tuned.length === 0) return;
    const failing = scoreCategories(tuned).filter(
      (s) =>
        (s.precision !== undefined && s.precision < FLOORS[s.category].precision) ||
        (s.recall !== undefined && s.recall < FLOORS[s.category].recall),
    );
    expect({
      failing: failing.map((s) => s.category),
      mistakes: failing.length ? mistakes(tuned) : [],
    }).toEqual({
      failing: [],
      mistakes: [],
    });
  });
});
