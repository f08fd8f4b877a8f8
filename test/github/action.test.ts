import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, jest, test } from "@jest/globals";
import nock from "nock";
import { runAction } from "../../src/github/action.js";
import type { FakeGitHub } from "../../src/github/testing/fake-github.js";
import { fakeArm64Pull, pullRequestPayload, TestOctokit } from "./helpers.js";

let fake: FakeGitHub;
let apiUrl: string;
let dir: string;
let eventPath: string;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
  fake = fakeArm64Pull();
  apiUrl = (await fake.start()).baseUrl;
  dir = mkdtempSync(join(tmpdir(), "iommu-review-action-"));
  eventPath = join(dir, "event.json");
  const { installation: _none, ...payload } = pullRequestPayload();
  writeFileSync(eventPath, JSON.stringify(payload));
});

afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
  nock.enableNetConnect();
});

beforeEach(() => fake.clearRequests());

const env = (more: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  GITHUB_TOKEN: "ghs_workflow_token",
  GITHUB_EVENT_PATH: eventPath,
  GITHUB_API_URL: apiUrl,
  GITHUB_RUN_ID: "42",
  GITHUB_RUN_ATTEMPT: "1",
  LOG_LEVEL: "fatal" as const,
  GITHUB_EVENT_NAME: "pull_request",
  ...more,
});

describe("GitHub Action adapter", () => {
  test("a pull_request workflow run reviews the PR with the workflow token, no App installation", async () => {
    const code = await runAction({ env: env(), Octokit: TestOctokit });

    expect(code).toBe(0);
    expect(fake.requests.some((r) => r.path.includes("access_tokens"))).toBe(false);
    expect(new Set(fake.requests.map((r) => r.authorization))).toEqual(new Set(["token ghs_workflow_token"]));
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviewComments).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(1);
  });

  test("pull_request_target is handled like pull_request; a second run on the same head posts nothing", async () => {
    const delivered: string[] = [];
    const code = await runAction({
      env: env({ GITHUB_EVENT_NAME: "pull_request_target", GITHUB_RUN_ATTEMPT: "2" }),
      Octokit: TestOctokit,
      onEvent: (r) => delivered.push(`${r.delivery} ${r.outcome.kind}`),
    });

    expect(code).toBe(0);
    expect(delivered).toEqual(["42.2 reviewed"]);
    expect(fake.writes()).toEqual([]);
  });

  test("another event is a no-op; a missing token is an error", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    const error = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      expect(await runAction({ env: env({ GITHUB_EVENT_NAME: "push" }), Octokit: TestOctokit })).toBe(0);
      expect(await runAction({ env: env({ GITHUB_TOKEN: "" }), Octokit: TestOctokit })).toBe(1);
      expect(fake.requests).toEqual([]);
      expect(error.mock.calls[0]![0]).toContain("GITHUB_TOKEN");
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  });

  test("a run whose review fails exits 1", async () => {
    const code = await runAction({
      env: env({ GITHUB_API_URL: "http://127.0.0.1:9/api/v3" }),
      Octokit: TestOctokit,
    });
    expect(code).toBe(1);
  });
});
