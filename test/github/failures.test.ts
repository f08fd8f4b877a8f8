import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import {
  API,
  BASE_SHA,
  capture,
  expectNockDone,
  HEAD_SHA,
  KCONFIG_BASE,
  KCONFIG_HEAD,
  loadApp,
  mock,
  offlineNock,
  PRIVATE_KEY,
  PULL_PATH,
  pullRequestPayload,
  REPO_PATH,
  receive,
  TOKEN,
} from "./helpers.js";

offlineNock();

interface CheckRequest {
  conclusion: string;
  output: { title: string; summary: string };
}

const PRIVATE_KEY_LINE = PRIVATE_KEY.split("\n")[1]!;

describe("failures", () => {
  test("a 5xx is logged with repo, PR and delivery id, leaves a check run saying so, and does not throw", async () => {
    const { probot, reports, logs } = await loadApp();
    const check = capture<CheckRequest>();
    const scope = nock(API);
    mock.token(scope);
    scope.get(`${PULL_PATH}/files`).query(true).reply(502, { message: "Server Error" });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 4 });

    await expect(receive(probot, "delivery-1", pullRequestPayload())).resolves.toBeUndefined();

    expectNockDone(scope);
    expect(reports[0]!.outcome).toEqual({
      kind: "failed",
      failure: {
        status: 502,
        request: "GET /repos/kernel-fork/linux/pulls/7/files",
        message: "Server Error",
      },
    });
    expect(logs.filter((l) => l.level === "error")).toEqual([
      expect.objectContaining({
        repo: "kernel-fork/linux",
        pr: 7,
        delivery: "delivery-1",
        msg: "review failed",
        failure: expect.objectContaining({ status: 502 }),
      }),
    ]);
    expect(check.body).toMatchObject({
      conclusion: "neutral",
      output: {
        title: "The review failed",
        summary: expect.stringContaining(
          "GET /repos/kernel-fork/linux/pulls/7/files failed with HTTP 502: Server Error",
        ),
      },
    });
  });

  test("a 403 rate limit is logged as such; when the check run cannot be written either, that is logged too", async () => {
    const { probot, reports, logs } = await loadApp();
    const limited = { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "4102444800" };
    const scope = nock(API);
    mock.token(scope);
    mock.files(scope);
    mock.noConfig(scope);
    scope
      .get(`${PULL_PATH}/commits`)
      .query(true)
      .reply(403, { message: "API rate limit exceeded for installation ID 1." }, limited);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
    scope
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(403, { message: "API rate limit exceeded for installation ID 1." }, limited);

    await receive(probot, "delivery-2", pullRequestPayload());

    expectNockDone(scope);
    expect(reports[0]!.outcome).toMatchObject({
      kind: "failed",
      failure: { status: 403, rateLimited: true },
    });
    const errors = logs.filter((l) => l.level === "error");
    expect(errors.map((l) => [l.msg, l.delivery, l.repo, l.pr])).toEqual([
      ["review failed", "delivery-2", "kernel-fork/linux", 7],
      ["could not leave a check run about the failure", "delivery-2", "kernel-fork/linux", 7],
    ]);
    const everything = JSON.stringify(logs);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(PRIVATE_KEY_LINE);
  });

  test("a review that cannot be posted leaves a check run saying so; the redelivery then posts it", async () => {
    const { probot, reports, logs } = await loadApp();
    const check = capture<CheckRequest>();
    const scope = nock(API);
    mock.token(scope);
    mock.arm64Gather(scope);
    scope.post(`${PULL_PATH}/reviews`).reply(500, { message: "Internal Server Error" });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 4 });

    await receive(probot, "delivery-3", pullRequestPayload());

    expectNockDone(scope);
    expect(check.body!.conclusion).toBe("action_required");
    expect(check.body!.output.title).toBe("1 warning; the review could not be posted");
    expect(check.body!.output.summary).toMatch(
      /^\*\*The review could not be posted\.\*\* POST \/repos\/kernel-fork\/linux\/pulls\/7\/reviews failed with HTTP 500/,
    );
    expect(logs.find((l) => l.level === "error")).toMatchObject({
      msg: "could not post the review; the check run says so",
      delivery: "delivery-3",
    });

    // Not remembered as handled: GitHub's redelivery of the same id tries again, and this time it goes through.
    const retry = nock(API);
    mock.arm64Gather(retry);
    retry.post(`${PULL_PATH}/reviews`).reply(200, { id: 1 });
    retry
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [{ id: 4, name: "iommu-review", status: "completed", external_id: "other" }],
      });
    retry.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 5 });

    await receive(probot, "delivery-3", pullRequestPayload());

    expectNockDone(retry);
    expect(reports.map((r) => r.outcome.kind)).toEqual(["reviewed", "reviewed"]);
    expect(check.body!.output.title).toBe("1 warning");
  });

  test("a 422 on the inline comment posts the review again with the finding folded into the summary", async () => {
    const { probot } = await loadApp();
    const bodies: { body: string; comments: unknown[] }[] = [];
    const scope = nock(API);
    mock.token(scope);
    mock.arm64Gather(scope);
    scope
      .post(`${PULL_PATH}/reviews`, (b) => bodies.push(b) > 0)
      .reply(422, { message: "Validation Failed" })
      .post(`${PULL_PATH}/reviews`, (b) => bodies.push(b) > 0)
      .reply(200, { id: 1 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 4 });

    await receive(probot, "delivery-4", pullRequestPayload());

    expectNockDone(scope);
    expect(bodies.map((b) => b.comments.length)).toEqual([1, 0]);
    expect(bodies[1]!.body).toContain("(GitHub did not accept an inline comment there)");
  });
});

test("a pull_request delivery without repository or pull request fields is refused with a log line, no API call and no throw", async () => {
  const { probot, reports, logs } = await loadApp();
  const { repository: _repository, ...noRepository } = pullRequestPayload();
  await receive(probot, "malformed-1", noRepository as ReturnType<typeof pullRequestPayload>);
  const noHead = pullRequestPayload();
  (noHead.pull_request as { head?: unknown }).head = undefined;
  await receive(probot, "malformed-2", noHead);
  expect(reports.map((r) => r.outcome)).toEqual([
    { kind: "ignored", reason: "no repository name and owner" },
    { kind: "ignored", reason: "no pull_request number, head and base" },
  ]);
  expect(logs.filter((l) => l.msg === "refused a malformed pull_request delivery")).toHaveLength(2);
  expect(nock.pendingMocks()).toEqual([]);
});
