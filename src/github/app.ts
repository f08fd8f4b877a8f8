import type { ApplicationFunction, ApplicationFunctionOptions, Context, Probot } from "probot";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { loadRules, type Rule } from "../rules/load.js";
import { createDiscussionApp } from "../thread/github.js";
import { PullRequestApi } from "./api.js";
import { failedCheckRun, publishCheckRun } from "./check-run.js";
import { CONFIG_FILE } from "./config.js";
import { KeyedQueue, RecentDeliveries } from "./dedupe.js";
import { describeFailure, type FailureDescription } from "./errors.js";
import type { PullRequestInfo } from "./gather.js";
import { handlePullRequest, type Outcome } from "./handler.js";

export const PULL_REQUEST_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.edited",
] as const;

export type EventOutcome =
  | Outcome
  | { kind: "ignored"; reason: string }
  | { kind: "duplicate" }
  | { kind: "failed"; failure: FailureDescription };

/** One handled event, for the Action's exit code, tests and the benchmark. */
export interface EventReport {
  delivery: string;
  repo: string;
  pr: number;
  action: string;
  outcome: EventOutcome;
  /** Wall time of the handler, including the wait on GitHub. */
  ms: number;
  /** Wall time during which some GitHub API call was in flight. */
  apiMs: number;
  apiCalls: number;
}

export interface AppOptions {
  /** Defaults to the rules shipped in rules/. */
  rules?: Rule[];
  onEvent?: (report: EventReport) => void;
  /** The per-pull-request queue of event handling; given, a shutdown can wait for it to run empty. */
  queue?: KeyedQueue;
}

type PullRequestContext = Context<"pull_request">;

function pullRequestInfo(payload: PullRequestContext["payload"]): PullRequestInfo {
  const pr = payload.pull_request;
  return {
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    number: pr.number,
    title: pr.title,
    body: pr.body ?? null,
    author: pr.user?.login ?? "ghost",
    createdAt: pr.created_at,
    baseSha: pr.base.sha,
    headSha: pr.head.sha,
    changedFiles: pr.changed_files,
    draft: pr.draft ?? false,
    htmlUrl: pr.html_url,
  };
}

/** Why a pull_request payload lacks what the handler reads, or undefined when it has it. */
function malformedPullRequestEvent(payload: unknown): string | undefined {
  const p = payload as {
    repository?: { name?: unknown; owner?: { login?: unknown } };
    pull_request?: { number?: unknown; head?: { sha?: unknown }; base?: { sha?: unknown } };
  };
  if (typeof p.repository?.name !== "string" || typeof p.repository.owner?.login !== "string") {
    return "no repository name and owner";
  }
  const pr = p.pull_request;
  if (
    typeof pr?.number !== "number" ||
    typeof pr.head?.sha !== "string" ||
    typeof pr.base?.sha !== "string"
  ) {
    return "no pull_request number, head and base";
  }
  return undefined;
}

/** Title and description feed the commit-message checks, the base decides the diff; other edits change nothing. */
function editMatters(payload: PullRequestContext["payload"]): boolean {
  if (payload.action !== "edited") return true;
  const changes = (payload as { changes?: Record<string, unknown> }).changes ?? {};
  return "title" in changes || "body" in changes || "base" in changes;
}

/** The Probot app: reviews pull requests that touch what the rules watch. */
export function createApp(options: AppOptions = {}): ApplicationFunction {
  return (app: Probot, appOptions: ApplicationFunctionOptions) => {
    const rules = options.rules ?? loadRules(DEFAULT_RULES_DIR);
    const deliveries = new RecentDeliveries();
    // One queue per pull request for both the review and the discussion digest: both rewrite the summary.
    const queue = options.queue ?? new KeyedQueue();
    createDiscussionApp({ rules, queue })(app, appOptions);

    app.on([...PULL_REQUEST_EVENTS], async (context: PullRequestContext) => {
      // Signed by GitHub's secret but not what GitHub sends: refuse it with a log line, never a TypeError (500).
      const malformed = malformedPullRequestEvent(context.payload);
      if (malformed) {
        context.log.warn(
          { delivery: context.id, reason: malformed },
          "refused a malformed pull_request delivery",
        );
        options.onEvent?.({
          delivery: context.id,
          repo: "?",
          pr: 0,
          action: String((context.payload as { action?: unknown }).action),
          outcome: { kind: "ignored", reason: malformed },
          ms: 0,
          apiMs: 0,
          apiCalls: 0,
        });
        return;
      }
      const pr = pullRequestInfo(context.payload);
      const repo = `${pr.owner}/${pr.repo}`;
      const log = context.log.child({
        repo,
        pr: pr.number,
        delivery: context.id,
        action: context.payload.action,
      });
      const api = new PullRequestApi(context.octokit, {
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
      });
      const start = performance.now();
      const report = (outcome: EventOutcome) =>
        options.onEvent?.({
          delivery: context.id,
          repo,
          pr: pr.number,
          action: context.payload.action,
          outcome,
          ms: performance.now() - start,
          apiMs: api.waitMs,
          apiCalls: api.calls,
        });

      if (!editMatters(context.payload))
        return report({ kind: "ignored", reason: "edit of neither title, body nor base" });

      await queue.run(`${repo}#${pr.number}`, async () => {
        if (deliveries.has(context.id)) {
          log.info("delivery already handled; nothing to do");
          return report({ kind: "duplicate" });
        }
        try {
          const outcome = await handlePullRequest(
            {
              action: context.payload.action,
              pr,
              api,
              readConfig: () => api.track(() => context.config<unknown>(CONFIG_FILE)),
            },
            rules,
          );
          if (outcome.kind === "reviewed" && outcome.postFailure) {
            log.error({ failure: outcome.postFailure }, "could not post the review; the check run says so");
          } else deliveries.add(context.id);
          log.info({ outcome: outcome.kind, apiCalls: api.calls }, "pull request handled");
          report(outcome);
        } catch (err) {
          const failure = describeFailure(err);
          log.error({ failure }, "review failed");
          try {
            await publishCheckRun(api, pr.headSha, failedCheckRun(failure), pr.htmlUrl);
          } catch (checkErr) {
            log.error(
              { failure: describeFailure(checkErr) },
              "could not leave a check run about the failure",
            );
          }
          report({ kind: "failed", failure });
        }
      });
    });
  };
}
