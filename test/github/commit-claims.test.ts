// On a pull request of several commits the commit-message check reads the commits that introduce the
// findings, not every commit: a superseded commit's benchmark claims are not checked against the change.

import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import { messagesIntroducing } from "../../src/github/commit-claims.js";
import type { Finding } from "../../src/model.js";
import * as gh from "./helpers.js";

gh.offlineNock();

const LAZY = "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64";
const SUPERSEDED = "iommu: first try\n\nThis gives a 9.99x throughput improvement on my laptop.\n";

const finding = (path: string, added: string[]): Finding =>
  ({
    path,
    quote: added.map((text) => ({ kind: "add", text })),
  }) as unknown as Finding;

describe("messagesIntroducing", () => {
  const first = { message: "one", added: new Map([[gh.KCONFIG, ["default IOMMU_DEFAULT_DMA_LAZY if X86"]]]) };
  const second = { message: "two", added: new Map([[gh.KCONFIG, [LAZY.trim()]]]) };
  test("the latest commit that adds the finding's lines", () => {
    expect(messagesIntroducing([finding(gh.KCONFIG, [LAZY])], [first, second])).toEqual(["two"]);
    expect(
      messagesIntroducing([finding(gh.KCONFIG, ["default IOMMU_DEFAULT_DMA_LAZY if X86"])], [first, second]),
    ).toEqual(["one"]);
  });
  test("a single commit, or commits whose lines are unknown: undefined (every message is read)", () => {
    expect(messagesIntroducing([finding(gh.KCONFIG, [LAZY])], [second])).toBeUndefined();
    expect(messagesIntroducing([finding(gh.KCONFIG, [LAZY])], [{ message: "x" }, second])).toBeUndefined();
  });
});

interface ReviewRequest {
  body: string;
}

test("a pull request of two commits: only the commit that adds the changed line has its claims checked", async () => {
  const { probot } = await gh.loadApp();
  const review = gh.capture<ReviewRequest>();
  const scope = nock(gh.API);
  gh.mock.token(scope);
  gh.mock.files(scope);
  gh.mock.noConfig(scope);
  gh.mock.commits(scope, [SUPERSEDED, gh.ARM64_MESSAGE]);
  scope
    .get(`${gh.REPO_PATH}/commits/c0`)
    .reply(200, {
      files: [
        { filename: gh.KCONFIG, patch: "@@ -99 +99 @@\n-x\n+\tdefault IOMMU_DEFAULT_DMA_LAZY if ARM64" },
      ],
    })
    .get(`${gh.REPO_PATH}/commits/c1`)
    .reply(200, { files: [{ filename: gh.KCONFIG, patch: `@@ -99 +99 @@\n-x\n+${LAZY}` }] });
  gh.mock.kconfigAt(scope, gh.BASE_SHA, gh.KCONFIG_BASE);
  gh.mock.kconfigAt(scope, gh.HEAD_SHA, gh.KCONFIG_HEAD);
  gh.mock.noReviews(scope);
  scope.post(`${gh.PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
  gh.mock.noCheckRuns(scope);
  scope.post(`${gh.REPO_PATH}/check-runs`).reply(201, { id: 2 });

  await gh.receive(probot, "delivery-commits", gh.pullRequestPayload());

  gh.expectNockDone(scope);
  expect(review.body!.body).toContain("2.67x throughput improvement");
  expect(review.body!.body).not.toContain("9.99x");
});
