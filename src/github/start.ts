// `npm start`: the GitHub App as a service. Unlike `probot run`, it checks the credentials first (one line and exit
// status 2 when one is missing or wrong, never a stack trace) and stops cleanly on SIGTERM or SIGINT: no new
// connections, the deliveries in progress and the events still queued finish, the mail pipeline stops, all
// within IOMMU_REVIEW_SHUTDOWN_SECONDS (default 25). package.json runs it with `exec`, so the signal reaches it.

import { existsSync } from "node:fs";
import { type ApplicationFunction, run } from "probot";
import { PipelineConfigError } from "../mirror/assemble.js";
import { createLog, logFormatOf } from "../mirror/log.js";
import { runShutdown } from "../mirror/shutdown.js";
import { CredentialError, checkCredentials, verifyWithGitHub } from "./credentials.js";
import { KeyedQueue } from "./dedupe.js";
import { shippedApp } from "./index.js";

export const SHUTDOWN_ENV = "IOMMU_REVIEW_SHUTDOWN_SECONDS";
const DEFAULT_SHUTDOWN_SECONDS = 25;

function fail(message: string): never {
  process.stderr.write(`iommu-review: ${message.split("\n")[0]}\n`);
  process.exit(2);
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const shutdownSeconds = Number(env[SHUTDOWN_ENV] ?? DEFAULT_SHUTDOWN_SECONDS);
  if (!Number.isFinite(shutdownSeconds) || shutdownSeconds < 0) {
    fail(`${SHUTDOWN_ENV} must be a number of seconds, not '${env[SHUTDOWN_ENV]}'`);
  }
  try {
    checkCredentials(env);
  } catch (e) {
    if (e instanceof CredentialError) fail(e.message);
    throw e;
  }
  const queue = new KeyedQueue();
  const shipped = shippedApp(env, queue);
  const app: ApplicationFunction = async (probot, options) => {
    if (env.APP_ID) await verifyWithGitHub(probot);
    await shipped.app(probot, options);
  };
  const before = new Set(process.listeners("SIGINT"));
  let server: Awaited<ReturnType<typeof run>>;
  try {
    server = await run(app, { env });
  } catch (e) {
    if (e instanceof CredentialError || e instanceof PipelineConfigError) fail(e.message);
    fail(`could not start: ${(e as Error).message}`);
  }
  // Probot's own SIGINT handler exits without waiting for anything; this one replaces it.
  for (const listener of process.listeners("SIGINT")) {
    if (!before.has(listener)) process.off("SIGINT", listener as () => void);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const log = createLog(process.stderr, logFormatOf(env));
    log(`${signal}: stopping; finishing the deliveries and events in hand (at most ${shutdownSeconds} s)`);
    const { unfinished, ms } = await runShutdown(
      [
        { name: "webhook deliveries in progress", run: () => server.stop() },
        { name: "queued pull-request events", run: () => queue.idle() },
        { name: "mail pipeline", run: async () => shipped.mail?.close() },
      ],
      shutdownSeconds * 1000,
    );
    if (unfinished.length === 0) log(`stopped cleanly in ${ms} ms`);
    else log(`stopped after ${ms} ms without waiting for: ${unfinished.join(", ")}`);
    process.exit(0);
  };
  process.once("SIGTERM", () => void stop("SIGTERM"));
  process.once("SIGINT", () => void stop("SIGINT"));
}

start();
