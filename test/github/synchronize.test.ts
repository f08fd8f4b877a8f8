import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { pullFilesFromDiff } from "../../src/github/testing/fake-github.js";
import {
  API,
  ARM64,
  ARM64_PATCH,
  BASE_SHA,
  capture,
  expectNockDone,
  HEAD_SHA,
  KCONFIG,
  KCONFIG_BASE,
  KCONFIG_HEAD,
  LAZY_LINE,
  loadApp,
  mock,
  offlineNock,
  PULL_PATH,
  pullRequestPayload,
  REPO_PATH,
  receive,
} from "./helpers.js";

offlineNock();

const BOT = { login: "iommu-review[bot]", type: "Bot" };
const HUMAN = { login: "robin", type: "User" };
const SECOND_SHA = "c2".repeat(20);

// The second push also drops S390, so s390 moves from LAZY to STRICT: a different finding. (Adding RISCV would
// not do: IOMMU_DMA is n on riscv in v6.12, so the choice has no effect there.)
const DROP_S390 = pullFilesFromDiff(
  ARM64_PATCH.replace(
    "+\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64",
    "+\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || ARM64",
  ),
  { [KCONFIG]: KCONFIG_BASE },
);

interface Posted {
  review?: { body: string; comments: { path: string; line: number; side: string; body: string }[] };
  check?: { external_id: string; conclusion: string; output: { title: string } };
}

/** A first review of the ARM64 example; returns what was posted so later tests can serve it back. */
async function firstReview(app: Awaited<ReturnType<typeof loadApp>>, delivery: string): Promise<Posted> {
  const review = capture<NonNullable<Posted["review"]>>();
  const check = capture<NonNullable<Posted["check"]>>();
  const scope = nock(API);
  mock.token(scope);
  mock.arm64Gather(scope);
  scope.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 11 });
  mock.noCheckRuns(scope);
  scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 31 });
  await receive(app.probot, delivery, pullRequestPayload());
  expectNockDone(scope);
  return { review: review.body!, check: check.body! };
}

function existingState(scope: nock.Scope, posted: Posted, extraComments: unknown[] = []) {
  return scope
    .get(`${PULL_PATH}/reviews`)
    .query({ per_page: "100" })
    .reply(200, [{ id: 11, user: BOT, body: posted.review!.body, state: "COMMENTED" }])
    .get(`${PULL_PATH}/comments`)
    .query({ per_page: "100" })
    .reply(200, [
      { id: 21, user: BOT, body: posted.review!.comments[0]!.body, path: KCONFIG, line: LAZY_LINE },
      ...extraComments,
    ]);
}

describe("a later push or event on the same pull request", () => {
  test("a redelivered webhook (same delivery id) makes no API call at all", async () => {
    const app = await loadApp();
    await firstReview(app, "delivery-1");
    const scope = nock(API);

    await receive(app.probot, "delivery-1", pullRequestPayload());

    expectNockDone(scope);
    expect(app.reports.map((r) => [r.outcome.kind, r.apiCalls])).toEqual([
      ["reviewed", 10],
      ["duplicate", 0],
    ]);
  });

  test("a second event for the same head SHA reads, finds everything in place, and writes nothing", async () => {
    const app = await loadApp();
    const posted = await firstReview(app, "delivery-1");
    const scope = nock(API);
    mock.files(scope);
    mock.noConfig(scope);
    mock.commits(scope);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
    existingState(scope, posted);
    scope
      .get(`${REPO_PATH}/commits/${HEAD_SHA}/check-runs`)
      .query(true)
      .reply(200, {
        total_count: 1,
        check_runs: [
          { id: 31, name: "iommu-review", status: "completed", external_id: posted.check!.external_id },
        ],
      });

    await receive(app.probot, "delivery-2", pullRequestPayload({ action: "reopened" }));

    // Every interceptor above is a GET; a write would have found no interceptor and failed the event.
    expectNockDone(scope);
    expect(app.reports[1]!.outcome).toEqual({
      kind: "reviewed",
      findings: 1,
      check: "unchanged",
      posted: {
        summary: "unchanged",
        commentsCreated: 0,
        commentsUpdated: 0,
        commentsDeleted: 0,
        commentsResolved: 0,
      },
    });
  });

  test("a push that changes the finding edits the summary in place, replaces the stale comment, resolves the answered one", async () => {
    const app = await loadApp();
    const posted = await firstReview(app, "delivery-1");
    const oldAnswered = {
      id: 22,
      user: BOT,
      body: "<!-- iommu-review:fingerprint=00000000000000aa -->\n**warning: older finding**\n",
      path: KCONFIG,
      line: LAZY_LINE,
    };
    const reply = {
      id: 23,
      user: HUMAN,
      body: "We measured this.",
      path: KCONFIG,
      line: LAZY_LINE,
      in_reply_to_id: 22,
    };
    const followUp = capture<{ body: string; comments: { line: number; side: string; body: string }[] }>();
    const summary = capture<{ body: string }>();
    const resolved = capture<{ body: string }>();
    const scope = nock(API);
    mock.files(scope, DROP_S390.files);
    mock.noConfig(scope);
    mock.commits(scope);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, SECOND_SHA, DROP_S390.headContents[KCONFIG]!);
    existingState(scope, posted, [oldAnswered, reply]);
    scope.delete(`${REPO_PATH}/pulls/comments/21`).reply(204);
    scope.patch(`${REPO_PATH}/pulls/comments/22`, resolved.match).reply(200, { id: 22 });
    scope.post(`${PULL_PATH}/reviews`, followUp.match).reply(200, { id: 12 });
    scope.put(`${PULL_PATH}/reviews/11`, summary.match).reply(200, { id: 11 });
    mock.noCheckRuns(scope, SECOND_SHA);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 32 });

    await receive(
      app.probot,
      "delivery-2",
      pullRequestPayload({ action: "synchronize", headSha: SECOND_SHA }),
    );

    expectNockDone(scope);
    expect(followUp.body!.body).toMatch(
      /^<!-- iommu-review:follow-up -->\niommu-review: 1 new finding at `c2c2c2c`/,
    );
    expect(followUp.body!.comments).toEqual([
      { path: KCONFIG, line: LAZY_LINE, side: "RIGHT", body: expect.stringContaining("s390") },
    ]);
    expect(followUp.body!.comments[0]!.body).not.toBe(posted.review!.comments[0]!.body);
    expect(summary.body!.body).toMatch(/^<!-- iommu-review:summary -->\n/);
    expect(summary.body!.body).toMatch(/\*\*s390\*\*/);
    expect(resolved.body!.body).toContain("<!-- iommu-review:fingerprint=00000000000000aa -->");
    expect(resolved.body!.body).toContain("<!-- iommu-review:resolved -->");
    expect(resolved.body!.body).toContain("**Resolved** at `c2c2c2c`");
    expect(resolved.body!.body).toContain("**warning: older finding**");
  });

  test("a push that reverts the line updates the summary to no findings, deletes the comment, and passes the check", async () => {
    const app = await loadApp();
    const posted = await firstReview(app, "delivery-1");
    const summary = capture<{ body: string }>();
    const check = capture<{ conclusion: string; output: { title: string; annotations: unknown[] } }>();
    const scope = nock(API);
    mock.files(scope, []);
    mock.noConfig(scope);
    existingState(scope, posted);
    scope.delete(`${REPO_PATH}/pulls/comments/21`).reply(204);
    scope.put(`${PULL_PATH}/reviews/11`, summary.match).reply(200, { id: 11 });
    mock.noCheckRuns(scope, SECOND_SHA);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 32 });

    await receive(
      app.probot,
      "delivery-2",
      pullRequestPayload({ action: "synchronize", headSha: SECOND_SHA }),
    );

    expectNockDone(scope);
    expect(summary.body!.body).toContain("no findings");
    expect(summary.body!.body).not.toContain("arm64");
    expect(check.body).toMatchObject({
      conclusion: "success",
      output: { title: "No findings", annotations: [] },
    });
  });

  test("a human comment quoting the summary marker is not taken for the bot's summary", async () => {
    const app = await loadApp();
    const created = capture<{ body: string }>();
    const scope = nock(API);
    mock.token(scope);
    mock.files(scope, ARM64.files);
    mock.noConfig(scope);
    mock.commits(scope);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
    scope
      .get(`${PULL_PATH}/reviews`)
      .query(true)
      .reply(200, [
        { id: 5, user: HUMAN, body: "> <!-- iommu-review:summary -->\nquoted", state: "COMMENTED" },
      ])
      .get(`${PULL_PATH}/comments`)
      .query(true)
      .reply(200, [
        {
          id: 6,
          user: HUMAN,
          body: "<!-- iommu-review:fingerprint=851d8647036b3db4 -->",
          path: KCONFIG,
          line: 1,
        },
      ]);
    scope.post(`${PULL_PATH}/reviews`, created.match).reply(200, { id: 12 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 32 });

    await receive(app.probot, "delivery-9", pullRequestPayload());

    expectNockDone(scope);
    expect(created.body!.body).toMatch(/^<!-- iommu-review:summary -->/);
  });
});
