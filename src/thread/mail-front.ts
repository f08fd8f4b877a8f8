// The mirror worker's side of the thread digest, one call per event: a reviewed patch starts tracking its thread,
// and every later message of a tracked thread rebuilds the stored digest and says whether a digest mail may go
// out now. Sending stays with the worker (its outbox, recipients and rate limits).

import { createHash } from "node:crypto";
import type { Rule } from "../rules/load.js";
import type { CueBook } from "./cues.js";
import { buildDigest, type ThreadDigest } from "./digest.js";
import type { ThreadMessage } from "./model.js";
import { readMailMessage } from "./read-mail.js";
import { rulesFiredInThread } from "./relevant-rules.js";
import { renderDigestJson } from "./render-json.js";
import { renderDigestText } from "./render-text.js";
import type { DigestStore } from "./store.js";
import { buildThread } from "./tree.js";

export interface DigestMailPolicy {
  /** Send digest mails at all; when false the stored digest is still kept up to date. */
  enabled: boolean;
  /** At most one digest mail per thread in this many minutes. */
  intervalMinutes: number;
}

export interface ThreadFrontOptions {
  store: DigestStore;
  rules: readonly Rule[];
  book: CueBook;
  /** The same for every thread, or by the thread root's Message-Id (a list may have settings of its own). */
  policy: DigestMailPolicy | ((root: string) => DigestMailPolicy);
  /**
   * Why no digest mail may go out for the thread now although the policy allows one (a muted list, a rate limit),
   * or undefined. Asked before the interval's slot is claimed, so a mail held back does not use the slot up.
   */
  holdBack?: (root: string) => string | undefined;
  now?: () => number;
}

/** A digest mail the worker should queue as a reply to the thread root. */
export interface DigestMail {
  /** Unique per mail, for the outbox: "digest:<root>:<fingerprint>". */
  key: string;
  /** Message-Id of the thread root: the mail answers it. */
  inReplyTo: string;
  /** "Re: " and the root's subject. */
  subject: string;
  /** Plain text, 72 columns. */
  body: string;
}

export type ThreadUpdate =
  | { kind: "untracked" }
  | { kind: "duplicate"; root: string }
  | { kind: "updated"; root: string; digest: ThreadDigest; mail?: DigestMail; noMail?: string };

/** Starts tracking the thread of a patch the bot reviewed, with the patch as its first message. */
export async function trackReviewedPatch(
  store: DigestStore,
  thread: string,
  raw: Buffer,
  now = Date.now(),
): Promise<void> {
  const message = await readMailMessage(raw, 0);
  store.track(thread, now);
  store.addMessage(thread, message.id, raw);
}

/** What people said: a reply with nothing the classifier recognises does not make a new digest mail. */
export function digestFingerprint(digest: ThreadDigest): string {
  const said = {
    categories: digest.categories.map((c) => c.raised.map((r) => [r.messageId, r.arguments])),
    alternatives: digest.alternatives.map((a) => [a.id, a.mentions.map((m) => m.messageId)]),
    questions: digest.questions.map((q) => [q.messageId, q.text, q.repliedBy]),
  };
  return createHash("sha256").update(JSON.stringify(said)).digest("hex").slice(0, 16);
}

function mailDecision(
  opts: ThreadFrontOptions,
  root: string,
  digest: ThreadDigest,
  key: string,
  now: number,
): { mail?: DigestMail; noMail?: string } {
  const { store } = opts;
  const policy = typeof opts.policy === "function" ? opts.policy(root) : opts.policy;
  if (!policy.enabled) return { noMail: "digest mails are off" };
  if (!digest.categories.some((c) => c.raised.length > 0) && digest.questions.length === 0) {
    return { noMail: "nothing raised yet" };
  }
  const stored = store.get(root);
  if (stored?.lastMailedKey === key) return { noMail: "nothing new since the last digest mail" };
  const heldBack = opts.holdBack?.(root);
  if (heldBack) return { noMail: heldBack };
  const intervalMs = policy.intervalMinutes * 60_000;
  if (!store.claimMailSlot(root, key, now, intervalMs)) {
    const next = new Date((stored?.lastMailedAt ?? now) + intervalMs).toISOString();
    return { noMail: `one digest mail per ${policy.intervalMinutes} minutes; next after ${next}` };
  }
  const subject = digest.root.subject.replace(/^(?:re:\s*)+/i, "");
  return {
    mail: {
      key: `digest:${root}:${key}`,
      inReplyTo: root,
      subject: `Re: ${subject}`,
      body: renderDigestText(digest),
    },
  };
}

/**
 * Handles one incoming message: ignored unless it belongs to a tracked thread; otherwise stored, the digest
 * rebuilt from every stored message and saved, and a mail returned when the policy allows one now.
 */
export async function updateThreadDigest(raw: Buffer, opts: ThreadFrontOptions): Promise<ThreadUpdate> {
  const now = (opts.now ?? Date.now)();
  const incoming = await readMailMessage(raw, 0);
  const root = opts.store.threadOf(
    [incoming.id, incoming.inReplyTo ?? "", ...incoming.references].filter(Boolean),
  );
  if (!root) return { kind: "untracked" };
  if (!opts.store.addMessage(root, incoming.id, raw)) return { kind: "duplicate", root };

  const stored = opts.store.messages(root);
  const messages: ThreadMessage[] = [];
  const byId = new Map<string, Buffer>();
  for (const [position, bytes] of stored.entries()) {
    const message = await readMailMessage(bytes, position);
    messages.push(message);
    byId.set(message.id, bytes);
  }
  const thread = buildThread(messages);
  const relevant = await rulesFiredInThread(thread, byId, opts.rules);
  const { digest } = buildDigest({
    thread,
    book: opts.book,
    rules: relevant.rules,
    rulesBasis: relevant.basis,
  });
  const key = digestFingerprint(digest);
  opts.store.saveDigest(root, key, renderDigestJson(digest), now);
  return { kind: "updated", root, digest, ...mailDecision(opts, root, digest, key, now) };
}
