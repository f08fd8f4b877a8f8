// `iommu-review serve`: the mail pipeline as a standalone server. Safe by default: replies go to a Maildir
// outbox, nothing is mailed unless --smtp is given, nothing is posted to Patchwork without a token, and --dry-run
// prints instead of writing anything.

import { readFileSync } from "node:fs";
import {
  type AssembledPipeline,
  assemblePipeline,
  DEFAULT_DB,
  DEFAULT_OUTBOX,
  PipelineConfigError,
  SECRET_ENV,
  SMTP_ENV,
} from "../mirror/assemble.js";
import { DEFAULT_MAX_BODY_BYTES } from "../mirror/intake.js";
import { createLog, logFormatOf } from "../mirror/log.js";
import { PipelineMetrics } from "../mirror/metrics.js";
import type { CheckSink } from "../mirror/outbox-dispatcher.js";
import { PatchworkClient } from "../mirror/patchwork-client.js";
import { PatchworkPoller } from "../mirror/patchwork-poller.js";
import { PatchworkReporter } from "../mirror/patchwork-reporter.js";
import { PublicInboxFeed } from "../mirror/public-inbox-feed.js";
import { DEFAULT_READY_MAX_WAIT_MS } from "../mirror/readiness.js";
import { createMailServer, listen } from "../mirror/server.js";
import { closeServer, runShutdown } from "../mirror/shutdown.js";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { loadRules, type Rule, RuleLoadError } from "../rules/load.js";
import { parseOptions, UsageError } from "./args.js";

export const PATCHWORK_TOKEN_ENV = "IOMMU_REVIEW_PATCHWORK_TOKEN";

export const DEFAULT_SHUTDOWN_SECONDS = 20;

export const SERVE_USAGE = `Usage: iommu-review serve [options]

Receives patches by HTTP (POST /patches, signed with the shared secret), reviews them and writes
threaded replies to a Maildir outbox. Nothing is mailed unless --smtp is given. Also serves
GET /healthz (liveness), GET /readyz (readiness) and GET /metrics (Prometheus).

Options:
  --port N                 port to listen on (default 8080)
  --host ADDR              address to listen on (default 127.0.0.1)
  --db FILE                SQLite journal (default iommu-review.sqlite)
  --outbox DIR             Maildir for replies (default outbox)
  --policy FILE            mail policy (YAML); see docs/mail-pipeline.md
  --rules DIR              rules folder (default: the rules shipped with iommu-review)
  --smtp URL               send replies by SMTP (smtp://host:587, smtps://...); or set ${SMTP_ENV}
  --dry-run                print the mails and checks that would be sent; write and post nothing
  --max-body-bytes N       largest accepted request body (default ${DEFAULT_MAX_BODY_BYTES})
  --secret-file FILE       read the shared secret from this file (else from ${SECRET_ENV})
  --shutdown-seconds N     on SIGTERM/SIGINT, wait at most this long for work in hand (default ${DEFAULT_SHUTDOWN_SECONDS})
  --ready-max-wait-seconds N  /readyz fails when work has waited longer (default ${DEFAULT_READY_MAX_WAIT_MS / 1000})
  --patchwork-url URL      Patchwork instance, e.g. https://patchwork.kernel.org
  --patchwork-token TOKEN  post checks (context iommu-review); better: set ${PATCHWORK_TOKEN_ENV}
  --patchwork-project P    poll this project's patch-created events into the journal
  --patchwork-poll-seconds N  poll interval (default 300)
  --patchwork-target-url T target_url of checks; {msgid} is replaced by the patch's Message-Id
  --public-inbox DIR       also read new messages from this public-inbox git clone (repeatable)
  --public-inbox-seconds N how often to look at the clones (default 60)
  -h, --help               show this help

The secret is never taken from the command line, so that it never shows in a process list. Logs go to
stderr, as JSON when LOG_FORMAT=json or NODE_ENV=production.`;

export interface ServeIo {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Stops the server (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

interface ServeOptions {
  port: number;
  host: string;
  db: string;
  outbox: string;
  policy?: string;
  rules?: string;
  smtp?: string;
  dryRun: boolean;
  maxBodyBytes: number;
  secretFile?: string;
  shutdownSeconds: number;
  readyMaxWaitSeconds: number;
  patchworkUrl?: string;
  patchworkToken?: string;
  patchworkProject?: string;
  patchworkPollSeconds: number;
  patchworkTargetUrl?: string;
  publicInbox: string[];
  publicInboxSeconds: number;
  help: boolean;
}

export async function serveCommand(argv: string[], io: ServeIo = {}): Promise<number> {
  const env = io.env ?? process.env;
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (message: string) => {
    stderr.write(`iommu-review serve: ${message}\n`);
    return 2;
  };
  let opts: ServeOptions;
  try {
    opts = parseServeArgs(argv, env);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message}\nTry 'iommu-review serve --help'.`);
    throw e;
  }
  if (opts.help) {
    stdout.write(`${SERVE_USAGE}\n`);
    return 0;
  }
  const secret = readSecret(opts.secretFile, env);
  if (typeof secret !== "string") return fail(secret.problem);

  let rules: Rule[];
  try {
    rules = loadRules(opts.rules ?? DEFAULT_RULES_DIR);
  } catch (e) {
    if (e instanceof RuleLoadError) return fail(e.message);
    throw e;
  }

  const log = createLog(stderr, logFormatOf(env));
  const patchwork = opts.patchworkUrl
    ? new PatchworkClient({
        url: opts.patchworkUrl,
        ...(opts.patchworkToken && { token: opts.patchworkToken }),
      })
    : undefined;
  let checks: CheckSink | undefined;
  if (patchwork && opts.patchworkToken) {
    checks = opts.dryRun
      ? dryRunChecks(stdout)
      : new PatchworkReporter(patchwork, {
          ...(opts.patchworkProject && { project: opts.patchworkProject }),
        });
  }

  let assembled: AssembledPipeline | undefined;
  const metrics = new PipelineMetrics(() => {
    if (!assembled) throw new Error("the journal is not open yet");
    return assembled.journal.health();
  });
  try {
    assembled = assemblePipeline({
      rules,
      db: opts.db,
      outbox: opts.outbox,
      ...(opts.policy && { policy: opts.policy }),
      ...(opts.smtp && { smtp: opts.smtp }),
      ...(opts.dryRun && { dryRun: stdout }),
      ...(checks && { checks }),
      ...(opts.patchworkTargetUrl && { checkTargetUrl: opts.patchworkTargetUrl }),
      log,
      metrics,
      names: { db: "--db", outbox: "--outbox", policy: "--policy", smtp: "--smtp" },
    });
  } catch (e) {
    if (e instanceof PipelineConfigError) return fail(e.message);
    throw e;
  }
  const { pipeline, journal, mail } = assembled;
  let draining = false;
  const server = createMailServer(pipeline, {
    secret,
    maxBodyBytes: opts.maxBodyBytes,
    metrics,
    readyMaxWaitMs: opts.readyMaxWaitSeconds * 1000,
    draining: () => draining,
    onRefused: (r) =>
      log.warn(`refused ${r.method} ${r.path} from ${r.remote}: ${r.status} ${r.reason}`, {
        status: r.status,
        reason: r.reason,
        remote: r.remote,
      }),
  });
  const poller =
    patchwork && opts.patchworkProject
      ? new PatchworkPoller({
          client: patchwork,
          project: opts.patchworkProject,
          journal,
          intervalMs: opts.patchworkPollSeconds * 1000,
          onQueued: () => pipeline.worker.wake(),
          onError: (e) => log(`patchwork poll failed: ${(e as Error).message}`),
        })
      : undefined;
  const feeds = opts.publicInbox.map(
    (dir) =>
      new PublicInboxFeed({
        gitDir: dir,
        journal,
        intervalMs: opts.publicInboxSeconds * 1000,
        onQueued: () => pipeline.worker.wake(),
        onError: (e) => log(`public-inbox ${dir}: ${(e as Error).message}`),
      }),
  );

  try {
    await pipeline.start();
    const address = await listen(server, opts.port, opts.host);
    poller?.start();
    for (const feed of feeds) feed.start();
    const delivery = [mail.description, ...(checks ? [checks.description] : [])].join(", ");
    stdout.write(
      `iommu-review serve: listening on http://${address.address}:${address.port}/patches ` +
        `(journal ${opts.db}; delivery: ${delivery})\n`,
    );
  } catch (e) {
    await assembled.close();
    return fail((e as Error).message);
  }

  const fromProcess = await stopRequested(io.signal);
  log(`stopping: no new requests; finishing work in hand (at most ${opts.shutdownSeconds} s)`);
  draining = true;
  const done = assembled;
  const { unfinished, ms } = await runShutdown(
    [
      { name: "requests being read", run: () => closeServer(server) },
      {
        name: "sources",
        run: async () => void (await Promise.all([poller?.stop(), ...feeds.map((f) => f.stop())])),
      },
      { name: "review and delivery in hand", run: () => done.pipeline.stop() },
    ],
    opts.shutdownSeconds * 1000,
  );
  server.closeAllConnections();
  done.journal.close();
  if (unfinished.length === 0) {
    log(`stopped cleanly in ${ms} ms`);
    return 0;
  }
  log.warn(
    `stopped after ${ms} ms without waiting for: ${unfinished.join(", ")}; ` +
      "that work stays in the journal and is taken up again at the next start",
  );
  // Whatever still holds the event loop (a hung SMTP connection) must not hold the process past the bound.
  if (fromProcess) setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}

/** The secret from --secret-file (first line, trimmed) or the environment, or the one-line problem. */
function readSecret(file: string | undefined, env: NodeJS.ProcessEnv): string | { problem: string } {
  if (file === undefined) {
    return (
      env[SECRET_ENV] || {
        problem: `set ${SECRET_ENV} or --secret-file to the shared secret that signs requests`,
      }
    );
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    return { problem: `--secret-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const secret = text.split("\n")[0]!.trim();
  return secret || { problem: `--secret-file ${file}: the file is empty` };
}

/** Resolves on SIGINT, SIGTERM or `signal`; true when a process signal asked. */
function stopRequested(signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (fromProcess: boolean) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(fromProcess);
    };
    const onSignal = () => done(true);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    if (signal?.aborted) done(false);
    signal?.addEventListener("abort", () => done(false), { once: true });
  });
}

function dryRunChecks(out: NodeJS.WritableStream): CheckSink {
  return {
    description: "patchwork checks (dry run, printed)",
    async send(check) {
      const patch = check.patchId !== undefined ? `patch ${check.patchId}` : `<${check.msgid}>`;
      out.write(`=== dry run: would post check ${check.state} to ${patch}: ${check.description} ===\n`);
    },
  };
}

function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): ServeOptions {
  const { values } = parseOptions(
    argv,
    {
      port: { type: "string" },
      host: { type: "string" },
      db: { type: "string" },
      outbox: { type: "string" },
      policy: { type: "string" },
      rules: { type: "string" },
      smtp: { type: "string" },
      "dry-run": { type: "boolean" },
      "max-body-bytes": { type: "string" },
      "secret-file": { type: "string" },
      "shutdown-seconds": { type: "string" },
      "ready-max-wait-seconds": { type: "string" },
      "patchwork-url": { type: "string" },
      "patchwork-token": { type: "string" },
      "patchwork-project": { type: "string" },
      "patchwork-poll-seconds": { type: "string" },
      "patchwork-target-url": { type: "string" },
      "public-inbox": { type: "string", multiple: true },
      "public-inbox-seconds": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    false,
  );
  const str = (name: string) => values[name] as string | undefined;
  const opts: ServeOptions = {
    port: integer("port", str("port"), 8080, 0, 65535),
    host: str("host") ?? "127.0.0.1",
    db: str("db") ?? DEFAULT_DB,
    outbox: str("outbox") ?? DEFAULT_OUTBOX,
    dryRun: values["dry-run"] === true,
    maxBodyBytes: integer("max-body-bytes", str("max-body-bytes"), DEFAULT_MAX_BODY_BYTES, 1024, 2 ** 31),
    shutdownSeconds: integer("shutdown-seconds", str("shutdown-seconds"), DEFAULT_SHUTDOWN_SECONDS, 0, 3600),
    readyMaxWaitSeconds: integer(
      "ready-max-wait-seconds",
      str("ready-max-wait-seconds"),
      DEFAULT_READY_MAX_WAIT_MS / 1000,
      1,
      7 * 86_400,
    ),
    patchworkPollSeconds: integer("patchwork-poll-seconds", str("patchwork-poll-seconds"), 300, 10, 86_400),
    publicInbox: (values["public-inbox"] as string[] | undefined) ?? [],
    publicInboxSeconds: integer("public-inbox-seconds", str("public-inbox-seconds"), 60, 1, 86_400),
    help: values.help === true,
  };
  const optional = {
    policy: str("policy"),
    rules: str("rules"),
    secretFile: str("secret-file"),
    smtp: str("smtp") ?? env[SMTP_ENV],
    patchworkUrl: str("patchwork-url"),
    patchworkToken: str("patchwork-token") ?? env[PATCHWORK_TOKEN_ENV],
    patchworkProject: str("patchwork-project"),
    patchworkTargetUrl: str("patchwork-target-url"),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== "") (opts as unknown as Record<string, string>)[key] = value;
  }
  if ((opts.patchworkToken || opts.patchworkProject) && !opts.patchworkUrl) {
    throw new UsageError("--patchwork-token and --patchwork-project need --patchwork-url");
  }
  return opts;
}

function integer(
  name: string,
  value: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got '${value}')`);
  }
  return n;
}
