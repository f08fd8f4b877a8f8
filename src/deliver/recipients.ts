// Whom a reply goes to, as b4 builds it: To the author, Cc the original To and Cc, deduplicated; then the
// list policy narrows it (reply to the author only, lists only, muted addresses out, extra Cc in).

import type { Person } from "../model.js";
import { isListAddress, isMutedAddress, type ListPolicy, type MailPolicy } from "./policy.js";

/** What a reply needs to know about the message it answers. Stored in the journal as JSON. */
export interface ReplyContext {
  /** Without angle brackets. */
  messageId: string;
  subject: string;
  from?: Person;
  to: Person[];
  cc: Person[];
  /** The parent's own References, oldest first, without angle brackets. */
  references: string[];
  /** ISO 8601. */
  date?: string;
}

export interface Recipients {
  to: Person[];
  cc: Person[];
}

export type RecipientDecision = { kind: "send"; recipients: Recipients } | { kind: "muted"; reason: string };

export function replyRecipients(
  parent: ReplyContext,
  list: ListPolicy,
  policy: MailPolicy,
): RecipientDecision {
  const author = parent.from;
  if (!author?.email) return { kind: "muted", reason: "the message has no author address" };
  const bot = policy.from.email.toLowerCase();
  if (author.email.toLowerCase() === bot) return { kind: "muted", reason: "the message is the bot's own" };
  if (isMutedAddress(policy, author.email))
    return { kind: "muted", reason: `author ${author.email} is muted` };

  const seen = new Set([bot, author.email.toLowerCase()]);
  const cc: Person[] = [];
  const add = (person: Person) => {
    const key = person.email.toLowerCase();
    if (seen.has(key) || isMutedAddress(policy, person.email)) return;
    seen.add(key);
    cc.push(person);
  };
  if (list.replyTo === "all") {
    for (const person of [...parent.to, ...parent.cc]) {
      if (list.ccIndividuals || isListAddress(policy, person.email)) add(person);
    }
  }
  for (const email of list.cc) add({ name: "", email });
  return { kind: "send", recipients: { to: [author], cc } };
}
