import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import {
  API,
  ARM64,
  ARM64_LEGEND,
  ARM64_MESSAGE,
  ARM64_ROW,
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

interface ReviewRequest {
  commit_id: string;
  event: string;
  body: string;
  comments: { path: string; line: number; side: string; body: string }[];
}

describe("pull_request.opened on the ARM64 example", () => {
  test("reads files, config, commits and the whole Kconfig, then posts one review and one check run", async () => {
    const { probot, reports } = await loadApp();
    const review = capture<ReviewRequest>();
    const check = capture();
    const scope = nock(API);
    mock.token(scope);
    mock.arm64Gather(scope);
    scope.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 2 });

    await receive(probot, "delivery-1", pullRequestPayload());

    expectNockDone(scope);
    const body = review.body!;
    expect(body.commit_id).toBe(HEAD_SHA);
    expect(body.event).toBe("COMMENT");
    expect(body).not.toHaveProperty("position");
    expect(body.body.startsWith("<!-- iommu-review:summary -->\n## iommu-review\n")).toBe(true);
    expect(body.body).toContain(ARM64_ROW);
    expect(body.body).toContain(ARM64_LEGEND);
    expect(body.body).toContain("Basis: computed from the whole file");
    // The commit message (from listCommits) reached the claims checks.
    expect(body.body).toContain("2.67x throughput improvement");
    expect(body.comments).toEqual([
      {
        path: KCONFIG,
        line: LAZY_LINE,
        side: "RIGHT",
        body: expect.stringMatching(/^<!-- iommu-review:fingerprint=[0-9a-f]{16} -->\n\*\*warning: /),
      },
    ]);
    expect(KCONFIG_HEAD.split("\n")[LAZY_LINE - 1]).toBe(
      "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64",
    );

    expect(check.body).toEqual({
      name: "iommu-review",
      head_sha: HEAD_SHA,
      status: "completed",
      conclusion: "action_required",
      external_id: expect.stringMatching(/^iommu-review:[0-9a-f]{32}$/),
      details_url: "https://github.com/kernel-fork/linux/pull/7",
      output: {
        title: "1 warning",
        summary: expect.stringMatching(/^## iommu-review\n/),
        annotations: [
          {
            path: KCONFIG,
            start_line: LAZY_LINE,
            end_line: LAZY_LINE,
            annotation_level: "warning",
            title: "Per-architecture default of the IOMMU default domain type changes",
            message: expect.stringContaining("arm64"),
          },
        ],
      },
    });
    expect(reports.map((r) => r.outcome)).toEqual([
      {
        kind: "reviewed",
        findings: 1,
        check: "created",
        posted: {
          summary: "created",
          commentsCreated: 1,
          commentsUpdated: 0,
          commentsDeleted: 0,
          commentsResolved: 0,
        },
      },
    ]);
    expect(ARM64_MESSAGE.startsWith("iommu: Default to lazy DMA mode on ARM64\n\n")).toBe(true);
  });

  test("a PR that touches nothing watched costs one listing call and posts nothing", async () => {
    const { probot, reports } = await loadApp();
    const scope = nock(API);
    mock.token(scope);
    mock.files(scope, [
      {
        filename: "Documentation/admin-guide/README.rst",
        status: "modified",
        patch: "@@ -1 +1 @@\n-a\n+b",
        changes: 2,
      },
      { filename: "scripts/checkpatch.pl", status: "modified", patch: "@@ -1 +1 @@\n-a\n+b", changes: 2 },
    ]);

    await receive(probot, "delivery-2", pullRequestPayload());

    expectNockDone(scope);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.apiCalls).toBe(1);
    expect(reports[0]!.outcome).toEqual({ kind: "skipped", reason: "touches nothing the rules watch" });
  });

  test("a draft is skipped after the config says drafts: false (the default), and reviewed when it says true", async () => {
    const { probot, reports } = await loadApp();
    const scope = nock(API);
    mock.token(scope);
    mock.files(scope);
    mock.noConfig(scope);

    await receive(probot, "delivery-3", pullRequestPayload({ draft: true }));

    expectNockDone(scope);
    expect(reports[0]!.outcome).toEqual({ kind: "skipped", reason: "draft pull request (drafts: false)" });

    const review = capture<ReviewRequest>();
    const again = nock(API);
    mock.files(again);
    mock.config(again, "drafts: true\n");
    mock.commits(again);
    mock.kconfigAt(again, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(again, HEAD_SHA, KCONFIG_HEAD);
    mock.noReviews(again);
    again.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
    mock.noCheckRuns(again);
    again.post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });

    await receive(probot, "delivery-4", pullRequestPayload({ draft: true, action: "synchronize" }));

    expectNockDone(again);
    expect(review.body!.comments).toHaveLength(1);
  });

  test("an edit of anything but title, body or base makes no API call", async () => {
    const { probot, reports } = await loadApp();
    const scope = nock(API);

    await receive(
      probot,
      "delivery-5",
      pullRequestPayload({ action: "edited", changes: { milestone: { from: null } } }),
    );

    expectNockDone(scope);
    expect(reports.map((r) => [r.outcome.kind, r.apiCalls])).toEqual([["ignored", 0]]);
  });

  test("a title edit re-runs the review, and the new title reaches the summary", async () => {
    const { probot } = await loadApp();
    const review = capture<ReviewRequest>();
    const scope = nock(API);
    mock.token(scope);
    mock.arm64Gather(scope);
    scope.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });

    await receive(
      probot,
      "delivery-6",
      pullRequestPayload({
        action: "edited",
        title: "[PATCH v2] iommu: Make arm64 lazy",
        changes: { title: { from: "old title" } },
      }),
    );

    expectNockDone(scope);
    expect(review.body!.body).toContain("### \\[PATCH v2\\] iommu: Make arm64 lazy");
  });

  test("the listing's per-file patch is what the inline comment is anchored on", () => {
    expect(ARM64.files).toEqual([
      expect.objectContaining({ filename: KCONFIG, status: "modified", additions: 1, deletions: 1 }),
    ]);
  });
});
