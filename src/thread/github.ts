// The GitHub App's side of the thread digest: on every review, review comment and PR comment by a person,
// rebuild the discussion from the pull request's conversation and replace the "Discussion so far" section of
// the bot's summary (found by src/github's SUMMARY_MARKER) in place. Nothing is posted when the bot has no
// summary on the PR: the digest belongs to a review.

import type { ApplicationFunction, Context, Probot, ProbotOctokit } from "probot";
import { KeyedQueue } from "../github/dedupe.js";
import { isBot, isSummary } from "../github/markers.js";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { loadRules, type Rule } from "../rules/load.js";
import { buildCueBook, type CueBook } from "./cues.js";
import { buildDigest } from "./digest.js";
import { conversationMessages, type PullRequestText } from "./github-thread.js";
import { rulesNamedIn } from "./relevant-rules.js";
import { renderDigestMarkdown } from "./render-markdown.js";
import { withDiscussionSection } from "./section.js";
import { buildThread } from "./tree.js";

export const DISCUSSION_EVENTS = [
  "issue_comment.created",
  "issue_comment.edited",
  "issue_comment.deleted",
  "pull_request_review.submitted",
  "pull_request_review.edited",
  "pull_request_review.dismissed",
  "pull_request_review_comment.created",
  "pull_request_review_comment.edited",
  "pull_request_review_comment.deleted",
] as const;

export interface PullTarget extends PullRequestText {
  owner: string;
  repo: string;
}

export type DiscussionOutcome =
  | { kind: "skipped"; reason: string }
  | { kind: "updated" | "unchanged"; target: "review" | "issue-comment"; id: number };

/** Runs tasks of one key in order; share src/github's queue so the summary is never written twice at once. */
export interface TaskQueue {
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export interface DiscussionAppOptions {
  /** Defaults to the rules shipped in rules/. */
  rules?: readonly Rule[];
  queue?: TaskQueue;
  onOutcome?: (outcome: DiscussionOutcome, delivery: string) => void;
}

interface Deps {
  rules: readonly Rule[];
  book: CueBook;
}

type Summary = { target: "review" | "issue-comment"; id: number; body: string };

/**
 * Reads the PR's conversation, rebuilds the digest and writes it into the bot's summary. Exported so that the
 * pull-request handler can call it too (for example right after it rewrote the summary).
 */
export async function refreshDiscussion(
  octokit: ProbotOctokit,
  pull: PullTarget,
  deps: Deps,
): Promise<DiscussionOutcome> {
  const repo = { owner: pull.owner, repo: pull.repo };
  const [issueComments, reviews, reviewComments] = await Promise.all([
    octokit.paginate(octokit.rest.issues.listComments, { ...repo, issue_number: pull.number, per_page: 100 }),
    octokit.paginate(octokit.rest.pulls.listReviews, { ...repo, pull_number: pull.number, per_page: 100 }),
    octokit.paginate(octokit.rest.pulls.listReviewComments, {
      ...repo,
      pull_number: pull.number,
      per_page: 100,
    }),
  ]);
  const review = reviews.find((r) => isBot(r.user) && isSummary(r.body));
  const comment = issueComments.find((c) => isBot(c.user) && isSummary(c.body));
  const summary: Summary | undefined = review
    ? { target: "review", id: review.id, body: review.body ?? "" }
    : comment
      ? { target: "issue-comment", id: comment.id, body: comment.body ?? "" }
      : undefined;
  if (!summary) return { kind: "skipped", reason: "the bot has no summary on this pull request" };

  const messages = conversationMessages({ pull, issueComments, reviews, reviewComments });
  const relevant = rulesNamedIn(summary.body, deps.rules);
  const { digest } = buildDigest({
    thread: buildThread(messages),
    book: deps.book,
    rules: relevant.rules,
    rulesBasis: relevant.basis,
  });
  const body = withDiscussionSection(
    summary.body,
    renderDigestMarkdown(digest, { headingLevel: 3, foldPendingOver: 0 }),
  );
  if (body === summary.body) return { kind: "unchanged", target: summary.target, id: summary.id };
  if (summary.target === "review") {
    await octokit.rest.pulls.updateReview({ ...repo, pull_number: pull.number, review_id: summary.id, body });
  } else {
    await octokit.rest.issues.updateComment({ ...repo, comment_id: summary.id, body });
  }
  return { kind: "updated", target: summary.target, id: summary.id };
}

type DiscussionContext = Context<(typeof DISCUSSION_EVENTS)[number]>;

/** The pull request an event is about, or undefined (a comment on a plain issue). */
export function pullOfEvent(payload: DiscussionContext["payload"]): PullTarget | undefined {
  // A pull request's own events carry it; comments on its conversation carry it as an issue.
  const pull =
    "pull_request" in payload && payload.pull_request
      ? payload.pull_request
      : "issue" in payload && payload.issue.pull_request
        ? payload.issue
        : undefined;
  if (!pull) return undefined;
  return {
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    number: pull.number,
    title: pull.title,
    body: pull.body ?? null,
    user: pull.user,
    created_at: pull.created_at,
    html_url: pull.html_url,
  };
}

export function createDiscussionApp(options: DiscussionAppOptions = {}): ApplicationFunction {
  return (app: Probot) => {
    const rules = options.rules ?? loadRules(DEFAULT_RULES_DIR);
    const deps: Deps = { rules, book: buildCueBook(rules) };
    const queue = options.queue ?? new KeyedQueue();
    app.on([...DISCUSSION_EVENTS], async (context: DiscussionContext) => {
      const report = (outcome: DiscussionOutcome) => {
        options.onOutcome?.(outcome, context.id);
        return outcome;
      };
      // The bot's own edits of its summary come back as events; answering them would loop.
      if (context.isBot) return report({ kind: "skipped", reason: "event sent by a bot" });
      const pull = pullOfEvent(context.payload);
      if (!pull) return report({ kind: "skipped", reason: "comment on an issue, not a pull request" });
      const outcome = await queue.run(`${pull.owner}/${pull.repo}#${pull.number}`, () =>
        refreshDiscussion(context.octokit, pull, deps),
      );
      context.log.info({ pr: pull.number, outcome: outcome.kind }, "discussion digest");
      return report(outcome);
    });
  };
}

/** The Probot app function with the shipped rules. */
export const discussionApp: ApplicationFunction = createDiscussionApp();
