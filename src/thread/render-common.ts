// Helpers shared by the digest renderers.

import type { ArgumentCategory } from "../model.js";
import { plural } from "../render/common.js";
import type { Byline, PendingArgument, ThreadDigest } from "./digest.js";

export const DIGEST_TITLE = "Discussion so far";

/** YYYY-MM-DD of an ISO date, or undefined. */
export function day(date: string | null): string | undefined {
  return date && /^\d{4}-\d\d-\d\d/.test(date) ? date.slice(0, 10) : undefined;
}

/** "Robin Murphy, 2026-04-07". */
export function who(b: Byline): string {
  const d = day(b.date);
  return d ? `${b.author}, ${d}` : b.author;
}

/** The first sentence of a paraphrase, cut at `max` characters on a word boundary. */
export function firstSentence(text: string, max = 200, ellipsis = "…"): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const end = flat.search(/\.(?:\s|$)/);
  const sentence = end >= 0 ? flat.slice(0, end + 1) : flat;
  if (sentence.length <= max) return sentence;
  const cut = sentence.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > 0 ? cut.slice(0, space) : cut).replace(/[\s,;:(-]+$/, "")}${ellipsis}`;
}

export function isHttpLink(link: string | null): link is string {
  return !!link && /^https?:\/\/[^\s<>()]+$/.test(link);
}

/** Pending arguments grouped by category, categories in the order they first appear (the rules' ranking). */
export function pendingByCategory(
  digest: ThreadDigest,
): { category: ArgumentCategory; items: PendingArgument[] }[] {
  const groups = new Map<ArgumentCategory, PendingArgument[]>();
  for (const a of digest.notYetDiscussed) groups.set(a.category, [...(groups.get(a.category) ?? []), a]);
  return [...groups.entries()].map(([category, items]) => ({ category, items }));
}

export function hasRaisedAnything(digest: ThreadDigest): boolean {
  return digest.categories.some((c) => c.raised.length > 0);
}

/** Which known arguments the "not yet discussed" list covers, as a phrase. */
export function rulesNote(digest: ThreadDigest): string {
  const list = digest.rules.join(", ");
  switch (digest.rulesBasis) {
    case "findings":
      return `known arguments of ${list} (fired on this thread's patches)`;
    case "given":
      return `known arguments of ${list}`;
    case "none":
      return "no rule fired on this thread's patches, so no known argument is expected";
  }
}

/** The one line said instead of a "not yet discussed" list when no rule fired. */
export const NO_RULE_FIRED = "Not yet discussed: not listed; no rule fired on this thread's patches.";

/** The header's count of messages analysed: the replies, and the opener when it is not a patch. */
export function analysedNote(digest: ThreadDigest, participants: string): string {
  const replies = digest.replies === 0 ? "No replies yet" : `${plural(digest.replies, "reply", "replies")}`;
  if (!digest.root.analysed)
    return digest.replies === 0 ? "No replies yet." : `${replies} from ${participants}.`;
  const from = digest.replies === 0 ? "" : ` from ${participants}`;
  return `${replies}${from}; the opening message is not a patch and is read like a reply.`;
}
