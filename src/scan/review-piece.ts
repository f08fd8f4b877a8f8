// One piece of input into its review entry: limits first, then the prefilter, and the full MIME and diff parse
// only for what the prefilter cannot settle. Nothing a message contains makes this throw: a failure becomes
// an error entry for that message.

import { readHeaderFields } from "../ingest/header-fields.js";
import { unescapeMboxrd } from "../ingest/mbox.js";
import {
  headerIdentity,
  type Identity,
  prefilterRead,
  readMessageHead,
  type Verdict,
} from "../ingest/prefilter.js";
import type { InputPiece } from "../ingest/stream.js";
import type { Watch } from "../ingest/watch.js";
import type { DefconfigSource } from "../kconfig/defconfigs.js";
import type { SymbolResolver } from "../kconfig/effective.js";
import type { KconfigFacts } from "../kconfig/facts.js";
import type { FileSource, InputItem, PatchReview } from "../model.js";
import { errorMessage } from "../parse/errors.js";
import { diffToItem, messageToItem } from "../parse/patch.js";
import { toJsonContract } from "../render/json.js";
import { review } from "../review/review.js";
import type { Rule } from "../rules/load.js";
import { damage } from "./integrity.js";
import { type Limits, limitBreached } from "./limits.js";

export interface ReviewContext {
  rules: readonly Rule[];
  watch: Watch;
  limits: Limits;
  files?: FileSource;
  resolver?: SymbolResolver;
  facts?: KconfigFacts | null;
  defconfigs?: DefconfigSource;
  /** Also run the full path on what the prefilter settles, and say whether both agree (slow; for tests). */
  verifyPrefilter?: boolean;
}

export interface PieceReview {
  review: PatchReview;
  /** "prefilter" when the prefilter settled the entry, "full" when the message was parsed. */
  route: "prefilter" | "full";
  /** With verifyPrefilter: the full path's entry, when it differs from the prefilter's. */
  disagreement?: PatchReview;
}

/**
 * What a piece comes to without the MIME parser: its entry, or "parse" when only the full path can tell. Both
 * carry the message with its mboxrd escapes undone. Synchronous, so that a thread can settle piece after piece
 * while another parses the few that need it.
 */
export type Triage = { kind: "settled"; review: PieceReview; raw?: Buffer } | { kind: "parse"; raw: Buffer };

export function triagePiece(piece: InputPiece, ctx: ReviewContext): Triage {
  const { source, position } = piece;
  if (piece.kind === "error")
    return settled(full(entryOf({ kind: "error", source, position, error: piece.error }, ctx)));
  try {
    const raw = piece.kind === "mail" && piece.mboxrd ? unescapeMboxrd(piece.bytes) : piece.bytes;
    const breach = limitBreached(piece, raw, ctx.limits);
    if (breach) return settled(full(errorEntry(piece, raw, breach)));
    if (piece.kind === "diff")
      return settled(full(entryOf(diffToItem(raw.toString("utf8"), source, position), ctx)));
    const head = readMessageHead(raw);
    const damaged = head && damage(head.message, head.fields);
    if (damaged) return settled(full(errorEntry(piece, raw, damaged)));
    const verdict: Verdict = head ? prefilterRead(head, ctx.watch) : { kind: "full" };
    if (verdict.kind === "full") return { kind: "parse", raw };
    return settled({ review: settledEntry(verdict, source, position), route: "prefilter" }, raw);
  } catch (error) {
    return settled(full(errorEntry(piece, undefined, `internal error: ${errorMessage(error)}`)));
  }
}

export async function reviewPiece(piece: InputPiece, ctx: ReviewContext): Promise<PieceReview> {
  const triage = triagePiece(piece, ctx);
  if (triage.kind === "parse") return parsePiece(triage.raw, piece, ctx);
  if (!ctx.verifyPrefilter || triage.review.route !== "prefilter" || !triage.raw) return triage.review;
  const check = await fullReview(triage.raw, piece, ctx);
  return sameEntry(triage.review.review, check) ? triage.review : { ...triage.review, disagreement: check };
}

/** The full path for a message triagePiece left to it (`raw`: its bytes, escapes undone). Never rejects. */
export async function parsePiece(raw: Buffer, piece: InputPiece, ctx: ReviewContext): Promise<PieceReview> {
  try {
    return full(await fullReview(raw, piece, ctx));
  } catch (error) {
    return full(errorEntry(piece, undefined, `internal error: ${errorMessage(error)}`));
  }
}

function settled(review: PieceReview, raw?: Buffer): Triage {
  return raw ? { kind: "settled", review, raw } : { kind: "settled", review };
}

function full(review: PatchReview): PieceReview {
  return { review, route: "full" };
}

async function fullReview(raw: Buffer, piece: InputPiece, ctx: ReviewContext): Promise<PatchReview> {
  return entryOf(await messageToItem(raw, piece.source, piece.position), ctx);
}

/** The review entry of an item, as review/review.ts makes it; a review that throws is an error entry. */
function entryOf(item: InputItem, ctx: ReviewContext): PatchReview {
  try {
    return review([item], ctx).patches[0]!;
  } catch (error) {
    const patch = item.kind === "patch" ? item.patch : undefined;
    return {
      source: patch?.source ?? "",
      position: patch?.position ?? 0,
      subject: patch?.subject,
      messageId: patch?.messageId,
      author: patch?.author,
      findings: [],
      claims: [],
      error: `review failed: ${errorMessage(error)}`,
    };
  }
}

/** As review/review.ts makes entries: a skipped one, or a patch reviewed without findings. */
function settledEntry(
  verdict: Exclude<Verdict, { kind: "full" }>,
  source: string,
  position: number,
): PatchReview {
  const entry: PatchReview = {
    source,
    position,
    ...identityFields(verdict.identity),
    findings: [],
    claims: [],
  };
  if (verdict.kind === "skipped") entry.skipped = verdict.reason;
  return entry;
}

/** An error entry, named by the message's header fields when they can be read. */
function errorEntry(piece: InputPiece, raw: Buffer | undefined, error: string): PatchReview {
  const fields = raw && piece.kind === "mail" ? readHeaderFields(raw) : undefined;
  const identity = fields ? identityFields(headerIdentity(fields)) : {};
  return { source: piece.source, position: piece.position, ...identity, findings: [], claims: [], error };
}

function identityFields(identity: Identity): Pick<PatchReview, "subject" | "messageId" | "author"> {
  return { subject: identity.subject, messageId: identity.messageId, author: identity.author };
}

/** The two entries read the same in the JSON contract, which carries everything any renderer shows. */
function sameEntry(a: PatchReview, b: PatchReview): boolean {
  return (
    JSON.stringify(toJsonContract({ patches: [a] })) === JSON.stringify(toJsonContract({ patches: [b] }))
  );
}
