// Whether a reviewed patch gets a reply, and the reply if so. Pure: the worker applies the rate limits with
// counts from the journal, inside the transaction that records the outcome.

import type { PatchReview } from "../model.js";
import { type ComposedMail, composeReply, replyMessageId } from "./compose.js";
import { type ListPolicy, type MailPolicy, policyFor } from "./policy.js";
import { type ReplyContext, replyRecipients } from "./recipients.js";
import { type RollupMember, replyBody, rollupBody } from "./reply-body.js";

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
  return plan(`mail:${parent.messageId}`, parent, list, policy, now, () => replyBody(review, parent));
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
  return plan(`rollup:${seriesKey}`, parent, list, policy, now, () => rollupBody(parent, members, total));
}

/** Why the limits forbid one more mail, or undefined when they allow it. */
export function rateLimitReason(
  list: ListPolicy,
  mailsInThread: number,
  mailsInLastHour: number,
): string | undefined {
  if (mailsInThread >= list.perThread) return `rate-limited: ${list.perThread} per thread`;
  if (mailsInLastHour >= list.perHour) return `rate-limited: ${list.perHour} per hour for ${list.key}`;
  return undefined;
}

function plan(
  key: string,
  parent: ReplyContext,
  list: ListPolicy,
  policy: MailPolicy,
  now: Date,
  body: () => string,
): ReplyPlan {
  if (list.muted) return { kind: "none", reason: `muted: list ${list.key}`, list };
  const decision = replyRecipients(parent, list, policy);
  if (decision.kind === "muted") return { kind: "none", reason: `muted: ${decision.reason}`, list };
  const mail = composeReply({
    parent,
    recipients: decision.recipients,
    from: policy.from,
    body: body(),
    date: now,
    messageId: replyMessageId(key, policy.from),
  });
  return { kind: "reply", key, list, mail, notBefore: now.getTime() + list.embargoMinutes * 60_000 };
}
