import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { run, type Server } from "probot";
import { createApp, type EventReport } from "../../src/github/app.js";
import type { FakeGitHub } from "../../src/github/testing/fake-github.js";
import {
  ARM64_LEGEND,
  ARM64_ROW,
  fakeArm64Pull,
  freePort,
  HEAD_SHA,
  KCONFIG,
  KCONFIG_HEAD,
  LAZY_LINE,
  PR,
  PRIVATE_KEY,
  pullRequestPayload,
  TestOctokit,
} from "./helpers.js";

// The real Probot server (probot's run(), as `npm start` uses it) on a loopback port, talking to a fake GitHub
// on another loopback port through GHE_HOST/GHE_PROTOCOL, receiving signed webhooks over HTTP.

const SECRET = "e2e-webhook-secret";
const SECOND_SHA = "c2".repeat(20);
const REVERT_SHA = "d3".repeat(20);

let fake: FakeGitHub;
let server: Server;
let webhookUrl: string;
const reports: EventReport[] = [];

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

async function deliver(delivery: string, payload: unknown, secret = SECRET): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(webhookUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "pull_request",
      "x-github-delivery": delivery,
      "x-hub-signature-256": sign(body, secret),
    },
    body,
  });
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
  fake = fakeArm64Pull();
  const { host } = await fake.start();
  const port = await freePort();
  webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
  server = await run(createApp({ onEvent: (r) => reports.push(r) }), {
    env: {
      APP_ID: "123",
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "fatal",
      NO_SMEE_SETUP: "true",
    },
    Octokit: TestOctokit,
  });
});

afterAll(async () => {
  await server?.stop();
  await fake?.stop();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe("end to end: Probot server + fake GitHub on loopback", () => {
  test("a bad signature gets 400 and touches nothing", async () => {
    const res = await deliver("bad-1", pullRequestPayload(), "not-the-secret");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("signature does not match");
    expect(fake.requests).toEqual([]);
    expect(reports).toEqual([]);
  });

  test("the ARM64 example gets one review: summary table, inline comment on the default line, and a check run", async () => {
    const res = await deliver("delivery-1", pullRequestPayload());

    expect(res.status).toBe(200);
    expect(fake.reviews).toHaveLength(1);
    const summary = fake.reviews[0]!.body;
    expect(summary).toMatch(/^<!-- iommu-review:summary -->\n## iommu-review\n/);
    expect(summary).toContain(ARM64_ROW);
    expect(summary).toContain(ARM64_LEGEND);
    expect(fake.reviewComments).toHaveLength(1);
    const comment = fake.reviewComments[0]!;
    expect([comment.path, comment.line, comment.side]).toEqual([KCONFIG, LAZY_LINE, "RIGHT"]);
    expect(KCONFIG_HEAD.split("\n")[comment.line - 1]).toBe(
      "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64",
    );
    expect(fake.checkRuns).toEqual([
      expect.objectContaining({
        name: "iommu-review",
        head_sha: HEAD_SHA,
        status: "completed",
        conclusion: "action_required",
      }),
    ]);
    expect(fake.checkRuns[0]!.output.annotations).toHaveLength(1);
  });

  test("the same delivery again (GitHub's redelivery) makes no request at all", async () => {
    fake.clearRequests();
    const res = await deliver("delivery-1", pullRequestPayload());

    expect(res.status).toBe(200);
    expect(fake.requests).toEqual([]);
  });

  test("a second push of the same change posts nothing new (only the new commit's check run)", async () => {
    fake.setPull({ ...fake.pulls.get(PR)!, headSha: SECOND_SHA });
    fake.setFile(SECOND_SHA, KCONFIG, KCONFIG_HEAD);
    const summaryBefore = fake.reviews[0]!.body;
    fake.clearRequests();

    const res = await deliver(
      "delivery-2",
      pullRequestPayload({ action: "synchronize", headSha: SECOND_SHA }),
    );

    expect(res.status).toBe(200);
    expect(fake.writes().map((r) => `${r.method} ${r.path}`)).toEqual([
      "POST /repos/kernel-fork/linux/check-runs",
    ]);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviews[0]!.body).toBe(summaryBefore);
    expect(fake.reviewComments).toHaveLength(1);
    expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([HEAD_SHA, SECOND_SHA]);
  });

  test("a push that reverts the line updates the summary to no findings and removes the inline comment", async () => {
    fake.setPull({ ...fake.pulls.get(PR)!, headSha: REVERT_SHA, files: [] });

    const res = await deliver(
      "delivery-3",
      pullRequestPayload({ action: "synchronize", headSha: REVERT_SHA }),
    );

    expect(res.status).toBe(200);
    expect(fake.reviews).toHaveLength(1);
    expect(fake.reviews[0]!.body).toContain("no findings");
    expect(fake.reviews[0]!.body).not.toContain("arm64");
    expect(fake.reviewComments).toEqual([]);
    expect(fake.checkRuns.at(-1)).toMatchObject({ head_sha: REVERT_SHA, conclusion: "success" });
    expect(reports.map((r) => r.outcome.kind)).toEqual(["reviewed", "duplicate", "reviewed", "reviewed"]);
  });
});
