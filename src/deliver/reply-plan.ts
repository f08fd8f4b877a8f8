// Whether a reviewed patch gets a reply, and the reply if so. Pure: the worker applies the rate limits with
// counts from the journal, inside the transaction that records the outcome.

import type { PatchReview } from "../model.js";
import { type ComposedMail, composeReply, replyMessageId } from "./compose.js";
import { type ListPolicy, type MailPolicy, policyFor } from "./policy.js";
import { type RecipientDecision, type Recipients, type ReplyContext, replyRecipients } from "./recipients.js";
import { digestBody, type RollupMember, replyBody, rollupBody } from "./reply-body.js";

export type ReplyPlan =
  | { kind: "reply"; key: string; list: ListPolicy; mail: ComposedMail; notBefore: number }
  | { kind: "none"; reason: string; list: ListPolicy };

export function listPolicyFor(policy: MailPolicy, parent: ReplyContext): ListPolicy {
  return policyFor(policy, [...parent.to, ...parent.cc]);
}

export function planPatchReply(
  review: PatchReview,
  parent: ReplyContext,
  policy: MailPolicy,
  now: Date,
): ReplyPlan {
  const list = listPolicyFor(policy, parent);
  if (review.findings.length === 0 && !list.replyWhenClean)
    return { kind: "none", reason: "no findings", list };
  return plan(`mail:${parent.messageId}`, parent, list, policy, now, (to) => replyBody(review, parent, to));
}

export function planRollup(
  seriesKey: string,
  parent: ReplyContext,
  members: readonly RollupMember[],
  total: number,
  policy: MailPolicy,
  now: Date,
): ReplyPlan {
  const list = listPolicyFor(policy, parent);
  if (!members.some((m) => m.findings > 0) && !list.replyWhenClean) {
    return { kind: "none", reason: "no findings in the series", list };
  }
  return plan(`rollup:${seriesKey}`, parent, list, policy, now, (to) =>
    rollupBody(parent, members, total, to),
  );
}

/** The thread's discussion digest (`key` and `text` from src/thread/mail-front.ts) as a reply to `parent`. */
export function planDigestMail(
  key: string,
  text: string,
  parent: ReplyContext,
  policy: MailPolicy,
  now: Date,
): ReplyPlan {
  return plan(key, parent, listPolicyFor(policy, parent), policy, now, (to) => digestBody(text, to));
}

/** Why the limits forbid one more mail, or undefined when they allow it. */
export function rateLimitReason(
  list: ListPolicy,
  mailsInThread: number,
  mailsInLastHour: number,
): string | undefined {
  if (mailsInThread >= list.perThread) return `rate-limited: ${list.perThread} per thread`;
  return hourlyLimitReason(list, mailsInLastHour);
}

export function hourlyLimitReason(list: ListPolicy, mailsInLastHour: number): string | undefined {
  return mailsInLastHour >= list.perHour
    ? `rate-limited: ${list.perHour} per hour for ${list.key}`
    : undefined;
}

/** Whom a mail answering `parent` goes to, or why nobody may get one (a muted list, a muted author). */
export function mailRecipients(
  parent: ReplyContext,
  list: ListPolicy,
  policy: MailPolicy,
): RecipientDecision {
  if (list.muted) return { kind: "muted", reason: `list ${list.key}` };
  return replyRecipients(parent, list, policy);
}

function plan(
  key: string,
  parent: ReplyContext,
  list: ListPolicy,
  policy: MailPolicy,
  now: Date,
  body: (recipients: Recipients) => string,
): ReplyPlan {
  const decision = mailRecipients(parent, list, policy);
  if (decision.kind === "muted") return { kind: "none", reason: `muted: ${decision.reason}`, list };
  const mail = composeReply({
    parent,
    recipients: decision.recipients,
    from: policy.from,
    body: body(decision.recipients),
    date: now,
    messageId: replyMessageId(key, policy.from),
  });
  return { kind: "reply", key, list, mail, notBefore: now.getTime() + list.embargoMinutes * 60_000 };
}
