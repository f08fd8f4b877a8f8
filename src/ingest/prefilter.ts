// Decides from a message's raw bytes, without the MIME parser or parse-diff, what most list mail comes to:
// a reply, cover letter or pull request without a diff (skipped), or a patch whose diff touches nothing the
// rules watch (reviewed, no findings). The entry it settles on is exactly the one the full path
// (parse/patch.ts messageToItem, then review) would give: same subject, Message-Id, author and reason.
// Whatever it cannot vouch for goes to the full path.
//
// The steps mirror parse/patch.ts mailToItem: in-body From/Date/Subject lines, pull request and cover
// letter by subject, then the diff. Tests hold the two paths to the same answers (test/scan, test/fuzz).

import { addressParser } from "postal-mime";
import type { InputItem, Person } from "../model.js";
import { unmungedAuthor } from "../parse/dmarc.js";
import { messageIds } from "../parse/mail.js";
import { isPullRequestSubject, splitInBodyHeaders } from "../parse/patch.js";
import { type ParsedSubject, parseSubject } from "../parse/subject.js";
import { bodyView, plainBodyLacksDiff } from "./body-view.js";
import { findDiffFiles } from "./diff-files.js";
import { type HeaderFields, readHeaderFields } from "./header-fields.js";
import type { MimePart } from "./lazy-mime.js";
import { mayTouchWatched, touchesWatched, type Watch } from "./watch.js";

export interface Identity {
  subject: string;
  messageId?: string;
  author?: Person;
}

export type Verdict =
  /** Not reviewed, for `reason`; the full path would say the same. */
  | { kind: "skipped"; identity: Identity; reason: string }
  /** A patch none of whose files any rule watches: reviewed, nothing found. */
  | { kind: "unwatched"; identity: Identity }
  /** Needs the full MIME and diff parse. */
  | { kind: "full" };

const FULL: Verdict = { kind: "full" };
/**
 * A git diff needs a line starting "diff --git ", any other diff a line starting "+++ ". In a part's bytes,
 * before charset and format=flowed decoding, such a line starts a line, perhaps after one stuffed space:
 * flowed decoding only joins a line ending in a space to the next, so a word at a line start stays whole.
 */
const DIFF_LINE_IN_DECODED_PART = /^ ?(?:diff|\+\+\+)/m;
/** After ASCII white space, what may begin in-body header lines once decoded: a field name, or not ASCII. */
const IN_BODY_START = /^(?:From:|Date:|Subject:|[^\x00-\x7f])/;

/**
 * `watch` is what the rules look at; without it (a caller that has no rules) a message with a diff always
 * takes the full path.
 */
export function prefilter(raw: Buffer, watch?: Watch): Verdict {
  const head = readMessageHead(raw);
  return head ? prefilterRead(head, watch) : FULL;
}

/** A message and its header fields, read once for the prefilter and any other check of the caller. */
export interface MessageHead {
  /** The message without an mbox envelope line. */
  message: Buffer;
  fields: HeaderFields;
}

/** The header block of `raw` as the prefilter reads it, or undefined when only the full path can read it. */
export function readMessageHead(raw: Buffer): MessageHead | undefined {
  const message = withoutEnvelopeLine(raw);
  const fields = readHeaderFields(message);
  return fields?.hasKnownField ? { message, fields } : undefined;
}

export function prefilterRead({ message, fields }: MessageHead, watch?: Watch): Verdict {
  // Most list mail is a reply without a diff: its bytes show that without decoding the body.
  if (!mayStartWithInBodyHeaders(message, fields.bodyStart) && plainBodyLacksDiff(message, fields)) {
    const identity = identityOf(fields, undefined);
    const subject = parseSubject(fields.subject);
    return subjectVerdict(fields.subject, subject, identity) ?? noDiff(subject, identity);
  }
  const view = bodyView(message, fields);
  if (!view) return FULL;
  return view.kind === "decoded"
    ? decodedVerdict(fields, view.text, watch)
    : partsVerdict(fields, view.parts);
}

function decodedVerdict(fields: HeaderFields, body: string, watch?: Watch): Verdict {
  const inBody = splitInBodyHeaders(body);
  const identity = identityOf(fields, inBody.author);
  const subject = parseSubject(fields.subject);
  const bySubject = subjectVerdict(fields.subject, subject, identity);
  if (bySubject) return bySubject;
  // When nothing watched can be in the body, whether it has a diff is all that is left to find out.
  const watched = watch !== undefined && mayTouchWatched(inBody.rest, watch);
  const diff = findDiffFiles(inBody.rest, watch !== undefined && !watched);
  if (diff.kind === "none") return noDiff(subject, identity);
  if (diff.kind === "unsure" || !watch || (watched && touchesWatched(inBody.rest, diff.files, watch)))
    return FULL;
  return { kind: "unwatched", identity };
}

/** Only settles messages without a diff: the parts show that, not which files a diff touches. */
function partsVerdict(fields: HeaderFields, parts: readonly MimePart[]): Verdict {
  // The author could come from in-body lines at the start of the text, which only the decoded text shows.
  const texts = parts.filter((p) => p.text);
  if (texts.some((p) => mayStartWithInBodyHeaders(p.bytes, 0))) return FULL;
  // With no text but blank lines, an attached patch would start the body.
  if (parts.length > texts.length && texts.every((p) => isBlank(p.bytes))) return FULL;
  const identity = identityOf(fields, undefined);
  const subject = parseSubject(fields.subject);
  const bySubject = subjectVerdict(fields.subject, subject, identity);
  if (bySubject) return bySubject;
  if (parts.some((p) => DIFF_LINE_IN_DECODED_PART.test(p.bytes.toString("latin1")))) return FULL;
  return noDiff(subject, identity);
}

function isBlank(bytes: Buffer): boolean {
  for (const byte of bytes) if (!isAsciiSpace(byte)) return false;
  return true;
}

function mayStartWithInBodyHeaders(bytes: Buffer, start: number): boolean {
  let at = start;
  while (at < bytes.length && isAsciiSpace(bytes[at]!)) at++;
  return IN_BODY_START.test(bytes.toString("latin1", at, at + 8));
}

/** The ASCII characters of JavaScript's \s. */
function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

function subjectVerdict(raw: string, subject: ParsedSubject, identity: Identity): Verdict | undefined {
  if (isPullRequestSubject(raw)) return { kind: "skipped", identity, reason: "pull request" };
  if (subject.seriesIndex === 0 && !subject.isReply)
    return { kind: "skipped", identity, reason: "cover letter" };
  return undefined;
}

function noDiff(subject: ParsedSubject, identity: Identity): Verdict {
  return {
    kind: "skipped",
    identity,
    reason: subject.isReply ? "reply without a diff" : "no diff in message",
  };
}

/** Subject, Message-Id and author as the header block gives them (no in-body From line considered). */
export function headerIdentity(fields: HeaderFields): Identity {
  return identityOf(fields, undefined);
}

function identityOf(fields: HeaderFields, inBodyAuthor: Person | undefined): Identity {
  const identity: Identity = { subject: fields.subject };
  const messageId = fields.messageId !== undefined ? messageIds(fields.messageId)[0] : undefined;
  if (messageId) identity.messageId = messageId;
  const author = inBodyAuthor ?? headerAuthor(fields);
  if (author) identity.author = author;
  return identity;
}

/** As parse/mail.ts: From, or the author behind a DMARC-rewritten From (parse/dmarc.ts). */
function headerAuthor(fields: HeaderFields): Person | undefined {
  const from = firstPerson(fields.from);
  if (!from) return undefined;
  return unmungedAuthor(from, {
    originalFrom: fields.originalFrom,
    replyTo: firstPerson(fields.replyTo),
  });
}

/**
 * The commonest From value, `Some Name <user@host>` or `<user@host>` with plain words for the name: what
 * addressParser makes of it is plain to see (test/fuzz/address.test.ts holds the two to the same answers).
 */
const PLAIN_FROM = /^(?:([A-Za-z0-9.'-]+(?: [A-Za-z0-9.'-]+)*) )?<([^<>"()\s,;:@\\]+@[^<>"()\s,;:@\\]+)>$/;

/** As parse/mail.ts reads From: the first address, or the first member of a group. */
export function firstPerson(value: string | undefined): Person | undefined {
  if (!value) return undefined;
  const plain = PLAIN_FROM.exec(value);
  if (plain) return { name: plain[1] ?? "", email: plain[2]! };
  const first = addressParser(value)[0];
  if (!first) return undefined;
  if (first.group) {
    const member = first.group[0];
    return member ? { name: member.name, email: member.address } : undefined;
  }
  return first.address ? { name: first.name, email: first.address } : undefined;
}

/** As parse/mail.ts: an mbox "From " line left at the top of a single message is not a header. */
function withoutEnvelopeLine(raw: Buffer): Buffer {
  if (raw.length < 5 || raw.toString("latin1", 0, 5) !== "From ") return raw;
  const eol = raw.indexOf(0x0a);
  return eol < 0 ? raw.subarray(raw.length) : raw.subarray(eol + 1);
}

/** The InputItem the full path would give a message the prefilter skipped. */
export function skippedItem(
  verdict: Extract<Verdict, { kind: "skipped" }>,
  source: string,
  position: number,
): InputItem {
  return { kind: "skipped", source, position, ...verdict.identity, reason: verdict.reason };
}
