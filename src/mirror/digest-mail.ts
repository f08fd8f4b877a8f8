// Digest mails for the review worker: which list's settings apply to a tracked thread, what may hold a mail back,
// and the mail itself. It answers the thread's root when the journal has it (a patch, a cover letter), else the
// first patch reviewed in the thread, with that message's list settings, recipients and mutes.

import type { ListPolicy, MailPolicy } from "../deliver/policy.js";
import type { ReplyContext } from "../deliver/recipients.js";
import {
  hourlyLimitReason,
  listPolicyFor,
  mailRecipients,
  planDigestMail,
  type ReplyPlan,
} from "../deliver/reply-plan.js";
import type { DigestMail, DigestMailPolicy } from "../thread/mail-front.js";
import type { Journal } from "./journal.js";

interface DigestTarget {
  parent: ReplyContext;
  list: ListPolicy;
}

export class DigestMails {
  constructor(
    private readonly journal: Journal,
    private readonly policy: MailPolicy,
  ) {}

  /** The settings of the list the answered message went to (the defaults' when there is none to answer). */
  settings(root: string): DigestMailPolicy {
    return (this.target(root)?.list ?? this.policy.defaults).digest;
  }

  /** Digest mails are limited by their own interval instead of the per-thread limit, but count per hour. */
  holdBack(root: string): string | undefined {
    const target = this.target(root);
    if (!target) return "no message of the thread in the journal to answer";
    const recipients = mailRecipients(target.parent, target.list, this.policy);
    if (recipients.kind === "muted") return `muted: ${recipients.reason}`;
    return hourlyLimitReason(target.list, this.journal.mailsInLastHour(target.list.key));
  }

  plan(root: string, mail: DigestMail, now: Date): ReplyPlan | undefined {
    const target = this.target(root);
    return target && planDigestMail(mail.key, mail.body, target.parent, this.policy, now);
  }

  private target(root: string): DigestTarget | undefined {
    const context = this.journal.threadReplyContext(root);
    if (context === undefined) return undefined;
    const parent = JSON.parse(context) as ReplyContext;
    return { parent, list: listPolicyFor(this.policy, parent) };
  }
}
