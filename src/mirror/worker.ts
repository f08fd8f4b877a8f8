// The review worker: takes the oldest pending message from the journal, reviews it, and records the outcome and
// the outbox entries (reply, roll-up, Patchwork check) in one transaction. A crash before that commit leaves the
// message pending, and the restarted worker does the whole thing again; after it, there is nothing left to redo.

import type { MailPolicy } from "../deliver/policy.js";
import type { ReplyContext } from "../deliver/recipients.js";
import {
  listPolicyFor,
  planPatchReply,
  planRollup,
  type ReplyPlan,
  rateLimitReason,
} from "../deliver/reply-plan.js";
import { type PatchReview, SEVERITIES } from "../model.js";
import type { Rule } from "../rules/load.js";
import type { CueBook } from "../thread/cues.js";
import { trackReviewedPatch, updateThreadDigest } from "../thread/mail-front.js";
import type { DigestStore } from "../thread/store.js";
import { type Analysis, analyzeMessage } from "./analyze-message.js";
import { DigestMails } from "./digest-mail.js";
import { SYNTHETIC_ID_SUFFIX } from "./intake-payload.js";
import type { Journal, JournalMessage, MessageOutcome } from "./journal.js";
import { CHECK_CONTEXT, type CheckPayload, checkForReview } from "./patchwork-check.js";
import { BackgroundLoop } from "./wakeable.js";

export interface WorkerOptions {
  journal: Journal;
  rules: readonly Rule[];
  policy: MailPolicy;
  /** Queue a Patchwork check for every reviewed patch. */
  patchworkChecks?: boolean;
  /** target_url of a check, from the patch's Message-Id. */
  checkTargetUrl?: (messageId: string) => string | undefined;
  now?: () => number;
  /** A message that fails this often (a bug, or it crashes the process) is given up. */
  maxAttempts?: number;
  /** Called after each message's outcome is committed, with the time its review and commit took. */
  onHandled?: (messageId: string, outcome: string, seconds: number) => void;
  onError?: (messageId: string, error: unknown) => void;
  /** Look for work this often even when nobody calls wake(). */
  pollMs?: number;
  /**
   * Keeps a discussion digest for every thread the bot reviewed a patch in (src/thread/mail-front.ts), and queues
   * a digest mail when the policy's `digest` settings allow one.
   */
  digests?: { store: DigestStore; book: CueBook };
}

export class ReviewWorker extends BackgroundLoop {
  private readonly now: () => number;
  private readonly digestMails: DigestMails;

  constructor(private readonly opts: WorkerOptions) {
    super(opts.pollMs ?? 1000);
    this.now = opts.now ?? Date.now;
    this.digestMails = new DigestMails(opts.journal, opts.policy);
  }

  protected step(): Promise<boolean> {
    return this.handleNext();
  }

  /** Handles one pending message; false when there was none. */
  async handleNext(): Promise<boolean> {
    const { journal } = this.opts;
    const message = journal.claimNext();
    if (!message) return false;
    const started = performance.now();
    try {
      const analysis = await analyzeMessage(message.raw, message.messageId, message.origin, this.opts.rules);
      const outcome = this.commit(message, analysis);
      if (outcome !== undefined) {
        await this.updateDigest(message, analysis).catch((error) =>
          this.opts.onError?.(message.messageId, error),
        );
        this.opts.onHandled?.(message.messageId, outcome, (performance.now() - started) / 1000);
      }
    } catch (error) {
      this.opts.onError?.(message.messageId, error);
      if (message.attempts >= (this.opts.maxAttempts ?? 3)) {
        const text = error instanceof Error ? error.message : String(error);
        journal.finish(message.seq, "failed", { outcome: `failed: ${text}` });
      }
    }
    return true;
  }

  /**
   * A reviewed patch starts a tracked thread; any other message updates the digest of the thread it joins, and
   * queues the digest mail that may go out now, if any.
   */
  private async updateDigest(message: JournalMessage, analysis: Analysis): Promise<void> {
    const digests = this.opts.digests;
    if (!digests) return;
    if (analysis.kind !== "not-a-patch") {
      await trackReviewedPatch(digests.store, analysis.thread, message.raw, this.now());
      return;
    }
    const update = await updateThreadDigest(message.raw, {
      store: digests.store,
      book: digests.book,
      rules: this.opts.rules,
      policy: (root) => this.digestMails.settings(root),
      holdBack: (root) => this.digestMails.holdBack(root),
      now: this.now,
    });
    if (update.kind !== "updated" || !update.mail) return;
    const plan = this.digestMails.plan(update.root, update.mail, new Date(this.now()));
    if (plan?.kind === "reply") this.addMail(plan, update.root, update.root);
  }

  /** Records the outcome and its outbox entries atomically; returns the outcome, or undefined if already done. */
  private commit(message: JournalMessage, analysis: Analysis): string | undefined {
    const { journal } = this.opts;
    if (analysis.kind === "not-a-patch") {
      const outcome: MessageOutcome = {
        outcome: analysis.outcome,
        ...(analysis.context && { replyContext: JSON.stringify(analysis.context) }),
      };
      return journal.finish(message.seq, "done", outcome) ? analysis.outcome : undefined;
    }
    const now = new Date(this.now());
    const { review, context, thread, series } = analysis;
    const canReply = !message.messageId.endsWith(SYNTHETIC_ID_SUFFIX);
    const { policy } = this.opts;
    const rollup = series !== undefined && listPolicyFor(policy, context).seriesRollup;
    const plan: ReplyPlan | undefined =
      canReply && !rollup ? this.planReply(review, context, now) : undefined;
    const base = !canReply
      ? "reviewed; no reply: the message has no Message-Id"
      : rollup
        ? "reviewed; roll-up pending"
        : plan?.kind === "none"
          ? `reviewed; no reply: ${plan.reason}`
          : "reviewed";
    const outcome: MessageOutcome = {
      outcome: base,
      thread,
      findings: review.findings.length,
      replyContext: JSON.stringify(context),
      ...(series && {
        series: series.key,
        seriesIndex: series.index,
        seriesTotal: series.total,
        reviewText: analysis.reviewText,
      }),
    };
    let revised: string | undefined;
    const committed = journal.finish(message.seq, "done", outcome, () => {
      if (this.opts.patchworkChecks && canReply) this.queueCheck(message, analysis);
      if (plan?.kind === "reply") revised = this.queueMail(plan, thread, message.messageId, "replied");
      else if (rollup && series) revised = this.queueRollup(series, thread, now);
      return revised;
    });
    return committed ? (revised ?? base) : undefined;
  }

  /**
   * No reply when every finding is below the list's reply_min_severity: an info note must not use up the
   * thread's one reply, which a warning on the next patch would then be refused.
   */
  private planReply(review: PatchReview, context: ReplyContext, now: Date): ReplyPlan {
    const { policy } = this.opts;
    const list = listPolicyFor(policy, context);
    const min = SEVERITIES.indexOf(list.replyMinSeverity);
    const { findings } = review;
    if (findings.length > 0 && findings.every((f) => SEVERITIES.indexOf(f.severity) < min)) {
      return { kind: "none", reason: `no finding of severity ${list.replyMinSeverity} or higher`, list };
    }
    return planPatchReply(review, context, policy, now);
  }

  /**
   * Inside the transaction: the rate limits decide with the journal's counts; returns the revised outcome.
   * `answers`: the Message-Id of the message the mail replies to (the patch, the cover letter, the thread root).
   */
  private queueMail(
    plan: Extract<ReplyPlan, { kind: "reply" }>,
    thread: string,
    answers: string,
    done: string,
  ): string {
    const { journal } = this.opts;
    const limited = rateLimitReason(
      plan.list,
      journal.mailsInThread(thread),
      journal.mailsInLastHour(plan.list.key),
    );
    if (limited) return `reviewed; no reply: ${limited}`;
    return this.addMail(plan, thread, answers) ? done : "reviewed; reply already queued";
  }

  /** False when a mail with the plan's key was queued before. */
  private addMail(plan: Extract<ReplyPlan, { kind: "reply" }>, thread: string, answers: string): boolean {
    return this.opts.journal.addOutbox({
      key: plan.key,
      kind: "mail",
      answers,
      list: plan.list.key,
      thread,
      payload: plan.mail.raw,
      meta: JSON.stringify({ messageId: plan.mail.messageId, envelope: plan.mail.envelope }),
      notBefore: plan.notBefore,
    });
  }

  private queueRollup(series: { key: string; total: number }, thread: string, now: Date): string | undefined {
    const { journal, policy } = this.opts;
    const members = journal.seriesMembers(series.key);
    const indices = new Set(members.map((m) => m.seriesIndex));
    for (let i = 1; i <= series.total; i++) if (!indices.has(i)) return undefined;
    const first = new Map(members.map((m) => [m.seriesIndex, m] as const));
    const ordered = [...first.values()].sort((a, b) => a.seriesIndex - b.seriesIndex);
    const coverLetter = journal.replyContextOf(thread);
    const parent = JSON.parse(coverLetter ?? ordered[0]!.replyContext) as ReplyContext;
    const plan = planRollup(series.key, parent, ordered, series.total, policy, now);
    if (plan.kind === "none") return `reviewed; no roll-up: ${plan.reason}`;
    return this.queueMail(plan, thread, parent.messageId, "reviewed; roll-up queued");
  }

  private queueCheck(message: JournalMessage, analysis: Extract<Analysis, { kind: "patch" }>): void {
    const check: CheckPayload = {
      msgid: message.messageId,
      ...checkForReview(analysis.review),
      ...(message.patchworkId !== null && { patchId: message.patchworkId }),
    };
    const targetUrl = this.opts.checkTargetUrl?.(message.messageId);
    if (targetUrl) check.targetUrl = targetUrl;
    this.opts.journal.addOutbox({
      key: `check:${CHECK_CONTEXT}:${message.messageId}`,
      kind: "check",
      answers: message.messageId,
      list: "patchwork",
      thread: analysis.thread,
      payload: JSON.stringify(check),
      meta: "{}",
      notBefore: this.now(),
    });
  }
}
