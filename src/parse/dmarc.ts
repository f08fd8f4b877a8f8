// A list that rewrites From for DMARC ("Jane Doe via iommu <iommu@lists.linux-foundation.org>") hides the
// author; the list keeps her in Reply-To or X-Original-From. Every front reads authors through here.

import { addressParser, decodeWords } from "postal-mime";
import type { Person } from "../model.js";

/** "<name> via <list>": the display name a DMARC-rewriting list gives the From it rewrote. */
const VIA_LIST = /^(.*\S)\s+via\s+\S+$/i;

/** The first address of a header value (a group's first member), or undefined. */
export function firstAddress(value: string | undefined): Person | undefined {
  if (!value) return undefined;
  const first = addressParser(value)[0];
  if (!first) return undefined;
  if (first.group) {
    const member = first.group[0];
    return member?.address ? { name: member.name, email: member.address } : undefined;
  }
  return first.address ? { name: decodeWords(first.name), email: first.address } : undefined;
}

export interface AuthorSources {
  /** The raw X-Original-From value. */
  originalFrom?: string | undefined;
  /** The first Reply-To address. */
  replyTo?: Person | undefined;
}

/**
 * The author of a message whose From is `from`: when the list rewrote it ("Name via LIST"), the person in
 * X-Original-From, else in Reply-To (when it is not the list's own address), else the name without " via LIST".
 */
export function unmungedAuthor(from: Person, sources: AuthorSources): Person {
  const via = VIA_LIST.exec(from.name);
  if (!via) return from;
  const name = via[1]!;
  const original = firstAddress(sources.originalFrom);
  if (original) return { name: original.name || name, email: original.email };
  const replyTo = sources.replyTo;
  if (replyTo && replyTo.email.toLowerCase() !== from.email.toLowerCase()) {
    return { name: replyTo.name || name, email: replyTo.email };
  }
  return { name, email: from.email };
}
