// An in-process server on 127.0.0.1: journal, worker, dispatcher and intake, as `serve` wires them.

import type { Server } from "node:http";
import { join } from "node:path";
import { MaildirTransport } from "../../src/deliver/maildir.js";
import { defaultPolicy, parsePolicy } from "../../src/deliver/policy.js";
import type { MailTransport } from "../../src/deliver/transport.js";
import type { Refusal } from "../../src/mirror/intake.js";
import { Journal } from "../../src/mirror/journal.js";
import { PipelineMetrics } from "../../src/mirror/metrics.js";
import type { CheckSink } from "../../src/mirror/outbox-dispatcher.js";
import { MailPipeline } from "../../src/mirror/pipeline.js";
import { createMailServer, listen } from "../../src/mirror/server.js";
import { loadRules } from "../../src/rules/load.js";
import { RULES_DIR, SECRET, tempDir } from "./helpers.js";

const rules = loadRules(RULES_DIR);

export interface Harness {
  url: string;
  dir: string;
  outbox: string;
  journal: Journal;
  pipeline: MailPipeline;
  metrics: PipelineMetrics;
  /** Every request the intake refused. */
  refusals: Refusal[];
  /** Resolves when no message is pending and no outbox entry is due. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: {
    policy?: string;
    mail?: MailTransport;
    checks?: CheckSink;
    maxBodyBytes?: number;
    readyMaxWaitMs?: number;
  } = {},
): Promise<Harness> {
  const dir = tempDir();
  const outbox = join(dir.path, "outbox");
  const journal = new Journal(join(dir.path, "journal.sqlite"));
  const metrics = new PipelineMetrics(() => journal.health());
  const refusals: Refusal[] = [];
  const pipeline = new MailPipeline({
    journal,
    rules,
    policy: opts.policy ? parsePolicy(opts.policy, "policy.yml") : defaultPolicy(),
    mail: opts.mail ?? new MaildirTransport(outbox),
    ...(opts.checks && { checks: opts.checks }),
    pollMs: 50,
    metrics,
  });
  const server: Server = createMailServer(pipeline, {
    secret: SECRET,
    ...(opts.maxBodyBytes && { maxBodyBytes: opts.maxBodyBytes }),
    ...(opts.readyMaxWaitMs && { readyMaxWaitMs: opts.readyMaxWaitMs }),
    metrics,
    onRefused: (r) => refusals.push(r),
  });
  await pipeline.start();
  const address = await listen(server, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${address.port}/patches`,
    dir: dir.path,
    outbox,
    journal,
    pipeline,
    metrics,
    refusals,
    async settled() {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const c = journal.counts();
        if (c.pending === 0 && c.outboxPending === 0) return;
        if (Date.now() > deadline) throw new Error(`not settled: ${JSON.stringify(c)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pipeline.stop();
      journal.close();
      dir.remove();
    },
  };
}
