// The mirror push handler under Probot, with GitHub mocked by nock: the "m" blob of each pushed commit is read
// through the API and journaled; other repositories and branches are ignored.

import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { mirrorPushApp } from "../../src/mirror/github-push.js";
import { Journal } from "../../src/mirror/journal.js";
import { patchMail, pushPayload, tempDir } from "./helpers.js";

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

const API = "https://api.github.com";
const REPO = "/repos/mirror-org/iommu-mirror";
let dir: ReturnType<typeof tempDir>;
let journal: Journal;
let probot: Probot;

beforeAll(() => {
  dir = tempDir();
});
afterAll(() => dir.remove());

beforeEach(async () => {
  nock.disableNetConnect();
  journal = new Journal(join(dir.path, `j-${Date.now()}-${Math.random()}.sqlite`));
  probot = new Probot({
    appId: 123,
    privateKey,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
  await probot.load((app: Probot) =>
    mirrorPushApp(app, { repositories: ["Mirror-Org/iommu-mirror"], accept: (m) => journal.enqueue(m) }),
  );
});
afterEach(() => {
  journal.close();
  nock.cleanAll();
  nock.enableNetConnect();
});
// Leaves no interceptor behind for the next test file in this Jest worker.
afterAll(() => nock.restore());

const receive = (payload: unknown) => probot.receive({ name: "push", id: "1", payload } as never);
const base64 = (text: string) => Buffer.from(text).toString("base64");

describe("mirrorPushApp", () => {
  test("journals the m blob of every pushed commit, skipping a deletion commit; large blobs via the blob API", async () => {
    const scope = nock(API)
      .post("/app/installations/1/access_tokens")
      .reply(200, { token: "test", permissions: { contents: "read" } })
      .get(`${REPO}/contents/m`)
      .query({ ref: "c1".repeat(20) })
      .reply(200, {
        type: "file",
        encoding: "base64",
        content: base64(patchMail({ messageId: "mirror-1@example.org" })),
        sha: "b1",
      })
      .get(`${REPO}/contents/m`)
      .query({ ref: "c2".repeat(20) })
      .reply(404, { message: "Not Found" })
      .get(`${REPO}/contents/m`)
      .query({ ref: "c3".repeat(20) })
      .reply(200, { type: "file", encoding: "none", content: "", sha: "b3" })
      .get(`${REPO}/git/blobs/b3`)
      .reply(200, { encoding: "base64", content: base64(patchMail({ messageId: "mirror-3@example.org" })) });

    await receive(pushPayload());

    expect(scope.pendingMocks()).toEqual([]);
    expect(journal.db.prepare("SELECT message_id, origin FROM messages ORDER BY seq").all()).toEqual([
      { message_id: "mirror-1@example.org", origin: `mirror:mirror-org/iommu-mirror@${"c1".repeat(20)}` },
      { message_id: "mirror-3@example.org", origin: `mirror:mirror-org/iommu-mirror@${"c3".repeat(20)}` },
    ]);
  });

  test("a redelivered push adds nothing new", async () => {
    const mock = () =>
      nock(API)
        .post("/app/installations/1/access_tokens")
        .reply(200, { token: "test" })
        .get(`${REPO}/contents/m`)
        .query(true)
        .reply(200, {
          type: "file",
          encoding: "base64",
          content: base64(patchMail({ messageId: "again@example.org" })),
          sha: "b",
        });
    const payload = pushPayload({ commits: [{ id: "c1".repeat(20) }] });
    mock();
    await receive(payload);
    mock();
    await receive(payload);
    expect(journal.counts().pending).toBe(1);
  });

  test.each([
    [
      "another repository",
      { repository: { ...pushPayload().repository, full_name: "someone/else", name: "else" } },
    ],
    ["another branch", { ref: "refs/heads/scratch" }],
    ["a tag", { ref: "refs/tags/v1" }],
    ["a branch deletion", { deleted: true }],
  ])("ignores a push to %s without calling GitHub", async (_, over) => {
    await receive(pushPayload(over));
    expect(journal.counts().pending).toBe(0);
  });
});
