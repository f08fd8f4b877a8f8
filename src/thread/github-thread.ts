// A pull request's conversation as ThreadMessages: the PR description is the root, issue comments and review
// bodies answer it, review comments answer the comment they reply to. Comments by bots are left out (the bot's
// own summary is not part of the discussion). Quoting with "> " works as in mail.

import type { Person } from "../model.js";
import type { ThreadMessage } from "./model.js";

export interface GitHubUser {
  login: string;
  type?: string | null;
}

export interface PullRequestText {
  number: number;
  title: string;
  body: string | null;
  user: GitHubUser | null;
  created_at: string;
  html_url: string;
}

export interface IssueCommentText {
  id: number;
  body?: string | null;
  user: GitHubUser | null;
  created_at: string;
  html_url: string;
}

export interface ReviewText {
  id: number;
  body: string | null;
  user: GitHubUser | null;
  submitted_at?: string | null;
  html_url: string;
}

export interface ReviewCommentText {
  id: number;
  body: string;
  user: GitHubUser | null;
  created_at: string;
  html_url: string;
  in_reply_to_id?: number;
}

export interface PullRequestConversation {
  pull: PullRequestText;
  issueComments: readonly IssueCommentText[];
  reviews: readonly ReviewText[];
  reviewComments: readonly ReviewCommentText[];
}

const isBotUser = (user: GitHubUser | null) => user?.type === "Bot";

function person(user: GitHubUser | null): Person | undefined {
  return user ? { name: user.login, email: `${user.login}@users.noreply.github.com` } : undefined;
}

export const pullId = (n: number) => `github:pull/${n}`;
const issueCommentId = (id: number) => `github:issue-comment/${id}`;
const reviewId = (id: number) => `github:review/${id}`;
const reviewCommentId = (id: number) => `github:review-comment/${id}`;

export function conversationMessages(c: PullRequestConversation): ThreadMessage[] {
  const root = pullId(c.pull.number);
  const subject = c.pull.title;
  const reply = (
    id: string,
    user: GitHubUser | null,
    body: string,
    date: string | undefined,
    link: string,
    parent = root,
  ) => {
    const from = person(user);
    return {
      id,
      subject: `Re: ${subject}`,
      ...(from && { from }),
      ...(date && { date }),
      inReplyTo: parent,
      references: parent === root ? [root] : [root, parent],
      body,
      link,
      isPatch: false,
    };
  };
  const messages: Omit<ThreadMessage, "position">[] = [];
  const author = person(c.pull.user);
  messages.push({
    id: root,
    subject,
    ...(author && { from: author }),
    date: c.pull.created_at,
    references: [],
    body: c.pull.body ?? "",
    link: c.pull.html_url,
    isPatch: true,
  });
  for (const comment of c.issueComments) {
    if (isBotUser(comment.user) || !comment.body?.trim()) continue;
    messages.push(
      reply(issueCommentId(comment.id), comment.user, comment.body, comment.created_at, comment.html_url),
    );
  }
  for (const review of c.reviews) {
    if (isBotUser(review.user) || !review.body?.trim()) continue;
    messages.push(
      reply(reviewId(review.id), review.user, review.body, review.submitted_at ?? undefined, review.html_url),
    );
  }
  for (const comment of c.reviewComments) {
    if (isBotUser(comment.user)) continue;
    const parent = comment.in_reply_to_id ? reviewCommentId(comment.in_reply_to_id) : root;
    messages.push(
      reply(
        reviewCommentId(comment.id),
        comment.user,
        comment.body,
        comment.created_at,
        comment.html_url,
        parent,
      ),
    );
  }
  return messages.map((m, position) => ({ ...m, position }));
}
