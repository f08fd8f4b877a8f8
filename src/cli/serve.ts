// `iommu-review serve`: the mail pipeline as a standalone server. Safe by default: replies go to a Maildir
// outbox, nothing is mailed unless --smtp is given, nothing is posted to Patchwork without a token, and --dry-run
// prints instead of writing anything.

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
import type { CheckSink } from "../mirror/outbox-dispatcher.js";
import { PatchworkClient } from "../mirror/patchwork-client.js";
import { PatchworkPoller } from "../mirror/patchwork-poller.js";
import { PatchworkReporter } from "../mirror/patchwork-reporter.js";
import { PublicInboxFeed } from "../mirror/public-inbox-feed.js";
import { createMailServer, listen } from "../mirror/server.js";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { loadRules, type Rule, RuleLoadError } from "../rules/load.js";
import { parseOptions, UsageError } from "./args.js";

export const PATCHWORK_TOKEN_ENV = "IOMMU_REVIEW_PATCHWORK_TOKEN";

export const SERVE_USAGE = `Usage: iommu-review serve [options]

Receives patches by HTTP (POST /patches, signed with ${SECRET_ENV}), reviews them and writes
threaded replies to a Maildir outbox. Nothing is mailed unless --smtp is given.

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
  --patchwork-url URL      Patchwork instance, e.g. https://patchwork.kernel.org
  --patchwork-token TOKEN  post checks (context iommu-review); better: set ${PATCHWORK_TOKEN_ENV}
  --patchwork-project P    poll this project's patch-created events into the journal
  --patchwork-poll-seconds N  poll interval (default 300)
  --patchwork-target-url T target_url of checks; {msgid} is replaced by the patch's Message-Id
  --public-inbox DIR       also read new messages from this public-inbox git clone (repeatable)
  --public-inbox-seconds N how often to look at the clones (default 60)
  -h, --help               show this help

The webhook secret is read from ${SECRET_ENV} only, so that it never shows in a process list.`;

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
  const secret = env[SECRET_ENV];
  if (!secret) return fail(`set ${SECRET_ENV} to the shared secret that signs requests`);

  let rules: Rule[];
  try {
    rules = loadRules(opts.rules ?? DEFAULT_RULES_DIR);
  } catch (e) {
    if (e instanceof RuleLoadError) return fail(e.message);
    throw e;
  }

  const log = (line: string) => stderr.write(`${new Date().toISOString()} ${line}\n`);
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

  let assembled: AssembledPipeline;
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
      names: { db: "--db", outbox: "--outbox", policy: "--policy", smtp: "--smtp" },
    });
  } catch (e) {
    if (e instanceof PipelineConfigError) return fail(e.message);
    throw e;
  }
  const { pipeline, journal, mail } = assembled;
  const server = createMailServer(pipeline, { secret, maxBodyBytes: opts.maxBodyBytes });
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

  await stopRequested(io.signal);
  log("stopping");
  await new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await poller?.stop();
  await Promise.all(feeds.map((feed) => feed.stop()));
  await assembled.close();
  return 0;
}

function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off("SIGINT", done);
      process.off("SIGTERM", done);
      resolve();
    };
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
    if (signal?.aborted) done();
    signal?.addEventListener("abort", done, { once: true });
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
    patchworkPollSeconds: integer("patchwork-poll-seconds", str("patchwork-poll-seconds"), 300, 10, 86_400),
    publicInbox: (values["public-inbox"] as string[] | undefined) ?? [],
    publicInboxSeconds: integer("public-inbox-seconds", str("public-inbox-seconds"), 60, 1, 86_400),
    help: values.help === true,
  };
  const optional = {
    policy: str("policy"),
    rules: str("rules"),
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
