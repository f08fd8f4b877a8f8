// Each known argument's cues must recognise what its cited source says, in the source's own words: the
// `sources:` excerpts of the rules, and, where the cited message is in ../shared/corpus, one sentence of the
// message's own (unquoted) text. A cue written from our paraphrase instead of the message fails here.

import { describe, expect, test } from "@jest/globals";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";
import { analyseReply } from "../../src/thread/classify.js";
import { buildCueBook } from "../../src/thread/cues.js";
import { readMailMessage } from "../../src/thread/read-mail.js";
import { splitSentences } from "../../src/thread/sentences.js";
import { corpusMessages, corpusUnavailable } from "./corpus.js";

const rules = loadRules(DEFAULT_RULES_DIR);
const book = buildCueBook(rules);
const args = rules.flatMap((r) => r.arguments.map((a) => ({ rule: r.id, ...a })));

/** Whether the cues of `id` (or of a twin) match one of `sentences`. */
function cuesMatch(id: string, sentences: readonly string[]): boolean {
  const cues = book.twinsOf(id).flatMap((twin) => book.arguments.filter((a) => a.id === twin));
  return sentences.some((s) => cues.some((a) => a.cues.match(s) !== undefined));
}

const bareId = (where: string) => where.replace(/^<|>$/g, "");

describe("cues match their own source", () => {
  const excerpts = args.flatMap((a) =>
    (a.sources ?? []).map((s) => ({ ...a, excerpt: s.excerpt, at: s.where })),
  );

  test("every sources: excerpt is matched by its argument's cues", () => {
    const missed = excerpts
      .filter((e) => !cuesMatch(e.id, splitSentences(e.excerpt)))
      .map((e) => `${e.rule}: ${e.id}: "${e.excerpt}" (${e.at})`);
    expect(missed).toEqual([]);
  });

  const problem = corpusUnavailable();
  if (problem) {
    test.skip(`cited messages in the corpus skipped: ${problem}`, () => {});
    return;
  }

  test("where the cited message is in the corpus, the cues match a sentence of its own text", async () => {
    const cited = args.filter((a) => a.where && !/^https?:/.test(a.where));
    const found = await corpusMessages(new Set(cited.map((a) => bareId(a.where!))));
    const byId = new Map(found.map((m) => [m.messageId, m]));
    const checked: string[] = [];
    const missed: string[] = [];
    for (const a of cited) {
      const source = byId.get(bareId(a.where!));
      if (!source) continue;
      const message = await readMailMessage(source.raw, 0);
      const { sentences } = analyseReply(message, book);
      checked.push(a.id);
      if (!cuesMatch(a.id, sentences)) missed.push(`${a.rule}: ${a.id} misses its source <${a.where}>`);
    }
    expect(checked.length).toBeGreaterThan(0);
    expect(missed).toEqual([]);
  }, 60_000);
});
