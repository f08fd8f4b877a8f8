// A mail message or a bare diff into an InputItem: a Patch, or the reason it is skipped or unreadable.

import { addressParser } from "postal-mime";
import type { InputItem, Patch, Person } from "../model.js";
import { locateDiff } from "./diff.js";
import { errorMessage } from "./errors.js";
import { type ParsedMessage, parseMessage } from "./mail.js";
import { parseSubject } from "./subject.js";

/** format-patch's separator between the commit message and the diffstat. */
const SEPARATOR_LINE = /^---[ \t]*$/m;
/** "From:", "Date:", "Subject:" lines that format-patch puts at the top of the body when sender != author. */
const IN_BODY_HEADERS = /^\s*((?:(?:From|Date|Subject):[^\n]*\n)+)\n/;
const PULL_REQUEST = /\[[^\]]*\bGIT\s+PULL\b[^\]]*\]/i;

/** A subject tagged [GIT PULL]: a pull request, not a patch. */
export const isPullRequestSubject = (subject: string): boolean => PULL_REQUEST.test(subject);

export async function messageToItem(
  raw: Buffer | string,
  source: string,
  position: number,
): Promise<InputItem> {
  let mail: ParsedMessage;
  try {
    mail = await parseMessage(raw);
  } catch (error) {
    return { kind: "error", source, position, error: errorMessage(error) };
  }
  try {
    return mailToItem(mail, source, position);
  } catch (error) {
    return { kind: "error", source, position, error: `cannot parse patch: ${errorMessage(error)}` };
  }
}

/** A unified diff without mail headers (a .diff file, `git diff` output). */
export function diffToItem(text: string, source: string, position: number): InputItem {
  const { files } = locateDiff(text);
  if (files.length === 0) return { kind: "skipped", source, position, reason: "no diff in input" };
  const patch: Patch = {
    source,
    position,
    subject: "",
    title: "",
    version: 1,
    rfc: false,
    references: [],
    to: [],
    cc: [],
    message: "",
    files,
  };
  return { kind: "patch", patch };
}

function mailToItem({ headers, body }: ParsedMessage, source: string, position: number): InputItem {
  const subject = parseSubject(headers.subject);
  const inBody = splitInBodyHeaders(body);
  const author = inBody.author ?? headers.from;
  const identity = {
    source,
    position,
    subject: headers.subject,
    ...(headers.messageId !== undefined && { messageId: headers.messageId }),
    ...(author !== undefined && { author }),
  };

  if (isPullRequestSubject(headers.subject)) return { ...identity, kind: "skipped", reason: "pull request" };
  if (subject.seriesIndex === 0 && !subject.isReply)
    return { ...identity, kind: "skipped", reason: "cover letter" };

  const { start, files } = locateDiff(inBody.rest);
  if (files.length === 0) {
    const reason = subject.isReply ? "reply without a diff" : "no diff in message";
    return { ...identity, kind: "skipped", reason };
  }

  const patch: Patch = {
    source,
    position,
    subject: headers.subject,
    title: subject.title,
    version: subject.version,
    rfc: subject.rfc,
    references: headers.references,
    to: headers.to,
    cc: headers.cc,
    message: commitMessage(inBody.rest, start),
    files,
  };
  if (subject.seriesIndex !== undefined) patch.seriesIndex = subject.seriesIndex;
  if (subject.seriesTotal !== undefined) patch.seriesTotal = subject.seriesTotal;
  if (author !== undefined) patch.author = author;
  if (headers.date !== undefined) patch.date = headers.date;
  if (headers.messageId !== undefined) patch.messageId = headers.messageId;
  if (headers.inReplyTo !== undefined) patch.inReplyTo = headers.inReplyTo;
  return { kind: "patch", patch };
}

/** The body above the "---" separator (or above the diff when there is none), trailers kept. */
function commitMessage(body: string, diffStart: number): string {
  const aboveDiff = body.slice(0, diffStart);
  const separator = SEPARATOR_LINE.exec(aboveDiff);
  const message = separator ? aboveDiff.slice(0, separator.index) : aboveDiff;
  return message.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
}

/** "From:", "Date:", "Subject:" lines at the top of a body (format-patch when sender ≠ author), and the rest. */
export function splitInBodyHeaders(body: string): { author?: Person; rest: string } {
  const match = IN_BODY_HEADERS.exec(body);
  if (!match) return { rest: body };
  const rest = body.slice(match[0].length);
  const fromLine = /^From:(.*)$/m.exec(match[1]!);
  const address = fromLine ? addressParser(fromLine[1]!.trim())[0] : undefined;
  if (!address?.address) return { rest };
  return { author: { name: address.name, email: address.address }, rest };
}
