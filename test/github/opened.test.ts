import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import {
  API, ARM64, BASE_SHA, capture, HEAD_SHA, KCONFIG, KCONFIG_BASE, KCONFIG_HEAD, LAZY_LINE, loadApp, mock,
  PULL_PATH, pullRequestPayload, receive, REPO_PATH,
} from "./helpers.js";

beforeEach(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("smoke", () => {
  test("opened", async () => {
    const { probot, reports } = await loadApp();
    const review = capture();
    const check = capture();
    const scope = nock(API);
    mock.token(scope);
    mock.files(scope);
    mock.noConfig(scope);
    mock.commits(scope);
    mock.kconfigAt(scope, BASE_SHA, KCONFIG_BASE);
    mock.kconfigAt(scope, HEAD_SHA, KCONFIG_HEAD);
    mock.noReviews(scope);
    scope.post(`${PULL_PATH}/reviews`, review.match).reply(200, { id: 1 });
    mock.noCheckRuns(scope);
    scope.post(`${REPO_PATH}/check-runs`, check.match).reply(201, { id: 2 });
    await receive(probot, "d1", pullRequestPayload());
    console.log(JSON.stringify(reports, null, 1), LAZY_LINE);
    console.log((review.body as any)?.body);
    console.log(JSON.stringify((review.body as any)?.comments, null, 1));
    console.log(JSON.stringify(check.body, null, 1).slice(0, 3000));
    console.log(scope.pendingMocks());
  });
});
