// The digest as plain text for a mail to the list: ASCII punctuation, prose wrapped at 72 columns, list items
// hanging under their dash, Message-Ids in angle brackets.

import { CATEGORY_LABELS, joinList } from "../render/common.js";
import { wrap } from "../render/wrap.js";
import type { Byline, ThreadDigest } from "./digest.js";
import {
  analysedNote,
  DIGEST_TITLE,
  day,
  firstSentence,
  hasRaisedAnything,
  NO_RULE_FIRED,
  pendingByCategory,
  rulesNote,
  who,
} from "./render-common.js";

const WIDTH = 72;
/** A mail shows the rules' top-ranked pending arguments per category; the JSON output has them all. */
export const PENDING_SHOWN_PER_CATEGORY = 3;
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/** Mail is read in terminals: no control characters from other people's text, and ASCII quotes and ellipses. */
function clean(text: string): string {
  return text
    .replace(CONTROL, "?")
    .replace(/…/g, "...")
    .replace(/[“”]/g, '"')
    .replace(/[‘’]/g, "'")
    .replace(/—/g, "-");
}

function cleanAll<T>(value: T): T {
  if (typeof value === "string") return clean(value) as T;
  if (Array.isArray(value)) return value.map(cleanAll) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanAll(v)])) as T;
  }
  return value;
}

function item(first: string, ...more: string[]): string {
  return [wrap(`  - ${first}`, WIDTH), ...more.map((line) => wrap(`    ${line}`, WIDTH))].join("\n");
}

function where(b: Byline): string {
  return `<${b.messageId}>`;
}

function header(digest: ThreadDigest): string {
  const root = digest.root;
  const lines = [wrap(`${DIGEST_TITLE}: ${root.subject || `<${root.messageId}>`}`, WIDTH)];
  const by = [root.author, day(root.date)].filter(Boolean).join(", ");
  const where = root.present
    ? `<${root.messageId}>${by ? ` (${by})` : ""}`
    : `<${root.messageId}> (not in the input)`;
  lines.push(wrap(where, WIDTH));
  lines.push(wrap(analysedNote(digest, joinList(digest.participants)), WIDTH));
  return lines.join("\n");
}

function categories(digest: ThreadDigest): string[] {
  if (!hasRaisedAnything(digest))
    return [wrap("No reply has raised an argument the rules recognise yet.", WIDTH)];
  return digest.categories
    .filter((c) => c.raised.length > 0)
    .map((c) =>
      [
        `${c.label}:`,
        ...c.raised.map((r) =>
          item(
            `${who(r)}: "${r.keyPhrase}"`,
            `${where(r)}${r.arguments.length > 0 ? ` [${r.arguments.join(", ")}]` : " [new argument]"}`,
          ),
        ),
      ].join("\n"),
    );
}

function alternatives(digest: ThreadDigest): string[] {
  if (digest.alternatives.length === 0) return [];
  const items = digest.alternatives.map((alt) =>
    item(`${alt.label}:`, ...alt.mentions.map((m) => `${who(m)}: "${m.keyPhrase}" ${where(m)}`)),
  );
  return [["Alternatives proposed, by kind:", ...items].join("\n")];
}

function questions(digest: ThreadDigest): string[] {
  if (digest.questions.length === 0) return [];
  const open = digest.questions.filter((q) => q.repliedBy.length === 0);
  const taken = digest.questions.filter((q) => q.repliedBy.length > 0);
  const items = [
    ...open.map((q) => item(`${who(q)}: "${q.text}"`, where(q))),
    ...taken.map((q) => item(`${who(q)}: "${q.text}"`, `${where(q)}, taken up by ${joinList(q.repliedBy)}`)),
  ];
  return [[`Questions (${open.length} open):`, ...items].join("\n")];
}

function pending(digest: ThreadDigest): string[] {
  if (digest.rulesBasis === "none") return [wrap(NO_RULE_FIRED, WIDTH)];
  if (digest.notYetDiscussed.length === 0) {
    return [wrap(`Not yet discussed: nothing; every one of the ${rulesNote(digest)} has come up.`, WIDTH)];
  }
  const intro = wrap(`Not yet discussed: ${rulesNote(digest)} that no reply has raised.`, WIDTH);
  const groups = pendingByCategory(digest).map(({ category, items }) => {
    const shown = items.slice(0, PENDING_SHOWN_PER_CATEGORY);
    const lines = shown.map((a) => item(firstSentence(a.text, 160, "..."), `[${a.id}]`));
    if (items.length > shown.length)
      lines.push(wrap(`  and ${items.length - shown.length} more (see --format json)`, WIDTH));
    return [`${CATEGORY_LABELS[category]}:`, ...lines].join("\n");
  });
  return [intro, ...groups];
}

export function renderDigestText(input: ThreadDigest): string {
  // Cleaned before wrapping, so that a replaced character cannot push a line past the width.
  const digest = cleanAll(input);
  const blocks = [
    header(digest),
    ...categories(digest),
    ...alternatives(digest),
    ...questions(digest),
    ...pending(digest),
  ];
  return `${blocks.join("\n\n")}\n`;
}
