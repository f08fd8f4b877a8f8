// The data of a discussion thread: its messages, the tree they form, and the statements read from each reply.
// Mail threads and pull-request conversations both become ThreadMessages, so everything after reading is shared.

import type { ArgumentCategory, Person } from "../model.js";

/** One message of a thread: a mail, or a comment or review on a pull request. */
export interface ThreadMessage {
  /** A Message-Id without angle brackets; forge comments use ids such as "github:issue-comment/12". */
  id: string;
  subject: string;
  from?: Person;
  /** ISO 8601. */
  date?: string;
  /** Without angle brackets. */
  inReplyTo?: string;
  /** Message-Ids without angle brackets, oldest first. */
  references: string[];
  /** Plain text, "\n" line ends, quotes and signatures still in. */
  body: string;
  /** Where a reader opens it (a lore.kernel.org link, a comment URL). */
  link?: string;
  /** Position in the input; breaks ties between messages without dates. */
  position: number;
  /** The message is a patch (the one under review or a later version), not a reply to one. */
  isPatch: boolean;
  /** Stands in for a root the input lacks (every message answers one that is not there); it has no text. */
  placeholder?: boolean;
}

/** How a message found its parent. */
export type ParentLink = "in-reply-to" | "references" | "subject" | "none";

export interface ThreadNode {
  message: ThreadMessage;
  parent?: ThreadNode;
  children: ThreadNode[];
  /** 0 for the root. */
  depth: number;
  link: ParentLink;
  /** The message answers one that is not in the input; it hangs from the root instead. */
  parentMissing: boolean;
}

export interface Thread {
  root: ThreadNode;
  /** Every node, the root first, then depth-first with children in date order. */
  nodes: ThreadNode[];
}

export type SegmentKind = "text" | "quote" | "attribution" | "signature" | "footer" | "patch";

/** A run of lines of one kind in a reply body. */
export interface Segment {
  kind: SegmentKind;
  /** The lines as written; quote lines keep their ">" markers. */
  lines: string[];
  /** Quote depth (number of ">"), for quote segments. */
  level?: number;
}

/** A paragraph of the author's own text. */
export interface Paragraph {
  /** The paragraph's lines joined by single spaces. */
  text: string;
  /** The quoted text right above it, markers removed, when the paragraph answers a quote. */
  answers?: string;
}

/** A reply body taken apart: what the author wrote, and what was quoted, attributed or appended. */
export interface ReplyText {
  segments: Segment[];
  paragraphs: Paragraph[];
}

/** Where in a sentence a cue matched: the key phrase is cut around it. */
export interface CueHit {
  index: number;
  length: number;
}

/** One sentence of a reply that belongs to a category, with who said it. */
export interface Statement {
  messageId: string;
  author?: Person;
  date?: string;
  link?: string;
  category: ArgumentCategory;
  /** Known arguments (rule argument ids) the sentence raises; empty for a statement no rule anticipated. */
  argumentIds: string[];
  sentence: string;
  /** A few words of the sentence around what matched, for quoting. */
  keyPhrase: string;
}

/** A sentence that proposes or discusses one of the rules' kinds of alternative. */
export interface AlternativeMention {
  alternativeId: string;
  messageId: string;
  author?: Person;
  date?: string;
  link?: string;
  keyPhrase: string;
}

export interface Question {
  messageId: string;
  author?: Person;
  date?: string;
  link?: string;
  text: string;
  /** People who quoted the question and wrote below it, or answered its message without quoting. */
  repliedBy: string[];
}
