// The reply itself: an RFC 5322 message that threads under its parent the way b4 builds replies.

import { createHash } from "node:crypto";
import type { Person } from "../model.js";
import { encodeBody, encodeHeaderText, formatAddress, formatDate, headerLine } from "./mime.js";
import type { Recipients, ReplyContext } from "./recipients.js";

export const USER_AGENT = "iommu-review";

export interface ReplyInput {
  parent: ReplyContext;
  recipients: Recipients;
  from: Person;
  body: string;
  date: Date;
  /** Without angle brackets; see replyMessageId. */
  messageId: string;
}

export interface ComposedMail {
  /** Without angle brackets. */
  messageId: string;
  /** The whole message, "\n" line ends (a transport converts for SMTP). */
  raw: string;
  envelope: { from: string; to: string[] };
}

/** Derived from what the reply answers, so a reply composed twice carries the same Message-Id. */
export function replyMessageId(key: string, from: Person): string {
  const domain = from.email.split("@")[1] || "localhost";
  return `iommu-review.${createHash("sha256").update(key).digest("hex").slice(0, 24)}@${domain}`;
}

export function replySubject(subject: string): string {
  const trimmed = subject.trim();
  return /^re:/i.test(trimmed) ? trimmed : `Re: ${trimmed}`;
}

/** The parent's References followed by the parent's own Message-Id: the full chain. */
export function replyReferences(parent: ReplyContext): string[] {
  const chain = parent.references.filter((id) => id !== parent.messageId);
  return [...new Set(chain), parent.messageId];
}

export function composeReply(input: ReplyInput): ComposedMail {
  const { parent, recipients, from } = input;
  const body = encodeBody(input.body);
  const headers = [
    headerLine("From", formatAddress(from)),
    headerLine("To", recipients.to.map(formatAddress).join(", ")),
    ...(recipients.cc.length > 0 ? [headerLine("Cc", recipients.cc.map(formatAddress).join(", "))] : []),
    headerLine("Subject", encodeHeaderText(replySubject(parent.subject))),
    `Date: ${formatDate(input.date)}`,
    `Message-ID: <${input.messageId}>`,
    `In-Reply-To: <${parent.messageId}>`,
    headerLine(
      "References",
      replyReferences(parent)
        .map((id) => `<${id}>`)
        .join(" "),
    ),
    "Auto-Submitted: auto-generated",
    "X-Auto-Response-Suppress: All",
    `X-Mailer: ${USER_AGENT}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    `Content-Transfer-Encoding: ${body.transferEncoding}`,
  ];
  return {
    messageId: input.messageId,
    raw: `${headers.join("\n")}\n\n${body.text}`,
    envelope: {
      from: from.email,
      to: [...recipients.to, ...recipients.cc].map((p) => p.email),
    },
  };
}
