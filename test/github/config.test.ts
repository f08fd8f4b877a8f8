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

interface CheckRequest {
  conclusion: string;
  output: { title: string; summary: string; annotations: { annotation_level: string }[] };
}

/** Listing, config, commits and the two Kconfig reads: the part every reviewed event starts with. */
function gatherMocks(scope: nock.Scope, yaml: string) {
  mock.token(scope);
  mock.files(scope);
  mock.config(scope, yaml);
  mock.commits(scope);
  mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
  mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
}

describe(".github/iommu-review.yml", () => {
  test("severity override, conclusion policy and comment mode: one issue comment, a failure-level annotation", async () => {
    const { probot } = await loadApp();
    const comment = capture<{ body: string }>();
    const check = capture<CheckRequest>();
    const scope = nock(API);
    gatherMocks(
      scope,
      "severity:\n  iommu-default-domain-choice: error\nconclusion:\n  error: action_required\nmode: comment\n",
    );
    scope.get(`/repos/kernel-fork/linux/issues/7/comments`).query({ per_page: "100" }).reply(200, []);
    scope.post(`/repos/kernel-fork/linux/issues/7/comments`, comment.match).reply(201, { id: 3 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 4 });

    await receive(probot, "delivery-1", pullRequestPayload());

    expectNockDone(scope);
    expect(comment.body!.body).toMatch(/^<!-- iommu-review:summary -->\n## iommu-review/);
    expect(comment.body!.body).toContain("#### error: Per-architecture default");
    expect(check.body!.conclusion).toBe("action_required");
    expect(check.body!.output.title).toBe("1 error");
    expect(check.body!.output.annotations.map((a) => a.annotation_level)).toEqual(["failure"]);
  });

  test("disabled rules and ignored paths leave nothing watched: skipped without posting", async () => {
    for (const yaml of [
      "rules:\n  disabled: [iommu-default-domain-choice, iommu-dma-arch-list, arch-conditional-kconfig-default, iommu-enable-default-in-kconfig]\n",
      "ignorePaths:\n  - drivers/iommu/**\n",
      "rules:\n  enabled: [iommu-strictness-in-c]\n",
    ]) {
      const { probot, reports } = await loadApp();
      const scope = nock(API);
      mock.token(scope);
      mock.files(scope);
      mock.config(scope, yaml);

      await receive(probot, "delivery-2", pullRequestPayload());

      expectNockDone(scope);
      expect(reports[0]!.outcome).toEqual({
        kind: "skipped",
        reason: "touches nothing the enabled rules watch",
      });
    }
  });

  test("check-only mode posts the check run and never reads or writes reviews", async () => {
    const { probot } = await loadApp();
    const check = capture<CheckRequest>();
    const scope = nock(API);
    gatherMocks(scope, "mode: check-only\nconclusion:\n  warning: failure\n");
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 4 });

    await receive(probot, "delivery-3", pullRequestPayload());

    expectNockDone(scope);
    expect(check.body!.conclusion).toBe("failure");
    expect(check.body!.output.annotations).toHaveLength(1);
  });

  test("maxInlineComments: 0 folds the finding into the summary with the reason", async () => {
    const { probot } = await loadApp();
    const review = capture<{ body: string; comments: unknown[] }>();
    const scope = nock(API);
    gatherMocks(scope, "maxInlineComments: 0\n");
    mock.noReviews(scope);
    scope.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 4 });

    await receive(probot, "delivery-4", pullRequestPayload());

    expectNockDone(scope);
    expect(review.body!.comments).toEqual([]);
    expect(review.body!.body).toContain(
      `- \`drivers/iommu/Kconfig:${LAZY_LINE}\` warning: Per-architecture default of the IOMMU default domain type changes (over the limit of 0 inline comments per run)`,
    );
  });

  test.each([
    ["an unknown value", "mode: loud\n", "- mode: Invalid option"],
    ["an unknown key", "mode: review\nmaxComments: 3\n", '- Unrecognized key: "maxComments"'],
    [
      "an unknown rule id",
      "severity:\n  no-such-rule: error\n",
      '- severity: unknown rule id "no-such-rule"',
    ],
    ["an over-limit cap", "maxInlineComments: 100\n", "- maxInlineComments: Too big"],
    ["YAML that does not parse", "rules: [unclosed\n", "(invalid YAML)"],
  ])(
    "invalid config (%s) gets a check run that says what is wrong, and no review",
    async (_what, yaml, expected) => {
      const { probot, reports } = await loadApp();
      const check = capture<CheckRequest>();
      const scope = nock(API);
      mock.token(scope);
      mock.files(scope);
      mock.config(scope, yaml);
      mock.noCheckRuns(scope);
      scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 4 });

      await receive(probot, "delivery-5", pullRequestPayload());

      expectNockDone(scope);
      expect(reports[0]!.outcome.kind).toBe("invalid-config");
      expect(check.body!.conclusion).toBe("action_required");
      expect(check.body!.output.title).toBe("Invalid .github/iommu-review.yml");
      expect(check.body!.output.summary).toContain(expected);
    },
  );
});
