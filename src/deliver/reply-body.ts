// The text of a reply: a greeting, the attribution line, the review in kernel reply style (quoted hunk lines,
// the comment below them, 72 columns), and a signature that says a bot wrote it.

import type { PatchReview } from "../model.js";
import { renderText, wrap } from "../render/text.js";
import { formatDate } from "./mime.js";
import type { Recipients, ReplyContext } from "./recipients.js";

const REVIEW_WORK = "Arguments paraphrased from earlier threads.";
const DIGEST_WORK = "The digest is matched from the replies by fixed cue patterns.";

/**
 * The bot's signature, true of the reply it ends: it points at the people in Cc only when the reply has some.
 */
export function signature(whatItDoes: string, recipients?: Recipients): string {
  const bot = "iommu-review, an automated reviewer of IOMMU default changes.";
  const caveat =
    recipients && recipients.cc.length > 0
      ? "It can be wrong, and it does not read replies: please answer the people in Cc."
      : "It can be wrong, and it does not read replies.";
  return `-- \n${wrap(`${bot} ${whatItDoes} ${caveat}`, 72)}`;
}

/** The whole display name, never a guess at which part is the given name ("Lu Baolu", "Ada Example"). */
export function greeting(parent: ReplyContext): string {
  const name = (parent.from?.name ?? "").replace(/^["']|["']$/g, "").trim();
  return name && !/[,@<>]/.test(name) && !/\bvia\b/i.test(name) ? `Hi ${name},` : "Hello,";
}

/** "On Tue, 14 Apr 2026 09:15:00 +0000, Ada Example wrote:" */
export function attribution(parent: ReplyContext): string {
  const who = parent.from?.name.trim() || parent.from?.email || "you";
  const when = parent.date ? new Date(parent.date) : undefined;
  const on = when && !Number.isNaN(when.getTime()) ? `On ${formatDate(when)}, ` : "";
  return wrap(`${on}${who} wrote:`, 72);
}

/** The reply to one patch with findings (or, when the policy asks for it, without). */
export function replyBody(entry: PatchReview, parent: ReplyContext, recipients?: Recipients): string {
  const sign = signature(REVIEW_WORK, recipients);
  if (entry.findings.length === 0) {
    const clean = wrap(
      "iommu-review found no change to an architecture-conditional IOMMU default in this patch.",
      72,
    );
    return `${greeting(parent)}\n\n${clean}\n\n${sign}\n`;
  }
  const review = withoutHeaderBlock(renderText({ patches: [entry] }, { color: false, mail: true }));
  return `${greeting(parent)}\n\n${attribution(parent)}\n${review.trimEnd()}\n\n${sign}\n`;
}

/** A digest mail: the digest as src/thread/render-text.ts writes it, signed as the bot. */
export function digestBody(digestText: string, recipients?: Recipients): string {
  return `${digestText.trimEnd()}\n\n${signature(DIGEST_WORK, recipients)}\n`;
}

export interface RollupMember {
  seriesIndex: number;
  findings: number;
  reviewText: string;
}

/** One reply for a whole series: every patch's review under its own subject line. */
export function rollupBody(
  parent: ReplyContext,
  members: readonly RollupMember[],
  total: number,
  recipients?: Recipients,
): string {
  const triggering = members.filter((m) => m.findings > 0).length;
  const summary = wrap(
    `iommu-review looked at all ${total} patches of this series; ${triggering} of them ` +
      `${triggering === 1 ? "changes" : "change"} an IOMMU default or its configuration. ` +
      "The review of each patch follows.",
    72,
  );
  const reviews = members.map((m) => m.reviewText.trimEnd()).join("\n\n");
  return `${greeting(parent)}\n\n${summary}\n\n${reviews}\n\n${signature(REVIEW_WORK, recipients)}\n`;
}

/**
 * renderText opens a patch with a header block (subject, Author:, Message-Id:) that a reply already carries
 * in its own headers; the reply starts with the quoted lines instead.
 */
function withoutHeaderBlock(text: string): string {
  const [head = "", ...rest] = text.split("\n\n");
  const headerLines = head.split("\n").slice(1);
  const isHeader = !head.startsWith(">") && headerLines.every((l) => /^(Author|Message-Id): /.test(l));
  return isHeader && rest.length > 0 ? rest.join("\n\n") : text;
}
