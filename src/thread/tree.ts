// Messages into a reply tree. The parent is the In-Reply-To message, else the nearest References entry present
// in the input, else (for mailers that drop both headers) the message whose subject the "Re: ..." subject
// repeats. Messages whose parent is absent hang from the root, so every message of the input is in the tree.

import { parseSubject } from "../parse/subject.js";
import type { ParentLink, Thread, ThreadMessage, ThreadNode } from "./model.js";

const REPLY_MARKERS = /^(?:(?:re|aw|sv|fwd?|fw)(?:\[\d+\])?\s*:\s*)+/i;

/** The subject without "Re:"-style markers, whitespace collapsed, lower case: what replies repeat. */
export function baseSubject(subject: string): string {
  return subject.replace(/\s+/g, " ").trim().replace(REPLY_MARKERS, "").toLowerCase();
}

function time(message: ThreadMessage): number {
  const t = message.date ? Date.parse(message.date) : Number.NaN;
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Date order where both dates are known, input order otherwise. */
export function compareMessages(a: ThreadMessage, b: ThreadMessage): number {
  const ta = time(a);
  const tb = time(b);
  if (ta !== tb && Number.isFinite(ta) && Number.isFinite(tb)) return ta - tb;
  return a.position - b.position;
}

interface ParentChoice {
  parent?: ThreadMessage;
  link: ParentLink;
}

function findParent(
  message: ThreadMessage,
  byId: Map<string, ThreadMessage>,
  bySubject: Map<string, ThreadMessage[]>,
): ParentChoice {
  const inReplyTo = message.inReplyTo ? byId.get(message.inReplyTo) : undefined;
  if (inReplyTo && inReplyTo !== message) return { parent: inReplyTo, link: "in-reply-to" };
  for (let i = message.references.length - 1; i >= 0; i--) {
    const referenced = byId.get(message.references[i]!);
    if (referenced && referenced !== message) return { parent: referenced, link: "references" };
  }
  if (!parseSubject(message.subject).isReply) return { link: "none" };
  const candidates = (bySubject.get(baseSubject(message.subject)) ?? []).filter(
    (m) => m !== message && compareMessages(m, message) < 0,
  );
  const original = candidates.find((m) => !parseSubject(m.subject).isReply) ?? candidates[0];
  return original ? { parent: original, link: "subject" } : { link: "none" };
}

function wouldLoop(
  child: ThreadMessage,
  parent: ThreadMessage,
  parents: Map<ThreadMessage, ThreadMessage>,
): boolean {
  for (let at: ThreadMessage | undefined = parent; at; at = parents.get(at)) if (at === child) return true;
  return false;
}

function answersMissingMessage(message: ThreadMessage): boolean {
  return !!message.inReplyTo || message.references.length > 0 || parseSubject(message.subject).isReply;
}

/** The message every reply of the input answers but the input lacks: named after the first reply's thread. */
function placeholderRoot(first: ThreadMessage): ThreadMessage {
  return {
    id: first.references[0] ?? first.inReplyTo ?? `missing-root-of-${first.id}`,
    subject: first.subject.replace(/\s+/g, " ").trim().replace(REPLY_MARKERS, ""),
    references: [],
    body: "",
    position: -1,
    isPatch: true,
    placeholder: true,
  };
}

/** Builds the tree of one thread. Duplicate Message-Ids keep their first message. Throws on an empty input. */
export function buildThread(input: readonly ThreadMessage[]): Thread {
  const byId = new Map<string, ThreadMessage>();
  for (const m of input) if (!byId.has(m.id)) byId.set(m.id, m);
  const messages = [...byId.values()].sort(compareMessages);
  if (messages.length === 0) throw new Error("no messages");

  const bySubject = new Map<string, ThreadMessage[]>();
  for (const m of messages) {
    const key = baseSubject(m.subject);
    bySubject.set(key, [...(bySubject.get(key) ?? []), m]);
  }

  const parents = new Map<ThreadMessage, ThreadMessage>();
  const links = new Map<ThreadMessage, ParentLink>();
  for (const m of messages) {
    const choice = findParent(m, byId, bySubject);
    if (choice.parent && !wouldLoop(m, choice.parent, parents)) {
      parents.set(m, choice.parent);
      links.set(m, choice.link);
    } else links.set(m, "none");
  }

  const parentless = messages.filter((m) => !parents.has(m));
  const rootMessage =
    parentless.find((m) => !parseSubject(m.subject).isReply) ?? placeholderRoot(parentless[0]!);
  if (rootMessage.placeholder) messages.unshift(rootMessage);
  const nodes = new Map<ThreadMessage, ThreadNode>(
    messages.map((m) => [
      m,
      { message: m, children: [], depth: 0, link: links.get(m)!, parentMissing: false },
    ]),
  );
  const root = nodes.get(rootMessage)!;
  for (const m of messages) {
    const node = nodes.get(m)!;
    if (node === root) continue;
    const parent = parents.has(m) ? nodes.get(parents.get(m)!)! : root;
    if (!parents.has(m)) node.parentMissing = answersMissingMessage(m);
    node.parent = parent;
    parent.children.push(node);
  }

  const ordered: ThreadNode[] = [];
  const visit = (node: ThreadNode, depth: number) => {
    node.depth = depth;
    ordered.push(node);
    node.children.sort((a, b) => compareMessages(a.message, b.message));
    for (const child of node.children) visit(child, depth + 1);
  };
  visit(root, 0);
  return { root, nodes: ordered };
}

/** The replies: every node but the root that is not a patch of its own. */
export function replyNodes(thread: Thread): ThreadNode[] {
  return thread.nodes.filter((n) => n !== thread.root && !n.message.isPatch);
}

/** Whether `node` descends from `ancestor`. */
export function descendsFrom(node: ThreadNode, ancestor: ThreadNode): boolean {
  for (let at = node.parent; at; at = at.parent) if (at === ancestor) return true;
  return false;
}
