// The shipped App (src/github/index.ts) with its mail side, on the real Probot server (probot's run(), as
// `npm start` uses it) on loopback. GitHub is mocked with nock at the HTTP boundary; the journal and the Maildir
// outbox are real files in a temporary folder.

import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Probot, run, type Server } from "probot";
import { type ShippedApp, shippedApp } from "../../src/github/index.js";
import { exitOnConfigError, readMailSideConfig } from "../../src/github/mail-side.js";
import { signBody } from "../../src/mirror/signature.js";
import {
  SECRET as INTAKE_SECRET,
  patchMail,
  pushPayload,
  readMaildir,
  signedPost,
  tempDir,
  waitFor,
} from "../mirror/helpers.js";
import { API, ARM64_PATCH, freePort, mock, PRIVATE_KEY, TestOctokit } from "./helpers.js";

const GITHUB_SECRET = "mail-side-github-webhook-secret";
const MIRROR_PATH = "/repos/mirror-org/iommu-mirror";
const ARM64_ID = "20260402200500.4242-1-lee.lazyman@example.org";
const SHA = "e4".repeat(20);
const EXAMPLE_POLICY = fileURLToPath(new URL("../../examples/policy.yml", import.meta.url));

interface RunningApp {
  shipped: ShippedApp;
  server: Server;
  base: string;
}

const running: RunningApp[] = [];
const unmatched: string[] = [];
const dir = tempDir();

async function startApp(mailEnv: NodeJS.ProcessEnv): Promise<RunningApp> {
  const port = await freePort();
  const shipped = shippedApp(mailEnv);
  const server = await run(shipped.app, {
    env: {
      APP_ID: "123",
      PRIVATE_KEY,
      WEBHOOK_SECRET: GITHUB_SECRET,
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "fatal",
      NO_SMEE_SETUP: "true",
    },
    Octokit: TestOctokit,
  });
  const app = { shipped, server, base: `http://127.0.0.1:${port}` };
  running.push(app);
  return app;
}

function deliverPush(app: RunningApp, delivery: string, payload: unknown): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${app.base}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": delivery,
      "x-hub-signature-256": signBody(GITHUB_SECRET, body),
    },
    body,
  });
}

function replyTo(outbox: string, messageId: string) {
  return readMaildir(outbox).find((m) => m.headers.get("in-reply-to") === `<${messageId}>`);
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
  nock.emitter.on("no match", (req: { method?: string; hostname?: string; host?: string; path?: string }) => {
    const host = req.hostname ?? req.host ?? "";
    if (!host.startsWith("127.0.0.1")) unmatched.push(`${req.method} ${host}${req.path}`);
  });
});

afterAll(async () => {
  for (const app of running) {
    await app.server.stop();
    await app.shipped.mail?.close();
  }
  dir.remove();
  nock.cleanAll();
  nock.enableNetConnect();
  // Leaves no interceptor behind for the next test file in this Jest worker.
  nock.restore();
});

describe("configured: a mirror repository and POST /patches", () => {
  const db = join(dir.path, "journal.sqlite");
  const outbox = join(dir.path, "outbox");
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({
      IOMMU_REVIEW_MIRRORS: "mirror-org/iommu-mirror, someone/other-mirror",
      IOMMU_REVIEW_DB: db,
      IOMMU_REVIEW_OUTBOX: outbox,
      IOMMU_REVIEW_WEBHOOK_SECRET: INTAKE_SECRET,
    });
  });
  afterEach(() => {
    expect(unmatched).toEqual([]);
  });

  test("a push to the mirror journals the m blob of the new commit, which is reviewed and answered in the outbox", async () => {
    const scope = mock
      .token(nock(API))
      .get(`${MIRROR_PATH}/contents/m`)
      .query({ ref: SHA })
      .reply(200, {
        type: "file",
        encoding: "base64",
        content: Buffer.from(ARM64_PATCH).toString("base64"),
        sha: "b1",
      });

    const res = await deliverPush(
      app,
      "push-1",
      pushPayload({ after: SHA, commits: [{ id: SHA, message: "m" }] }),
    );

    expect(res.status).toBe(200);
    expect(scope.pendingMocks()).toEqual([]);
    const journal = app.shipped.mail!.journal;
    expect(journal.db.prepare("SELECT message_id, origin FROM messages").all()).toEqual([
      { message_id: ARM64_ID, origin: `mirror:mirror-org/iommu-mirror@${SHA}` },
    ]);
    const reply = await waitFor(() => replyTo(outbox, ARM64_ID), "the reply in the outbox");
    expect(reply.headers.get("to")).toBe("Lee Lazyman <lee.lazyman@example.org>");
    expect(reply.headers.get("subject")).toBe("Re: [RFC PATCH] iommu: Default to lazy DMA mode on ARM64");
    expect(reply.body).toContain("arm64");
    expect(reply.body).toContain("[iommu-default-domain-choice]");
    expect(journal.db.prepare("SELECT state FROM messages WHERE message_id = ?").get(ARM64_ID)).toEqual({
      state: "done",
    });
  });

  test("a push to a repository that is not a configured mirror calls nothing and journals nothing", async () => {
    const other = pushPayload({
      after: SHA,
      commits: [{ id: SHA, message: "m" }],
      repository: { ...pushPayload().repository, name: "linux", full_name: "kernel-fork/linux" },
    });

    const res = await deliverPush(app, "push-2", other);

    expect(res.status).toBe(200);
    expect(app.shipped.mail!.journal.counts()).toMatchObject({ pending: 0, done: 1 });
  });

  test("a signed POST /patches on the same server is accepted and reviewed", async () => {
    const res = await signedPost(`${app.base}/patches`, patchMail({ messageId: "app-intake-1@example.org" }));

    expect(res).toEqual({
      status: 202,
      json: { messages: [{ messageId: "app-intake-1@example.org", status: "queued" }] },
    });
    const reply = await waitFor(() => replyTo(outbox, "app-intake-1@example.org"), "the reply in the outbox");
    expect(reply.headers.get("to")).toBe("Ada Example <ada@example.org>");
    expect(reply.body).toContain("[iommu-default-domain-choice]");
  });

  test("POST /patches refuses a wrong signature and other methods", async () => {
    const mail = patchMail({ messageId: "app-intake-2@example.org" });
    expect((await signedPost(`${app.base}/patches`, mail, "message/rfc822", "wrong")).status).toBe(401);
    expect((await fetch(`${app.base}/patches`)).status).toBe(405);
    expect(app.shipped.mail!.journal.counts()).toMatchObject({ pending: 0, done: 2 });
  });
});

describe("not configured", () => {
  test("the App serves no /patches and creates no journal", async () => {
    const cwd = tempDir();
    const before = process.cwd();
    process.chdir(cwd.path);
    try {
      const app = await startApp({});
      const mail = patchMail({ messageId: "nobody@example.org" });
      const res = await fetch(`${app.base}/patches`, {
        method: "POST",
        headers: { "content-type": "message/rfc822", "x-hub-signature-256": signBody(INTAKE_SECRET, mail) },
        body: mail,
      });
      expect(res.status).toBe(404);
      expect(app.shipped.mail).toBeUndefined();
      expect(readdirSync(cwd.path)).toEqual([]);
    } finally {
      process.chdir(before);
      cwd.remove();
    }
  });
});

describe("bad configuration", () => {
  test.each([
    [
      { IOMMU_REVIEW_DB: "j.sqlite" },
      "IOMMU_REVIEW_DB is set, but the mail pipeline has no source: set IOMMU_REVIEW_MIRRORS (mirror repositories) or IOMMU_REVIEW_WEBHOOK_SECRET (POST /patches)",
    ],
    [{ IOMMU_REVIEW_MIRRORS: "iommu-mirror" }, "IOMMU_REVIEW_MIRRORS: 'iommu-mirror' is not owner/name"],
    [
      { IOMMU_REVIEW_WEBHOOK_SECRET: "s", IOMMU_REVIEW_MIRROR_BRANCH: "master" },
      "IOMMU_REVIEW_MIRROR_BRANCH is set but IOMMU_REVIEW_MIRRORS is not",
    ],
  ])("%j is refused", (env, message) => {
    expect(() => readMailSideConfig(env)).toThrow(message);
  });

  test.each([
    [
      { IOMMU_REVIEW_SMTP_URL: "smtp://127.0.0.1:1" },
      "IOMMU_REVIEW_SMTP_URL needs a policy file with from: set to the bot's real address (IOMMU_REVIEW_POLICY)",
    ],
    [
      { IOMMU_REVIEW_SMTP_URL: "http://mail.example.org", IOMMU_REVIEW_POLICY: EXAMPLE_POLICY },
      "IOMMU_REVIEW_SMTP_URL: must be an smtp:// or smtps:// URL",
    ],
    [
      { IOMMU_REVIEW_POLICY: "no-such-policy.yml" },
      "IOMMU_REVIEW_POLICY no-such-policy.yml: cannot read policy file",
    ],
  ])("%j ends `npm start` with one line naming the variable, and opens no journal", async (env, message) => {
    const db = join(dir.path, "refused.sqlite");
    const lines: string[] = [];
    const exit = (line: string): never => {
      lines.push(line);
      throw new Error("exit");
    };
    const app = exitOnConfigError(
      shippedApp({ IOMMU_REVIEW_WEBHOOK_SECRET: "s", IOMMU_REVIEW_DB: db, ...env }).app,
      exit,
    );
    const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, logLevel: "fatal" });

    await expect(probot.load(app)).rejects.toThrow("exit");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
    expect(lines[0]).not.toContain("\n");
    expect(existsSync(db)).toBe(false);
  });
});
