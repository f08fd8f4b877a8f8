import type { Finding } from "../model.js";
import { carryDiscussionSection } from "../thread/section.js";
import type { NewInlineComment, PullRequestApi, ReviewComment, ReviewRecord } from "./api.js";
import { statusOf } from "./errors.js";
import { type DiffLines, type FoldedFinding, placeFindings, sideOf } from "./inline.js";
import { fingerprintIn, fingerprintMarker, isBot, isResolved, isSummary } from "./markers.js";
import { allSettled } from "./settle.js";
import { followUpBody, inlineCommentBody, resolvedBody, type SummaryParts, summaryBody } from "./summary.js";

// Posting with edit-in-place: the bot's summary is found by its marker and edited, its inline comments are matched
// to findings by fingerprint, and only what changed is written. Running twice on the same result writes nothing.

export interface PostStats {
  summary: "created" | "updated" | "unchanged" | "none";
  commentsCreated: number;
  commentsUpdated: number;
  commentsDeleted: number;
  commentsResolved: number;
}

const NO_CHANGES: PostStats = {
  summary: "none",
  commentsCreated: 0,
  commentsUpdated: 0,
  commentsDeleted: 0,
  commentsResolved: 0,
};

export interface PostInput {
  api: PullRequestApi;
  headSha: string;
  findings: readonly Finding[];
  lines: DiffLines;
  maxInline: number;
  /** The summary's content apart from the inline/folded split, which is decided here. */
  summary: Omit<SummaryParts, "folded">;
}

interface OwnComment {
  comment: ReviewComment;
  fingerprint: string;
  /** Someone other than a bot answered it. */
  replied: boolean;
}

export interface ReviewState {
  summary?: { id: number; body: string };
  comments: OwnComment[];
}

/** The bot's summary review and its top-level inline comments (replies to them decide whether they may go). */
export async function loadReviewState(api: PullRequestApi): Promise<ReviewState> {
  const [reviews, comments] = await allSettled<[ReviewRecord[], ReviewComment[]]>([
    api.listReviews(),
    api.listReviewComments(),
  ]);
  const summary = reviews.find((r) => isBot(r.user) && isSummary(r.body));
  const repliedTo = new Set(
    comments.filter((c) => c.in_reply_to_id && !isBot(c.user)).map((c) => c.in_reply_to_id),
  );
  const own = comments.flatMap((comment) => {
    const fingerprint =
      isBot(comment.user) && !comment.in_reply_to_id ? fingerprintIn(comment.body) : undefined;
    return fingerprint ? [{ comment, fingerprint, replied: repliedTo.has(comment.id) }] : [];
  });
  return { ...(summary ? { summary: { id: summary.id, body: summary.body ?? "" } } : {}), comments: own };
}

/** Brings inline comments in line with the findings: edit changed ones, delete or resolve stale ones. */
async function reconcileComments(
  input: PostInput,
  state: ReviewState,
  stats: PostStats,
): Promise<Set<string>> {
  const current = new Map(input.findings.map((f) => [f.fingerprint, f]));
  const kept = new Set<string>();
  for (const own of state.comments) {
    const finding = current.get(own.fingerprint);
    if (finding && !kept.has(own.fingerprint)) {
      kept.add(own.fingerprint);
      const body = inlineCommentBody(finding);
      if (own.comment.body !== body) {
        await input.api.updateReviewComment(own.comment.id, body);
        stats.commentsUpdated++;
      }
    } else if (own.replied) {
      if (!isResolved(own.comment.body)) {
        const marker = fingerprintMarker(own.fingerprint);
        await input.api.updateReviewComment(
          own.comment.id,
          resolvedBody(own.comment.body, marker, input.headSha),
        );
        stats.commentsResolved++;
      }
    } else {
      // A finding that is gone, or a duplicate of one already kept.
      await input.api.deleteReviewComment(own.comment.id);
      stats.commentsDeleted++;
    }
  }
  return kept;
}

function toComment(finding: Finding): NewInlineComment {
  return { path: finding.path, line: finding.line, side: sideOf(finding), body: inlineCommentBody(finding) };
}

async function publishReview(
  input: PostInput,
  state: ReviewState,
  post: Finding[],
  folded: FoldedFinding[],
  stats: PostStats,
): Promise<void> {
  const body = summaryBody({ ...input.summary, folded });
  const comments = post.map(toComment);
  if (!state.summary) {
    if (input.findings.length === 0) return;
    await input.api.createReview(input.headSha, body, comments);
    stats.summary = "created";
    stats.commentsCreated += comments.length;
    return;
  }
  if (comments.length > 0) {
    await input.api.createReview(input.headSha, followUpBody(comments.length, input.headSha), comments);
    stats.commentsCreated += comments.length;
  }
  const carried = carryDiscussionSection(state.summary.body, body);
  if (state.summary.body !== carried) {
    await input.api.updateReview(state.summary.id, carried);
    stats.summary = "updated";
  } else stats.summary = "unchanged";
}

/** Review mode: one summary review edited in place, inline comments on changed lines, capped per run. */
export async function postReview(input: PostInput, state: ReviewState): Promise<PostStats> {
  const stats = { ...NO_CHANGES };
  const kept = await reconcileComments(input, state, stats);
  const { post, folded } = placeFindings(input.findings, input.lines, kept, input.maxInline);
  try {
    await publishReview(input, state, post, folded, stats);
  } catch (err) {
    // 422: GitHub would not anchor a comment (e.g. the diff changed under us). Say it in the summary instead.
    if (statusOf(err) !== 422 || post.length === 0) throw err;
    const refused = post.map((finding) => ({
      finding,
      reason: "GitHub did not accept an inline comment there",
    }));
    await publishReview(input, state, [], [...folded, ...refused], stats);
  }
  return stats;
}

/** Comment mode: the summary as one issue comment, edited in place; no inline comments. */
export async function postSummaryComment(input: PostInput): Promise<PostStats> {
  const stats = { ...NO_CHANGES };
  const comments = await input.api.listIssueComments();
  const existing = comments.find((c) => isBot(c.user) && isSummary(c.body));
  const body = summaryBody(input.summary);
  if (!existing) {
    if (input.findings.length === 0) return stats;
    await input.api.createIssueComment(body);
    stats.summary = "created";
  } else if (existing.body !== carryDiscussionSection(existing.body ?? undefined, body)) {
    await input.api.updateIssueComment(existing.id, carryDiscussionSection(existing.body ?? undefined, body));
    stats.summary = "updated";
  } else stats.summary = "unchanged";
  return stats;
}
