// `npm start` as an operator runs it: the compiled App in a folder of its own, started by package.json's own
// start script. Missing or wrong credentials end with one line and status 2; SIGTERM sent to npm reaches the App,
// which stops cleanly and frees its port (it is not left running under another parent).

import { type ChildProcess, spawn } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { FakeGitHub } from "../../src/github/testing/fake-github.js";
import { tempDir } from "../mirror/helpers.js";
import { transpileSrc } from "../transpile.js";
import { freePort, PRIVATE_KEY } from "./helpers.js";

const ROOT = join(import.meta.dirname, "../..");
const dir = tempDir("iommu-review-start-");
const github = new FakeGitHub();
let ghHost = "";

beforeAll(async () => {
  transpileSrc(join(dir.path, "lib"));
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  writeFileSync(
    join(dir.path, "package.json"),
    JSON.stringify({ name: "start-test", type: "module", scripts: { start: pkg.scripts.start } }),
  );
  symlinkSync(join(ROOT, "node_modules"), join(dir.path, "node_modules"), "dir");
  symlinkSync(join(ROOT, "rules"), join(dir.path, "rules"), "dir");
  github.app = { id: 4242, publicKey: createPublicKey(PRIVATE_KEY) };
  ghHost = (await github.start()).host;
}, 60_000);

afterAll(async () => {
  await github.stop();
  dir.remove();
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(command: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(command, args, {
    cwd: dir.path,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_SMEE_SETUP: "true", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const appEnv = (over: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  APP_ID: "4242",
  PRIVATE_KEY,
  WEBHOOK_SECRET: "start-test-secret",
  GHE_HOST: ghHost,
  GHE_PROTOCOL: "http",
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
  ...over,
});

describe("credentials", () => {
  const otherKey = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;

  test.each([
    ["no APP_ID in production", { NODE_ENV: "production", APP_ID: "" }, "APP_ID is not set"],
    ["APP_ID not a number", { APP_ID: "my-app" }, "APP_ID must be the App's numeric id, not 'my-app'"],
    ["no key", { PRIVATE_KEY: "" }, "neither PRIVATE_KEY nor PRIVATE_KEY_PATH is"],
    ["a key that is not PEM", { PRIVATE_KEY: "-----BEGIN nonsense" }, "PRIVATE_KEY is not a PEM private key"],
    [
      "a missing key file",
      { PRIVATE_KEY: "", PRIVATE_KEY_PATH: "/nonexistent.pem" },
      "/nonexistent.pem: ENOENT",
    ],
    [
      "no WEBHOOK_SECRET in production",
      { NODE_ENV: "production", WEBHOOK_SECRET: "" },
      "WEBHOOK_SECRET is not set",
    ],
    [
      "a key GitHub does not take for this App",
      { PRIVATE_KEY: otherKey },
      "GitHub refused the App's credentials (HTTP 401)",
    ],
  ])(
    "%s: one line, status 2",
    async (_name, env, message) => {
      const run = launch(
        process.execPath,
        ["lib/github/start.js"],
        appEnv({ PORT: String(await freePort()), ...env }),
      );
      expect(await run.exited).toBe(2);
      const lines = run
        .output()
        .split("\n")
        .filter((l) => l.trim() !== "" && !l.includes('"level":40'));
      expect(lines).toEqual([expect.stringContaining(message)]);
      expect(lines[0]).toMatch(/^iommu-review: /);
    },
    20_000,
  );
});

/** True when something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

async function waitForPing(port: number, run: Run): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/ping`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline || run.child.exitCode !== null)
      throw new Error(`the App did not start:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("the documented REDIS_URL and SENTRY_DSN start (their optional packages are installed)", async () => {
  const redis = await listening(6379);
  if (!redis) console.warn("Redis is not running on 127.0.0.1:6379: REDIS_URL is not tried, only SENTRY_DSN");
  const port = await freePort();
  const run = launch(
    process.execPath,
    ["lib/github/start.js"],
    appEnv({
      PORT: String(port),
      // A DSN on a closed loopback port: Sentry loads and initialises, and sends nothing anywhere.
      SENTRY_DSN: "http://public@127.0.0.1:9/1",
      ...(redis && { REDIS_URL: "redis://127.0.0.1:6379" }),
    }),
  );
  await waitForPing(port, run);
  run.child.kill("SIGTERM");
  expect(await run.exited).toBe(0);
  expect(run.output()).not.toMatch(/Cannot find package/);
}, 40_000);

test("SIGTERM to `npm start` reaches the App: it stops cleanly and its port is free; production logs are JSON", async () => {
  const port = await freePort();
  const run = launch(
    "npm",
    ["start"],
    appEnv({ PORT: String(port), NODE_ENV: "production", LOG_LEVEL: "info" }),
  );
  const ping = () =>
    fetch(`http://127.0.0.1:${port}/ping`).then(
      (r) => r.status,
      () => 0,
    );
  await waitForPing(port, run);
  expect(github.requests.some((r) => r.method === "GET" && r.path === "/app")).toBe(true);
  run.child.kill("SIGTERM");
  await run.exited;
  expect(run.output()).toMatch(/SIGTERM: stopping/);
  expect(run.output()).toMatch(/stopped cleanly in \d+ ms/);
  expect(await ping()).toBe(0);
  // Everything but npm's own banner ("> start-test start") is a JSON object per line.
  const logged = run
    .output()
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith(">"));
  const parsed = logged.map((l) => JSON.parse(l) as { msg: string });
  expect(parsed.map((l) => l.msg)).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^Listening on/),
      expect.stringMatching(/^stopped cleanly/),
    ]),
  );
}, 40_000);
