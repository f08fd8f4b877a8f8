// One journaled message, read and reviewed: everything the worker needs before it decides what to send.
// Asynchronous (mail parsing) and free of side effects, so it can run outside the journal's transaction.

import type { ReplyContext } from "../deliver/recipients.js";
import type { PatchReview } from "../model.js";
import { parseMessage } from "../parse/mail.js";
import { messageToItem } from "../parse/patch.js";
import { renderText } from "../render/text.js";
import { reviewPatch } from "../review/review.js";
import type { Rule } from "../rules/load.js";

export type Analysis =
  | { kind: "not-a-patch"; outcome: string; context?: ReplyContext }
  | {
      kind: "patch";
      review: PatchReview;
      context: ReplyContext;
      /** Message-Id of the thread's first message. */
      thread: string;
      series?: { key: string; index: number; total: number };
      /** This patch's review as a roll-up shows it (only for series members). */
      reviewText?: string;
    };

const AUTO_SUBMITTED = /^auto-submitted:[ \t]*(?!no\b)\S/im;

export async function analyzeMessage(
  raw: Buffer,
  messageId: string,
  origin: string,
  rules: readonly Rule[],
): Promise<Analysis> {
  // Never answer a robot: that is how two bots end up mailing each other all night.
  if (AUTO_SUBMITTED.test(headerBlock(raw)))
    return { kind: "not-a-patch", outcome: "skipped: auto-submitted" };
  const item = await messageToItem(raw, origin, 0);
  if (item.kind === "error") return { kind: "not-a-patch", outcome: `error: ${item.error}` };
  if (item.kind === "skipped") {
    // A cover letter may become the parent of a series roll-up.
    const context = item.reason === "cover letter" ? await replyContext(raw, messageId) : undefined;
    return { kind: "not-a-patch", outcome: `skipped: ${item.reason}`, ...(context && { context }) };
  }
  const patch = item.patch;
  const review = reviewPatch(patch, { rules });
  const context = await replyContext(raw, messageId);
  const thread = patch.references[0] ?? patch.inReplyTo ?? messageId;
  const total = patch.seriesTotal ?? 1;
  if (total <= 1 || patch.seriesIndex === undefined) return { kind: "patch", review, context, thread };
  return {
    kind: "patch",
    review,
    context,
    thread,
    series: { key: `${thread}#v${patch.version}`, index: patch.seriesIndex, total },
    reviewText: renderText({ patches: [review] }, { color: false, mail: true }),
  };
}

/** The reply goes to the sender (the From header), as b4 does, even when the patch names another author. */
async function replyContext(raw: Buffer, messageId: string): Promise<ReplyContext> {
  const { headers } = await parseMessage(raw);
  return {
    messageId,
    subject: headers.subject,
    ...(headers.from && { from: headers.from }),
    to: headers.to,
    cc: headers.cc,
    references: headers.references,
    ...(headers.date && { date: headers.date }),
  };
}

function headerBlock(raw: Buffer): string {
  const head = raw.toString("latin1", 0, Math.min(raw.length, 64 * 1024));
  const end = head.search(/\r?\n\r?\n/);
  return end < 0 ? head : head.slice(0, end);
}
