import type { ProbotOctokit } from "probot";
import { statusOf } from "./errors.js";

// The GitHub calls the app makes, in one place: typed results trimmed to the fields the app reads, pagination,
// and a running total of calls and time spent waiting on GitHub (for logs and the benchmark).

export interface PullRef {
  owner: string;
  repo: string;
  pull_number: number;
}

export interface ChangedFile {
  filename: string;
  status: string;
  previous_filename?: string;
  changes?: number;
  /** Missing for binary files and for diffs GitHub considers too large. */
  patch?: string;
}

export interface User {
  login: string;
  type?: string | null;
}

export interface ReviewRecord {
  id: number;
  body: string | null;
  user: User | null;
}

export interface ReviewComment {
  id: number;
  body: string;
  user: User | null;
  path: string;
  line?: number | null;
  in_reply_to_id?: number;
}

export interface IssueComment {
  id: number;
  body?: string;
  user: User | null;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  external_id: string | null;
  status: string;
}

export interface NewInlineComment {
  path: string;
  line: number;
  side: "LEFT" | "RIGHT";
  body: string;
}

export type Conclusion = "success" | "neutral" | "action_required" | "failure";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

export interface NewCheckRun {
  head_sha: string;
  conclusion: Conclusion;
  external_id: string;
  details_url?: string;
  title: string;
  summary: string;
  annotations: CheckAnnotation[];
}

/** GitHub accepts at most this many annotations per create or update request. */
const ANNOTATIONS_PER_REQUEST = 50;

export class PullRequestApi {
  calls = 0;
  /** Wall time during which some GitHub call was in flight. */
  waitMs = 0;

  constructor(
    private readonly octokit: ProbotOctokit,
    readonly pull: PullRef,
  ) {}

  private get repo() {
    return { owner: this.pull.owner, repo: this.pull.repo };
  }

  /** Times a request made outside this class (Probot's config loader); counted as one call. */
  track<T>(fn: () => Promise<T>): Promise<T> {
    return this.call(fn);
  }

  private inFlight = 0;
  private busySince = 0;

  /** Time with at least one call in flight: parallel calls count once, so handler time minus this is the bot's own. */
  private async call<T>(fn: () => Promise<T>, counts: (result: T) => boolean = () => true): Promise<T> {
    if (this.inFlight++ === 0) this.busySince = performance.now();
    try {
      const result = await fn();
      if (counts(result)) this.calls++;
      return result;
    } catch (err) {
      this.calls++;
      throw err;
    } finally {
      if (--this.inFlight === 0) this.waitMs += performance.now() - this.busySince;
    }
  }

  /** Follows every page of a list endpoint, counting each page as a call. */
  private async all<T>(iterator: AsyncIterable<{ data: T[] }>): Promise<T[]> {
    const out: T[] = [];
    const it = iterator[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.call(
        () => it.next(),
        (p) => !p.done,
      );
      if (page.done) return out;
      out.push(...page.value.data);
    }
  }

  listFiles(): Promise<ChangedFile[]> {
    return this.all(
      this.octokit.paginate.iterator(this.octokit.rest.pulls.listFiles, { ...this.pull, per_page: 100 }),
    );
  }

  async listCommits(): Promise<{ sha: string; message: string }[]> {
    const commits = await this.all(
      this.octokit.paginate.iterator(this.octokit.rest.pulls.listCommits, { ...this.pull, per_page: 100 }),
    );
    return commits.map((c) => ({ sha: c.sha, message: c.commit.message }));
  }

  /** The lines one commit adds, per file (from its per-file patches). */
  async addedLines(sha: string): Promise<Map<string, string[]>> {
    const res = await this.call(() =>
      this.octokit.rest.repos.getCommit({ owner: this.pull.owner, repo: this.pull.repo, ref: sha }),
    );
    const added = new Map<string, string[]>();
    for (const file of res.data.files ?? [])
      added.set(
        file.filename,
        (file.patch ?? "")
          .split("\n")
          .filter((l) => l.startsWith("+"))
          .map((l) => l.slice(1).trim()),
      );
    return added;
  }

  /** The whole pull request diff, for files whose `patch` GitHub left out. */
  async diff(): Promise<string> {
    const res = await this.call(() =>
      this.octokit.rest.pulls.get({ ...this.pull, mediaType: { format: "diff" } }),
    );
    return res.data as unknown as string;
  }

  /** A file's text at a commit; undefined when it does not exist there (or is not a file). */
  async fileAt(path: string, ref: string): Promise<string | undefined> {
    try {
      const res = await this.call(() =>
        this.octokit.rest.repos.getContent({ ...this.repo, path, ref, mediaType: { format: "raw" } }),
      );
      return typeof res.data === "string" ? res.data : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  listReviews(): Promise<ReviewRecord[]> {
    return this.all(
      this.octokit.paginate.iterator(this.octokit.rest.pulls.listReviews, { ...this.pull, per_page: 100 }),
    );
  }

  listReviewComments(): Promise<ReviewComment[]> {
    return this.all(
      this.octokit.paginate.iterator(this.octokit.rest.pulls.listReviewComments, {
        ...this.pull,
        per_page: 100,
      }),
    );
  }

  async createReview(commitId: string, body: string, comments: NewInlineComment[]): Promise<number> {
    const res = await this.call(() =>
      this.octokit.rest.pulls.createReview({
        ...this.pull,
        commit_id: commitId,
        event: "COMMENT",
        body,
        comments,
      }),
    );
    return res.data.id;
  }

  async updateReview(reviewId: number, body: string): Promise<void> {
    await this.call(() => this.octokit.rest.pulls.updateReview({ ...this.pull, review_id: reviewId, body }));
  }

  async updateReviewComment(commentId: number, body: string): Promise<void> {
    await this.call(() =>
      this.octokit.rest.pulls.updateReviewComment({ ...this.repo, comment_id: commentId, body }),
    );
  }

  async deleteReviewComment(commentId: number): Promise<void> {
    await this.call(() =>
      this.octokit.rest.pulls.deleteReviewComment({ ...this.repo, comment_id: commentId }),
    );
  }

  listIssueComments(): Promise<IssueComment[]> {
    return this.all(
      this.octokit.paginate.iterator(this.octokit.rest.issues.listComments, {
        ...this.repo,
        issue_number: this.pull.pull_number,
        per_page: 100,
      }),
    );
  }

  async createIssueComment(body: string): Promise<void> {
    await this.call(() =>
      this.octokit.rest.issues.createComment({ ...this.repo, issue_number: this.pull.pull_number, body }),
    );
  }

  async updateIssueComment(commentId: number, body: string): Promise<void> {
    await this.call(() =>
      this.octokit.rest.issues.updateComment({ ...this.repo, comment_id: commentId, body }),
    );
  }

  async listCheckRuns(headSha: string, name: string): Promise<CheckRunRecord[]> {
    const res = await this.call(() =>
      this.octokit.rest.checks.listForRef({
        ...this.repo,
        ref: headSha,
        check_name: name,
        filter: "latest",
        per_page: 100,
      }),
    );
    return res.data.check_runs;
  }

  /** Creates a completed check run; annotations beyond GitHub's per-request limit follow in updates. */
  async createCheckRun(name: string, run: NewCheckRun): Promise<number> {
    const batches: CheckAnnotation[][] = [];
    for (let i = 0; i < run.annotations.length; i += ANNOTATIONS_PER_REQUEST)
      batches.push(run.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
    const output = (annotations: CheckAnnotation[] = []) => ({
      title: run.title,
      summary: run.summary,
      annotations,
    });
    const res = await this.call(() =>
      this.octokit.rest.checks.create({
        ...this.repo,
        name,
        head_sha: run.head_sha,
        status: "completed",
        conclusion: run.conclusion,
        external_id: run.external_id,
        ...(run.details_url ? { details_url: run.details_url } : {}),
        output: output(batches[0]),
      }),
    );
    const id = res.data.id;
    for (const batch of batches.slice(1)) {
      await this.call(() =>
        this.octokit.rest.checks.update({ ...this.repo, check_run_id: id, output: output(batch) }),
      );
    }
    return id;
  }
}
