// GitHub Actions adapter: runs the same Probot app once, on the event of the workflow run, with the workflow's
// token instead of an App installation. (@probot/adapter-github-actions pins probot 13, so it is done here.)

import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { Probot, type ProbotOctokit } from "probot";
import { createApp, type EventReport } from "./app.js";

export interface ActionOptions {
  env?: NodeJS.ProcessEnv;
  /** Tests pass an Octokit with retry and throttling off. */
  Octokit?: typeof ProbotOctokit;
  onEvent?: (report: EventReport) => void;
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

function logLevel(value: string | undefined): LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value ?? "") ? (value as LogLevel) : "info";
}

/** Handles the workflow's event; resolves to the process exit code (1 when the review failed). */
export async function runAction(options: ActionOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const token = env.GITHUB_TOKEN;
  const eventName = env.GITHUB_EVENT_NAME;
  const eventPath = env.GITHUB_EVENT_PATH;
  if (!token || !eventName || !eventPath) {
    console.error(
      "iommu-review: GITHUB_TOKEN, GITHUB_EVENT_NAME and GITHUB_EVENT_PATH must be set (run it as a step of a workflow).",
    );
    return 1;
  }
  // pull_request_target carries the same payload; it runs with a token that can write on fork PRs.
  const name = eventName === "pull_request_target" ? "pull_request" : eventName;
  if (name !== "pull_request") {
    console.log(
      `iommu-review: nothing to do for a ${eventName} event; run it on pull_request or pull_request_target.`,
    );
    return 0;
  }
  const payload = JSON.parse(readFileSync(eventPath, "utf8"));
  const reports: EventReport[] = [];
  const probot = new Probot({
    githubToken: token,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
    logLevel: logLevel(env.LOG_LEVEL),
    ...(options.Octokit ? { Octokit: options.Octokit } : {}),
  });
  await probot.load(
    createApp({
      onEvent: (report) => {
        reports.push(report);
        options.onEvent?.(report);
      },
    }),
  );
  await probot.receive({
    id: `${env.GITHUB_RUN_ID ?? "local"}.${env.GITHUB_RUN_ATTEMPT ?? "1"}`,
    name: "pull_request",
    payload,
  });
  const failed = reports.some(
    (r) => r.outcome.kind === "failed" || (r.outcome.kind === "reviewed" && r.outcome.postFailure),
  );
  return failed ? 1 : 0;
}

function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMainModule()) process.exitCode = await runAction();
