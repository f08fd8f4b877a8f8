#!/usr/bin/env node
// Benchmark of the mail pipeline's sustained intake (not a test): signed POSTs over loopback into a server in this
// process (journal, worker, Maildir outbox), measuring messages per second accepted and reviewed, and the time
// from a message's acceptance (its commit to the journal, just before the 202) to its reply being in the outbox.
//
// Needs the build: npx tsc -p tsconfig.build.json   (npm run bench builds first)
// Usage: node scripts/bench-mirror.mjs [--messages N] [--concurrency C] [--paced-seconds S] [--json]
//
// Two phases:
//   burst  N messages from C clients as fast as the server answers: the capacity of intake and of the worker.
//   paced  an open-loop rate of 70% of the burst's end-to-end rate for S seconds: accept-to-reply latency at a
//          load the pipeline can sustain (under a burst, latency only measures the queue's length).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const lib = new URL("../lib/", import.meta.url);
const load = (path) => import(new URL(path, lib).href);
let modules;
try {
  modules = await Promise.all([
    load("mirror/journal.js"),
    load("mirror/pipeline.js"),
    load("mirror/server.js"),
    load("mirror/signature.js"),
    load("deliver/maildir.js"),
    load("deliver/policy.js"),
    load("rules/load.js"),
    load("rules/defaults.js"),
  ]);
} catch (error) {
  console.error(`bench-mirror: cannot load lib/ (${error.message}); run: npx tsc -p tsconfig.build.json`);
  process.exit(2);
}
const [
  { Journal },
  { MailPipeline },
  { createMailServer, listen },
  { signBody },
  { MaildirTransport },
  { parsePolicy },
  { loadRules },
  { DEFAULT_RULES_DIR },
] = modules;

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    "paced-seconds": { type: "string", default: "10" },
    json: { type: "boolean", default: false },
  },
});
const MESSAGES = Number(values.messages);
const CONCURRENCY = Number(values.concurrency);
const PACED_SECONDS = Number(values["paced-seconds"]);
const SECRET = "bench-secret";

function patchMail(i, run) {
  const id = `bench-${run}-${i}@example.org`;
  return {
    id,
    body: Buffer.from(`From: Dev ${i} <dev${i}@example.org>
To: iommu@lists.example.org
Subject: [PATCH] iommu: Make lazy invalidation the arm64 default (${run} ${i})
Date: Tue, 14 Apr 2026 09:15:00 +0000
Message-Id: <${id}>
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

Strict invalidation costs throughput on arm64 servers: 14.9 Gbps strict
against 39.8 Gbps lazy, a 2.67x improvement.

Signed-off-by: Dev ${i} <dev${i}@example.org>
---
 drivers/iommu/Kconfig | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/drivers/iommu/Kconfig b/drivers/iommu/Kconfig
index d24b793..6646df7 100644
--- a/drivers/iommu/Kconfig
+++ b/drivers/iommu/Kconfig
@@ -96,6 +96,6 @@ config IOMMU_DEBUGFS
 choice
 \tprompt "IOMMU default domain type"
 \tdepends on IOMMU_API
-\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390
+\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64
 \tdefault IOMMU_DEFAULT_DMA_STRICT
 \thelp
-- 
2.47.3
`),
  };
}

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "message/rfc822", "X-Hub-Signature-256": signBody(SECRET, body) },
    body,
  });
  await res.arrayBuffer();
  if (res.status !== 202) throw new Error(`POST answered ${res.status}`);
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(ms) {
  const sorted = [...ms].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 10) / 10;
  return {
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1)),
  };
}

async function waitUntil(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function withServer(fn) {
  const dir = mkdtempSync(join(tmpdir(), "iommu-review-bench-"));
  const journal = new Journal(join(dir, "journal.sqlite"));
  const policy = parsePolicy(
    "defaults:\n  rate_limit: { per_thread: 1, per_hour: 1000000 }\n",
    "bench-policy.yml",
  );
  const pipeline = new MailPipeline({
    journal,
    rules: loadRules(DEFAULT_RULES_DIR),
    policy,
    mail: new MaildirTransport(join(dir, "outbox")),
    pollMs: 50,
  });
  const server = createMailServer(pipeline, { secret: SECRET });
  await pipeline.start();
  const { port } = await listen(server, 0, "127.0.0.1");
  try {
    return await fn({ url: `http://127.0.0.1:${port}/patches`, journal });
  } finally {
    await new Promise((r) => server.close(r));
    server.closeAllConnections();
    await pipeline.stop();
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Per message: from its commit to the journal (the moment it is accepted) to its reply's delivery, in ms. */
function acceptToReply(journal) {
  return journal.db
    .prepare(
      `SELECT o.sent_at - m.received_at FROM messages m JOIN outbox o ON o.key = 'mail:' || m.message_id
       WHERE o.state = 'sent'`,
    )
    .pluck()
    .all();
}

async function burst() {
  return withServer(async ({ url, journal }) => {
    const mails = Array.from({ length: MESSAGES }, (_, i) => patchMail(i, "burst"));
    const acceptMs = [];
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < mails.length) {
          const mail = mails[next++];
          const t0 = performance.now();
          await post(url, mail.body);
          acceptMs.push(performance.now() - t0);
        }
      }),
    );
    const acceptedSeconds = (performance.now() - start) / 1000;
    await waitUntil(() => journal.counts().pending === 0, 600_000);
    const reviewedSeconds = (performance.now() - start) / 1000;
    await waitUntil(() => journal.counts().outboxSent === MESSAGES, 600_000);
    const repliedSeconds = (performance.now() - start) / 1000;
    return {
      messages: MESSAGES,
      concurrency: CONCURRENCY,
      acceptedPerSecond: Math.round(MESSAGES / acceptedSeconds),
      reviewedPerSecond: Math.round(MESSAGES / reviewedSeconds),
      repliedPerSecond: Math.round(MESSAGES / repliedSeconds),
      acceptMs: summary(acceptMs),
      acceptToReplyMs: summary(acceptToReply(journal)),
      wallSeconds: Math.round(repliedSeconds * 10) / 10,
    };
  });
}

async function paced(rate) {
  return withServer(async ({ url, journal }) => {
    const total = Math.max(1, Math.round(rate * PACED_SECONDS));
    const mails = Array.from({ length: total }, (_, i) => patchMail(i, "paced"));
    const start = performance.now();
    const inFlight = [];
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const mail = mails[i];
      inFlight.push(post(url, mail.body));
    }
    await Promise.all(inFlight);
    const acceptedSeconds = (performance.now() - start) / 1000;
    await waitUntil(() => journal.counts().outboxSent === total, 600_000);
    return {
      messages: total,
      offeredPerSecond: Math.round(rate),
      acceptedPerSecond: Math.round(total / acceptedSeconds),
      acceptToReplyMs: summary(acceptToReply(journal)),
    };
  });
}

const burstResult = await burst();
const pacedResult =
  PACED_SECONDS > 0 ? await paced(Math.max(1, burstResult.repliedPerSecond * 0.7)) : undefined;
const result = { burst: burstResult, paced: pacedResult, node: process.version };

if (values.json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const b = burstResult;
  console.log(
    `mail pipeline benchmark (Node ${process.version}, Maildir outbox, every message gets a reply)`,
  );
  console.log(
    `burst: ${b.messages} messages, ${b.concurrency} clients: accepted ${b.acceptedPerSecond}/s, ` +
      `reviewed ${b.reviewedPerSecond}/s, replies in outbox ${b.repliedPerSecond}/s (${b.wallSeconds} s)`,
  );
  console.log(`  POST -> 202 ms: p50 ${b.acceptMs.p50}, p99 ${b.acceptMs.p99}, max ${b.acceptMs.max}`);
  console.log(
    `  accepted -> reply in outbox ms (queueing included): p50 ${b.acceptToReplyMs.p50}, p99 ${b.acceptToReplyMs.p99}, max ${b.acceptToReplyMs.max}`,
  );
  if (pacedResult) {
    const p = pacedResult;
    console.log(
      `paced: ${p.messages} messages offered at ${p.offeredPerSecond}/s (70% of burst): accepted ${p.acceptedPerSecond}/s`,
    );
    console.log(
      `  accepted -> reply in outbox ms: p50 ${p.acceptToReplyMs.p50}, p90 ${p.acceptToReplyMs.p90}, p99 ${p.acceptToReplyMs.p99}, max ${p.acceptToReplyMs.max}`,
    );
  }
}
