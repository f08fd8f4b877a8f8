// An mbox (or a single mail) into ThreadMessages. A message that cannot be read is reported by position and
// left out; the others still make a thread.

import { detectFormat, withoutLeadingBlank } from "../ingest/format.js";
import { splitMboxBuffer, unescapeMboxrd } from "../ingest/mbox.js";
import { errorMessage } from "../parse/errors.js";
import { parseMessage } from "../parse/mail.js";
import { parseSubject } from "../parse/subject.js";
import { loreUrl } from "../render/common.js";
import type { ThreadMessage } from "./model.js";

/** The input as a whole is unusable (empty, or neither an mbox nor a mail message). */
export class ThreadInputError extends Error {
  override name = "ThreadInputError";
}

export interface MessageError {
  /** 0-based position in the input. */
  position: number;
  error: string;
}

export interface MailThreadInput {
  messages: ThreadMessage[];
  /** The raw bytes of each message read, by ThreadMessage id (for reviewing the thread's patches). */
  raw: Map<string, Buffer>;
  errors: MessageError[];
}

const DIFF = /^(?:diff --git |--- a\/\S|Index: \S)/m;

/** A patch or a cover letter: a new subject tagged [PATCH ...] / [RFC ...], or any new subject carrying a diff. */
export function isPatchMessage(subject: string, body: string): boolean {
  const parsed = parseSubject(subject);
  if (parsed.isReply) return false;
  return DIFF.test(body) || parsed.prefixes.some((p) => /^(?:PATCH|RFC)/i.test(p));
}

export async function readMailMessage(raw: Buffer, position: number): Promise<ThreadMessage> {
  const { headers, body } = await parseMessage(raw);
  const id = headers.messageId ?? `message-${position + 1}.invalid`;
  return {
    id,
    subject: headers.subject,
    ...(headers.from && { from: headers.from }),
    ...(headers.date && { date: headers.date }),
    ...(headers.inReplyTo && { inReplyTo: headers.inReplyTo }),
    references: headers.references,
    body,
    ...(headers.messageId && { link: loreUrl(headers.messageId) }),
    position,
    isPatch: isPatchMessage(headers.subject, body),
  };
}

/** Throws ThreadInputError when the input is not an mbox or a mail message at all. */
export async function readThreadMail(input: Buffer): Promise<MailThreadInput> {
  const data = withoutLeadingBlank(input);
  const format = detectFormat(data);
  if (format === "empty") throw new ThreadInputError("empty input");
  if (format !== "mbox" && format !== "mail") {
    throw new ThreadInputError(
      "not an mbox or a mail message (expected a 'From ' line or mail headers at the top)",
    );
  }
  const parts = format === "mbox" ? splitMboxBuffer(data).map(unescapeMboxrd) : [data];
  const result: MailThreadInput = { messages: [], raw: new Map(), errors: [] };
  for (let position = 0; position < parts.length; position++) {
    try {
      const message = await readMailMessage(parts[position]!, position);
      result.messages.push(message);
      result.raw.set(message.id, parts[position]!);
    } catch (error) {
      result.errors.push({ position, error: errorMessage(error) });
    }
  }
  return result;
}
