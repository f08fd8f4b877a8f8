// `iommu-review serve` in-process: its refusals, and --dry-run printing instead of writing.

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, test } from "@jest/globals";
import { serveCommand } from "../../src/cli/serve.js";
import { patchMail, RULES_DIR, SECRET, signedPost, tempDir, waitFor } from "./helpers.js";

const dir = tempDir();
afterAll(() => dir.remove());

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function run(argv: string[], env: NodeJS.ProcessEnv = { IOMMU_REVIEW_WEBHOOK_SECRET: SECRET }) {
  const out = sink();
  const err = sink();
  const code = await serveCommand(argv, { env, stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe("refusals", () => {
  test("without the webhook secret it does not start", async () => {
    const res = await run(["--db", join(dir.path, "a.sqlite")], {});
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("set IOMMU_REVIEW_WEBHOOK_SECRET");
  });

  test("SMTP needs a policy that names the bot's real From", async () => {
    const res = await run(["--smtp", "smtp://127.0.0.1:1", "--rules", RULES_DIR]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--smtp needs a policy file with from:");
  });

  test("a bad policy file is reported with its name and field", async () => {
    const file = join(dir.path, "bad.yml");
    writeFileSync(file, "defaults:\n  reply_to: everybody\n");
    const res = await run(["--policy", file, "--rules", RULES_DIR]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(`${file}: defaults.reply_to: `);
  });

  test("bad flags are usage errors", async () => {
    expect((await run(["--port", "http"])).stderr).toContain("--port must be a whole number");
    expect((await run(["--patchwork-project", "x"])).stderr).toContain("need --patchwork-url");
    expect((await run(["--help"])).code).toBe(0);
  });
});

test("--dry-run prints the reply it would send and writes no outbox", async () => {
  const out = sink();
  const stop = new AbortController();
  const outbox = join(dir.path, "dry-outbox");
  const running = serveCommand(
    [
      "--port",
      "0",
      "--dry-run",
      "--db",
      join(dir.path, "dry.sqlite"),
      "--outbox",
      outbox,
      "--rules",
      RULES_DIR,
    ],
    {
      env: { IOMMU_REVIEW_WEBHOOK_SECRET: SECRET },
      stdout: out.stream,
      stderr: sink().stream,
      signal: stop.signal,
    },
  );
  const url = await waitFor(() => /listening on (\S+)/.exec(out.text())?.[1], "the server to listen");
  expect(out.text()).toContain("delivery: dry run");
  expect((await signedPost(url, patchMail({ messageId: "dry-1@example.org" }))).status).toBe(202);
  await waitFor(() => out.text().includes("=== end ==="), "the printed reply");
  stop.abort();
  expect(await running).toBe(0);
  expect(out.text()).toContain("=== dry run: would mail ada@example.org (outbox #1) ===");
  expect(out.text()).toContain("In-Reply-To: <dry-1@example.org>");
  expect(existsSync(outbox)).toBe(false);
});

test("a journal that cannot be opened is reported, not thrown", async () => {
  const res = await run(["--db", join(dir.path, "no/such/dir/j.sqlite"), "--rules", RULES_DIR]);
  expect(res.code).toBe(2);
  expect(res.stderr).toContain("--db ");
});

describe("--secret-file", () => {
  test("a missing or empty file is one line naming the file", async () => {
    const missing = join(dir.path, "no-such-secret");
    const res = await run(["--secret-file", missing, "--rules", RULES_DIR], {});
    expect(res).toMatchObject({ code: 2, stderr: `iommu-review serve: --secret-file ${missing}: ENOENT\n` });
    const empty = join(dir.path, "empty-secret");
    writeFileSync(empty, "\n");
    expect((await run(["--secret-file", empty], {})).stderr).toContain("the file is empty");
  });

  test("the file's first line signs requests, and refusals are logged as JSON in production", async () => {
    const file = join(dir.path, "secret");
    writeFileSync(file, "from-a-file\n");
    const out = sink();
    const err = sink();
    const stop = new AbortController();
    const running = serveCommand(
      ["--port", "0", "--secret-file", file, "--db", join(dir.path, "sf.sqlite"), "--rules", RULES_DIR],
      {
        env: { NODE_ENV: "production", IOMMU_REVIEW_WEBHOOK_SECRET: SECRET },
        stdout: out.stream,
        stderr: err.stream,
        signal: stop.signal,
      },
    );
    const url = await waitFor(() => /listening on (\S+)/.exec(out.text())?.[1], "the server to listen");
    const mail = patchMail({ messageId: "sf-1@example.org" });
    expect((await signedPost(url, mail, "message/rfc822", SECRET)).status).toBe(401);
    expect((await signedPost(url, mail, "message/rfc822", "from-a-file")).status).toBe(202);
    stop.abort();
    expect(await running).toBe(0);
    const lines = err
      .text()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        status: 401,
        reason: "signature does not match the body and the shared secret",
        remote: "127.0.0.1",
      }),
    );
    expect(err.text()).not.toContain("Subject:");
  });
});
