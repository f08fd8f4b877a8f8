import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach } from "@jest/globals";
import nock from "nock";
import { type Logger, Probot, ProbotOctokit } from "probot";
import { createApp, type EventReport } from "../../src/github/app.js";
import { FakeGitHub, pullFilesFromDiff } from "../../src/github/testing/fake-github.js";

export const OWNER = "kernel-fork";
export const REPO = "linux";
export const PR = 7;
export const INSTALLATION = 1;
export const API = "https://api.github.com";
export const TOKEN = "ghs_test_installation_token";
export const BASE_SHA = "b0".repeat(20);
export const HEAD_SHA = "a1".repeat(20);
export const KCONFIG = "drivers/iommu/Kconfig";
export const PULL_PATH = `/repos/${OWNER}/${REPO}/pulls/${PR}`;
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

const ROOT = join(import.meta.dirname, "../..");
export const KCONFIG_BASE = readFileSync(
  join(import.meta.dirname, "fixtures/drivers-iommu-Kconfig.base"),
  "utf8",
);
export const ARM64_PATCH = readFileSync(join(ROOT, "examples/arm64-lazy-default.patch"), "utf8");

/** The example's commit message as git stores it: subject line, blank line, body up to the "---". */
export const ARM64_MESSAGE = (() => {
  const subject = /^Subject: \[[^\]]*\] (.*)$/m.exec(ARM64_PATCH)![1]!;
  const body = ARM64_PATCH.slice(ARM64_PATCH.indexOf("\n\n") + 2, ARM64_PATCH.indexOf("\n---\n"));
  return `${subject}\n\n${body.trim()}\n`;
})();
export const ARM64_TITLE = "[RFC PATCH] iommu: Default to lazy DMA mode on ARM64";

export const ARM64 = pullFilesFromDiff(ARM64_PATCH, { [KCONFIG]: KCONFIG_BASE });
export const KCONFIG_HEAD = ARM64.headContents[KCONFIG]!;
/** A fake GitHub (not started) serving the ARM64 pull request: its files, its commit, Kconfig at base and head. */
export function fakeArm64Pull(): FakeGitHub {
  const fake = new FakeGitHub(OWNER, REPO);
  fake.setPull({
    number: PR,
    baseSha: BASE_SHA,
    headSha: HEAD_SHA,
    files: ARM64.files,
    commitMessages: [ARM64_MESSAGE],
  });
  fake.setFile(BASE_SHA, KCONFIG, KCONFIG_BASE);
  fake.setFile(HEAD_SHA, KCONFIG, KCONFIG_HEAD);
  return fake;
}
/** Line of `default IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64` in the head file. */
export const LAZY_LINE =
  KCONFIG_HEAD.split("\n").findIndex((l) => l.includes("IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64")) + 1;

/** The summary's per-arch table row and legend for the example: arm64 STRICT → LAZY, nothing else changed. */
export const ARM64_ROW = "| **arm64** | `STRICT` | `LAZY` | **yes** |";
export const ARM64_LEGEND =
  "Short names: `LAZY` = `IOMMU_DEFAULT_DMA_LAZY`, `STRICT` = `IOMMU_DEFAULT_DMA_STRICT`.";

export const PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

/**
 * Retry and throttling off. It has to be the function form: with an object, Probot's own throttle options win,
 * and installation clients keep plugin-throttling's one-second spacing of write requests.
 */
export const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

/** A loopback port free right now, for Probot's server (which takes port 0 as "use 3000"). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface LogLine {
  level: string;
  msg?: string;
  [key: string]: unknown;
}

/** A pino-shaped logger that keeps every line (with its child bindings) for assertions. */
export function captureLogger(lines: LogLine[], bindings: Record<string, unknown> = {}): Logger {
  const write = (level: string) => (obj: unknown, msg?: string) => {
    const fields = typeof obj === "object" && obj !== null ? obj : { msg: obj };
    lines.push({ level, ...bindings, ...fields, ...(msg !== undefined ? { msg } : {}) });
  };
  const logger = {
    level: "trace",
    child: (more: Record<string, unknown>) => captureLogger(lines, { ...bindings, ...more }),
    trace: write("trace"),
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    fatal: write("fatal"),
    isLevelEnabled: () => true,
  };
  return logger as unknown as Logger;
}

export interface TestApp {
  probot: Probot;
  reports: EventReport[];
  logs: LogLine[];
}

export async function loadApp(): Promise<TestApp> {
  const reports: EventReport[] = [];
  const logs: LogLine[] = [];
  const probot = new Probot({
    appId: 123,
    privateKey: PRIVATE_KEY,
    log: captureLogger(logs),
    logLevel: "fatal",
    Octokit: TestOctokit,
  });
  await probot.load(createApp({ onEvent: (r) => reports.push(r) }));
  return { probot, reports, logs };
}

export interface PayloadOptions {
  action?: string;
  headSha?: string;
  title?: string;
  body?: string | null;
  draft?: boolean;
  changedFiles?: number;
  changes?: Record<string, unknown>;
}

export function pullRequestPayload(o: PayloadOptions = {}) {
  return {
    action: o.action ?? "opened",
    number: PR,
    ...(o.changes ? { changes: o.changes } : {}),
    pull_request: {
      number: PR,
      title: o.title ?? ARM64_TITLE,
      body: o.body === undefined ? "Makes arm64 lazy like x86." : o.body,
      user: { login: "lee-lazyman", type: "User" },
      created_at: "2026-04-02T20:05:00Z",
      draft: o.draft ?? false,
      changed_files: o.changedFiles ?? 1,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${PR}`,
      base: { sha: BASE_SHA, ref: "master" },
      head: { sha: o.headSha ?? HEAD_SHA, ref: "arm64-lazy" },
    },
    repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
    installation: { id: INSTALLATION },
    sender: { login: "lee-lazyman", type: "User" },
  };
}

export function receive(
  probot: Probot,
  id: string,
  payload: ReturnType<typeof pullRequestPayload>,
): Promise<void> {
  return probot.receive({ id, name: "pull_request", payload } as unknown as Parameters<Probot["receive"]>[0]);
}

/** nock interceptors shared by most tests. */
export const mock = {
  token: (scope: nock.Scope) =>
    scope.post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, {
      token: TOKEN,
      expires_at: "2099-01-01T00:00:00Z",
      permissions: { pull_requests: "write", checks: "write", contents: "read", metadata: "read" },
    }),
  noConfig: (scope: nock.Scope) =>
    scope
      .get(`${REPO_PATH}/contents/.github%2Fiommu-review.yml`)
      .reply(404, { message: "Not Found" })
      .get(`/repos/${OWNER}/.github/contents/.github%2Fiommu-review.yml`)
      .reply(404, { message: "Not Found" }),
  config: (scope: nock.Scope, yaml: string) =>
    scope
      .get(`${REPO_PATH}/contents/.github%2Fiommu-review.yml`)
      .reply(200, yaml, { "content-type": "text/plain" }),
  files: (scope: nock.Scope, files: unknown[] = ARM64.files) =>
    scope.get(`${PULL_PATH}/files`).query({ per_page: "100" }).reply(200, files),
  commits: (scope: nock.Scope, messages: string[] = [ARM64_MESSAGE]) =>
    scope
      .get(`${PULL_PATH}/commits`)
      .query({ per_page: "100" })
      .reply(
        200,
        messages.map((message, i) => ({ sha: `c${i}`, commit: { message } })),
      ),
  kconfigAt: (scope: nock.Scope, sha: string, text: string) =>
    scope
      .get(`${REPO_PATH}/contents/${encodeURIComponent(KCONFIG)}`)
      .query({ ref: sha })
      .reply(200, text, { "content-type": "text/plain" }),
  noReviews: (scope: nock.Scope) =>
    scope
      .get(`${PULL_PATH}/reviews`)
      .query({ per_page: "100" })
      .reply(200, [])
      .get(`${PULL_PATH}/comments`)
      .query({ per_page: "100" })
      .reply(200, []),
  /** What reviewing the ARM64 pull request reads before it looks for its own earlier posts: files, no
   * config, commits, the Kconfig at base and head, and no reviews or comments yet. */
  arm64Gather: (scope: nock.Scope) => {
    mock.files(scope);
    mock.noConfig(scope);
    mock.commits(scope);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
    mock.noReviews(scope);
  },
  noCheckRuns: (scope: nock.Scope, sha = HEAD_SHA) =>
    scope
      .get(`${REPO_PATH}/commits/${sha}/check-runs`)
      .query({ check_name: "iommu-review", filter: "latest", per_page: "100" })
      .reply(200, { total_count: 0, check_runs: [] }),
};

/** Captures a request body for exact assertions. */
export function capture<T = Record<string, unknown>>(): { body?: T; match: (body: T) => boolean } {
  const box: { body?: T; match: (body: T) => boolean } = {
    match: (body: T) => {
      box.body = body;
      return true;
    },
  };
  return box;
}

export function expectNockDone(scope: nock.Scope): void {
  if (!scope.isDone()) throw new Error(`pending mocks: ${scope.pendingMocks().join(", ")}`);
}

/** The tests of the calling file run with the network off; nock's interceptors are dropped after each. */
export function offlineNock(): void {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });
}
