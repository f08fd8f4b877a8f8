// One RFC 5322 message into its headers and a plain-text body that includes an attached patch.
// postal-mime does the MIME work (transfer encodings, charsets, multipart).

import PostalMime, { type Address, type Attachment, type Email } from "postal-mime";
import type { Person } from "../model.js";
import { unmungedAuthor } from "./dmarc.js";
import { errorMessage } from "./errors.js";
import { decodeFlowed, type FlowedParams, flowedParams } from "./flowed.js";
import { readFieldsOnly } from "./header-subset.js";
import { decodePlainBody, plainBodyLayout } from "./plain-body.js";

export interface MailHeaders {
  /** Decoded, whitespace runs (folding) collapsed to one space; "" when absent. */
  subject: string;
  from?: Person;
  /** ISO 8601; absent when the Date header is missing or unreadable. */
  date?: string;
  /** Without angle brackets. */
  messageId?: string;
  /** Without angle brackets. */
  inReplyTo?: string;
  /** Without angle brackets, oldest first. */
  references: string[];
  to: Person[];
  cc: Person[];
}

export interface ParsedMessage {
  headers: MailHeaders;
  /** The text/plain body followed by any attached patch, "\n" line ends. */
  body: string;
}

/** "Name: value" at the start of a message (RFC 5322 field name: printable ASCII except ":"). */
const HEADER_FIELD = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const PATCH_MIME_TYPES = new Set([
  "text/x-patch",
  "text/x-diff",
  "text/patch",
  "text/diff",
  "text/x-patch-file",
]);
const PATCH_FILE_NAME = /\.(patch|diff)$/i;
const KNOWN_HEADERS = new Set(["from", "subject", "date", "message-id"]);

/** Rejects with an Error saying what is wrong when `raw` is not a readable mail message. */
export async function parseMessage(raw: Buffer | string): Promise<ParsedMessage> {
  const message = withoutEnvelopeLine(typeof raw === "string" ? Buffer.from(raw, "utf8") : raw);
  checkLooksLikeMail(message);
  const plain = plainBodyLayout(message);
  const unflowed = plain ? undefined : withoutFlowedParam(message);
  let email: Email;
  try {
    email = await PostalMime.parse(
      plain ? readFieldsOnly(message.subarray(0, plain.headerEnd)) : (unflowed?.message ?? message),
    );
  } catch (error) {
    throw new Error(`cannot decode message: ${errorMessage(error)}`);
  }
  if (!email.headers.some((header) => KNOWN_HEADERS.has(header.key))) {
    throw new Error("not a mail message: no From, Subject, Date or Message-ID header");
  }
  const body = plain
    ? decodePlainBody(message.subarray(plain.bodyStart), plain)
    : readBody(email, unflowed?.flowed);
  return { headers: readHeaders(email), body };
}

/** An mbox "From " line left at the top of a single message is not a header. */
function withoutEnvelopeLine(raw: Buffer): Buffer {
  if (raw.length < 5 || raw.toString("latin1", 0, 5) !== "From ") return raw;
  const eol = raw.indexOf(0x0a);
  return eol < 0 ? raw.subarray(raw.length) : raw.subarray(eol + 1);
}

function checkLooksLikeMail(raw: Buffer): void {
  const head = raw.toString("latin1", 0, Math.min(raw.length, 1000));
  if (head.trim() === "") throw new Error("empty message");
  if (!HEADER_FIELD.test(head)) throw new Error("not a mail message: no header lines at the top");
}

function readHeaders(email: Email): MailHeaders {
  const headers: MailHeaders = {
    subject: (email.subject ?? "").replace(/\s+/g, " ").trim(),
    references: email.references ? messageIds(email.references) : [],
    to: people(email.to),
    cc: people(email.cc),
  };
  const from = email.from ? people([email.from])[0] : undefined;
  if (from) {
    const originalFrom = email.headers.find((h) => h.key === "x-original-from")?.value;
    headers.from = unmungedAuthor(from, { originalFrom, replyTo: people(email.replyTo)[0] });
  }
  if (email.date && /^\d{4}-\d\d-\d\dT/.test(email.date)) headers.date = email.date;
  const messageId = email.messageId ? messageIds(email.messageId)[0] : undefined;
  if (messageId) headers.messageId = messageId;
  const inReplyTo = email.inReplyTo ? messageIds(email.inReplyTo)[0] : undefined;
  if (inReplyTo) headers.inReplyTo = inReplyTo;
  return headers;
}

/** The ids in "<a@x> <b@y>", without brackets; a bare id when there are no brackets. */
export function messageIds(value: string): string[] {
  const ids: string[] = [];
  for (const match of value.matchAll(/<([^<>\s]+)>/g)) ids.push(match[1]!);
  if (ids.length > 0) return ids;
  return value.split(/\s+/).filter((word) => word.includes("@"));
}

function people(addresses: Address[] | undefined): Person[] {
  const result: Person[] = [];
  for (const address of addresses ?? []) {
    if (address.group) {
      for (const member of address.group) result.push({ name: member.name, email: member.address });
    } else if (address.address) {
      result.push({ name: address.name, email: address.address });
    }
  }
  return result;
}

/**
 * A MIME message whose Content-Type fields say format=flowed, with the parameter renamed so that postal-mime
 * leaves the text as sent and parse/flowed.ts unflows it (keeping quote depths apart); undefined when none does.
 * The first flowed part's delsp applies to the whole text.
 */
function withoutFlowedParam(message: Buffer): { message: Buffer; flowed: FlowedParams } | undefined {
  const text = message.toString("latin1");
  if (!/format\s*=\s*"?flowed/i.test(text)) return undefined;
  let flowed: FlowedParams | undefined;
  const rewritten = text.replace(/^content-type[ \t]*:[^\n]*(?:\n[ \t][^\n]*)*/gim, (field) => {
    const params = flowedParams(field.replace(/\r?\n[ \t]+/g, " "));
    if (!params) return field;
    flowed ??= params;
    return field.replace(/(format\s*=\s*"?)flowed/i, "$1fixed");
  });
  return flowed ? { message: Buffer.from(rewritten, "latin1"), flowed } : undefined;
}

function readBody(email: Email, flowed?: FlowedParams): string {
  let body = email.text ?? "";
  if (flowed) body = decodeFlowed(body.replace(/\r\n/g, "\n"), flowed);
  for (const attachment of email.attachments) {
    const patch = patchText(attachment);
    if (patch === undefined) continue;
    body = body === "" || body.endsWith("\n") ? body + patch : `${body}\n${patch}`;
  }
  return body.includes("\r\n") ? body.replace(/\r\n/g, "\n") : body;
}

/** The text of an attachment that carries a patch, or undefined. */
function patchText(attachment: Attachment): string | undefined {
  const content = attachment.content;
  const bytes =
    typeof content === "string"
      ? Buffer.from(content, attachment.encoding === "base64" ? "base64" : "utf8")
      : content instanceof ArrayBuffer
        ? Buffer.from(content)
        : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const named = attachment.filename !== null && PATCH_FILE_NAME.test(attachment.filename);
  if (PATCH_MIME_TYPES.has(attachment.mimeType) || named || bytes.includes("diff --git ")) {
    return bytes.toString("utf8");
  }
  return undefined;
}
