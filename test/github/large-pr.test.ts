import { describe, expect, test } from "@jest/globals";
import nock from "nock";
import {
  API,
  ARM64_PATCH,
  BASE_SHA,
  capture,
  expectNockDone,
  HEAD_SHA,
  KCONFIG,
  KCONFIG_BASE,
  KCONFIG_HEAD,
  loadApp,
  mock,
  offlineNock,
  PULL_PATH,
  pullRequestPayload,
  REPO_PATH,
  receive,
} from "./helpers.js";

offlineNock();

const doc = (i: number) => ({
  filename: `Documentation/notes/note-${i}.rst`,
  status: "modified",
  patch: "@@ -1 +1 @@\n-old\n+new",
  changes: 2,
});

const OLD_DEFCONFIG = "arch/arm64/configs/old_defconfig";
const DEFCONFIG = "arch/arm64/configs/server_defconfig";
const DEFCONFIG_BASE =
  "CONFIG_SMP=y\nCONFIG_PCI=y\nCONFIG_ARM_SMMU_V3=y\nCONFIG_VIRTIO_IOMMU=y\nCONFIG_NET=y\n";
const DEFCONFIG_HEAD =
  "CONFIG_SMP=y\nCONFIG_PCI=y\nCONFIG_ARM_SMMU_V3=y\nCONFIG_IOMMU_DEFAULT_DMA_LAZY=y\nCONFIG_VIRTIO_IOMMU=y\nCONFIG_NET=y\n";
const RENAMED_DEFCONFIG = {
  filename: DEFCONFIG,
  previous_filename: OLD_DEFCONFIG,
  status: "renamed",
  patch:
    "@@ -1,5 +1,6 @@\n CONFIG_SMP=y\n CONFIG_PCI=y\n CONFIG_ARM_SMMU_V3=y\n+CONFIG_IOMMU_DEFAULT_DMA_LAZY=y\n CONFIG_VIRTIO_IOMMU=y\n CONFIG_NET=y",
  changes: 1,
};
/** Too large for GitHub's per-file patch: the listing has the file but no `patch`. */
const KCONFIG_WITHOUT_PATCH = { filename: KCONFIG, status: "modified", changes: 2 };
const DIFF = ARM64_PATCH.slice(ARM64_PATCH.indexOf("diff --git ")).replace(/\n-- \n[\s\S]*$/, "\n");

function pages(scope: nock.Scope, all: unknown[]) {
  const count = Math.ceil(all.length / 100);
  for (let page = 1; page <= count; page++) {
    const query = page === 1 ? { per_page: "100" } : { per_page: "100", page: String(page) };
    const next = `<${API}${PULL_PATH}/files?per_page=100&page=${page + 1}>; rel="next"`;
    scope
      .get(`${PULL_PATH}/files`)
      .query(query)
      .reply(200, all.slice((page - 1) * 100, page * 100), page < count ? { link: next } : {});
  }
}

interface ReviewRequest {
  body: string;
  comments: { path: string; line: number; side: string; body: string }[];
}

describe("large pull requests", () => {
  test("follows every page, fetches the diff for a file without patch, and handles a renamed defconfig", async () => {
    const { probot, reports } = await loadApp();
    const files = [
      ...Array.from({ length: 100 }, (_, i) => doc(i)),
      ...Array.from({ length: 60 }, (_, i) => doc(100 + i)),
      KCONFIG_WITHOUT_PATCH,
      RENAMED_DEFCONFIG,
      ...Array.from({ length: 88 }, (_, i) => doc(200 + i)),
    ];
    const review = capture<ReviewRequest>();
    const scope = nock(API);
    mock.token(scope);
    pages(scope, files);
    mock.noConfig(scope);
    scope
      .get(PULL_PATH)
      .matchHeader("accept", /application\/vnd\.github\.v3\.diff/)
      .reply(200, DIFF, { "content-type": "text/plain" });
    mock.commits(scope);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
    scope
      .get(`${REPO_PATH}/contents/${encodeURIComponent(OLD_DEFCONFIG)}`)
      .query({ ref: BASE_SHA })
      .reply(200, DEFCONFIG_BASE)
      .get(`${REPO_PATH}/contents/${encodeURIComponent(DEFCONFIG)}`)
      .query({ ref: HEAD_SHA })
      .reply(200, DEFCONFIG_HEAD);
    mock.noReviews(scope);
    scope.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });

    await receive(probot, "delivery-1", pullRequestPayload({ changedFiles: files.length }));

    expectNockDone(scope);
    expect(reports[0]!.outcome).toMatchObject({ kind: "reviewed", findings: 2 });
    // The defconfig has GitHub's patch, so it gets the inline comment; the Kconfig finding folds into the summary.
    expect(review.body!.comments).toEqual([
      { path: DEFCONFIG, line: 4, side: "RIGHT", body: expect.stringContaining("arm64") },
    ]);
    expect(review.body!.body).toContain(
      "**Not commented inline** (see above)\n- `drivers/iommu/Kconfig:99` warning: Per-architecture default of the IOMMU default domain type changes (GitHub shows no diff for this file)",
    );
  });

  test("when GitHub refuses the diff too, the file is named as not reviewed", async () => {
    const { probot } = await loadApp();
    const check = capture<{ conclusion: string; output: { summary: string } }>();
    const scope = nock(API);
    mock.token(scope);
    mock.files(scope, [KCONFIG_WITHOUT_PATCH]);
    mock.noConfig(scope);
    scope
      .get(PULL_PATH)
      .reply(406, { message: "Sorry, the diff exceeded the maximum number of files (300)." });
    mock.commits(scope);
    mock.noReviews(scope);
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 2 });

    await receive(probot, "delivery-2", pullRequestPayload());

    expectNockDone(scope);
    expect(check.body!.conclusion).toBe("success");
    expect(check.body!.output.summary).toContain(
      "**Files not reviewed**\n- `drivers/iommu/Kconfig`: GitHub provides no diff for it",
    );
  });

  test("over GitHub's 3000-file listing cap, the summary says how many files were not reviewed", async () => {
    const { probot } = await loadApp();
    const files = [
      { filename: KCONFIG, status: "modified", patch: DIFF.slice(DIFF.indexOf("@@")).trimEnd(), changes: 2 },
      ...Array.from({ length: 2999 }, (_, i) => doc(i)),
    ];
    const review = capture<ReviewRequest>();
    const scope = nock(API);
    mock.token(scope);
    pages(scope, files);
    mock.noConfig(scope);
    mock.commits(scope);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
    mock.noReviews(scope);
    scope.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`).reply(201, { id: 2 });

    await receive(probot, "delivery-3", pullRequestPayload({ changedFiles: 3120 }));

    expectNockDone(scope);
    expect(review.body!.comments).toHaveLength(1);
    expect(review.body!.body).toContain(
      "GitHub lists at most 3000 files of a pull request; this one changes 3120, so 120 were not reviewed.",
    );
  });
});
