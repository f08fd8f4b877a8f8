// The digest as GitHub-flavoured markdown: for a PR comment section, or `iommu-review thread --format markdown`.

import { CATEGORY_LABELS, joinList, plural } from "../render/common.js";
import { code, escapeInline } from "../render/markdown-escape.js";
import type { Byline, ThreadDigest } from "./digest.js";
import {
  analysedNote,
  DIGEST_TITLE,
  day,
  firstSentence,
  hasRaisedAnything,
  isHttpLink,
  NO_RULE_FIRED,
  pendingByCategory,
  rulesNote,
  who,
} from "./render-common.js";

export interface MarkdownOptions {
  /** Heading level of the title, 2 by default ("##"); 0 leaves the title out. */
  headingLevel?: number;
  /** Show the not-yet-discussed list folded in a <details> block when it has more items than this. */
  foldPendingOver?: number;
}

function messageLink(b: Byline): string {
  return isHttpLink(b.link) ? ` ([message](${b.link}))` : ` (${code(`<${b.messageId}>`)})`;
}

function quoted(phrase: string): string {
  return `“${escapeInline(phrase)}”`;
}

function raisedLine(b: Byline & { keyPhrase: string; arguments: string[] }): string {
  const known =
    b.arguments.length > 0 ? `; known: ${b.arguments.map((id) => code(id)).join(", ")}` : "; new argument";
  return `- ${escapeInline(who(b))}: ${quoted(b.keyPhrase)}${messageLink(b)}${known}`;
}

function header(digest: ThreadDigest): string {
  const root = digest.root;
  const by = [root.author, day(root.date)].filter(Boolean).join(", ");
  const link = isHttpLink(root.link) ? ` ([message](${root.link}))` : "";
  const missing = root.present ? "" : " (not in the input)";
  const lines = [
    `${escapeInline(root.subject || `<${root.messageId}>`)}${by ? ` — ${escapeInline(by)}` : ""}${link}${missing}`,
  ];
  lines.push(analysedNote(digest, escapeInline(joinList(digest.participants))));
  return lines.join("  \n");
}

function categoriesBlock(digest: ThreadDigest): string[] {
  if (!hasRaisedAnything(digest)) return ["No reply has raised an argument the rules recognise yet."];
  return digest.categories
    .filter((c) => c.raised.length > 0)
    .map((c) => [`**${c.label}**`, ...c.raised.map(raisedLine)].join("\n"));
}

function alternativesBlock(digest: ThreadDigest): string[] {
  if (digest.alternatives.length === 0) return [];
  const lines = digest.alternatives.map((alt) => {
    const mentions = alt.mentions.map(
      (m) => `${escapeInline(who(m))} ${quoted(m.keyPhrase)}${messageLink(m)}`,
    );
    return `- ${escapeInline(alt.label)}: ${mentions.join("; ")}`;
  });
  return [["**Alternatives proposed**, by kind", ...lines].join("\n")];
}

function questionsBlock(digest: ThreadDigest): string[] {
  if (digest.questions.length === 0) return [];
  const open = digest.questions.filter((q) => q.repliedBy.length === 0);
  const taken = digest.questions.filter((q) => q.repliedBy.length > 0);
  const lines = [
    ...open.map((q) => `- ${escapeInline(who(q))}: ${quoted(q.text)}${messageLink(q)}`),
    ...taken.map(
      (q) =>
        `- ${escapeInline(who(q))}: ${quoted(q.text)}${messageLink(q)} — taken up by ${escapeInline(joinList(q.repliedBy))}`,
    ),
  ];
  return [[`**Questions** (${open.length} open)`, ...lines].join("\n")];
}

function pendingBlock(digest: ThreadDigest, foldOver: number): string[] {
  if (digest.rulesBasis === "none")
    return [NO_RULE_FIRED.replace(/^Not yet discussed/, "**Not yet discussed**")];
  if (digest.notYetDiscussed.length === 0) {
    return [
      `**Not yet discussed**: nothing; every one of the ${escapeInline(rulesNote(digest))} has come up.`,
    ];
  }
  const intro = `**Not yet discussed**: ${escapeInline(rulesNote(digest))} that no reply has raised.`;
  const list = pendingByCategory(digest)
    .map(({ category, items }) =>
      [
        `*${CATEGORY_LABELS[category]}*`,
        ...items.map((a) => `- ${escapeInline(firstSentence(a.text))} (${code(a.id)})`),
      ].join("\n"),
    )
    .join("\n\n");
  if (digest.notYetDiscussed.length <= foldOver) return [`${intro}\n\n${list}`];
  const summary = `${plural(digest.notYetDiscussed.length, "known argument")} not yet discussed`;
  return [`${intro}\n\n<details><summary>${summary}</summary>\n\n${list}\n\n</details>`];
}

export function renderDigestMarkdown(digest: ThreadDigest, opts: MarkdownOptions = {}): string {
  const level = opts.headingLevel ?? 2;
  const blocks = [
    ...(level > 0 ? [`${"#".repeat(level)} ${DIGEST_TITLE}`] : []),
    header(digest),
    ...categoriesBlock(digest),
    ...alternativesBlock(digest),
    ...questionsBlock(digest),
    ...pendingBlock(digest, opts.foldPendingOver ?? 8),
  ];
  return `${blocks.join("\n\n")}\n`;
}
