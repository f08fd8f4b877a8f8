#!/usr/bin/env node
// Benchmark of the GitHub App: 200 signed pull_request webhooks sent over HTTP to the real Probot server
// (probot's run(), as `npm start` uses it), which talks to a fake GitHub API on loopback in a child process
// (GHE_HOST/GHE_PROTOCOL). Reports the bot's processing time per event (p50/p99) and events per second.
// Needs the build: `npm run build` (lib/). Usage: node scripts/bench-github.mjs [--concurrency N] [--throttle]

import { fork } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { ProbotOctokit, run } from "probot";
import { createApp } from "../lib/github/app.js";
import { FakeGitHub, pullFilesFromDiff } from "../lib/github/testing/fake-github.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const KCONFIG = "drivers/iommu/Kconfig";
const OWNER = "kernel-fork";
const REPO = "linux";
const PRS_PER_KIND = 50;
const SECRET = "bench-secret";
const BASE_SHA = "b0".repeat(20);

const sha = (pr, push) => `${String(push).repeat(2)}${String(pr).padStart(38, "0")}`.slice(0, 40);

function fixtures() {
  const patch = readFileSync(`${ROOT}/examples/arm64-lazy-default.patch`, "utf8");
  const base = readFileSync(`${ROOT}/test/github/fixtures/drivers-iommu-Kconfig.base`, "utf8");
  const subject = /^Subject: \[[^\]]*\] (.*)$/m.exec(patch)[1];
  const body = patch.slice(patch.indexOf("\n\n") + 2, patch.indexOf("\n---\n"));
  return {
    base,
    message: `${subject}\n\n${body.trim()}\n`,
    ...pullFilesFromDiff(patch, { [KCONFIG]: base }),
  };
}

// PRs 1..50 change the Kconfig line (then push the same change again, then revert it); 51..100 touch docs only.
const watchedPr = (i) => i + 1;
const unwatchedPr = (i) => PRS_PER_KIND + i + 1;

async function serveFake() {
  const { base, message, files, headContents } = fixtures();
  const fake = new FakeGitHub(OWNER, REPO);
  const docs = [
    {
      filename: "Documentation/arch/arm64/silicon-errata.rst",
      status: "modified",
      patch: "@@ -1 +1 @@\n-a\n+b",
      additions: 1,
      deletions: 1,
      changes: 2,
    },
  ];
  for (let i = 0; i < PRS_PER_KIND; i++) {
    const n = watchedPr(i);
    fake.setPull({ number: n, baseSha: BASE_SHA, headSha: sha(n, 1), files, commitMessages: [message] });
    fake.setFile(sha(n, 1), KCONFIG, headContents[KCONFIG]);
    fake.setFile(sha(n, 2), KCONFIG, headContents[KCONFIG]);
    const m = unwatchedPr(i);
    fake.setPull({
      number: m,
      baseSha: BASE_SHA,
      headSha: sha(m, 1),
      files: docs,
      commitMessages: ["docs: typo"],
    });
  }
  fake.setFile(BASE_SHA, KCONFIG, base);
  const { host } = await fake.start();
  process.on("message", (msg) => {
    if (msg.phase === "revert") {
      for (let i = 0; i < PRS_PER_KIND; i++) fake.pulls.get(watchedPr(i)).files = [];
      process.send({ reverted: true });
    }
    if (msg.phase === "totals")
      process.send({
        totals: {
          requests: fake.requests.length,
          reviews: fake.reviews.length,
          comments: fake.reviewComments.length,
          checkRuns: fake.checkRuns.length,
        },
      });
    if (msg.phase === "stop") fake.stop().then(() => process.exit(0));
  });
  process.send({ host });
}

function payload(number, action, headSha) {
  return {
    action,
    number,
    pull_request: {
      number,
      title: "[RFC PATCH] iommu: Default to lazy DMA mode on ARM64",
      body: "Makes arm64 lazy like x86.",
      user: { login: "lee-lazyman", type: "User" },
      created_at: "2026-04-02T20:05:00Z",
      draft: false,
      changed_files: 1,
      html_url: `https://github.com/${OWNER}/${REPO}/pull/${number}`,
      base: { sha: BASE_SHA, ref: "master" },
      head: { sha: headSha, ref: "topic" },
    },
    repository: { name: REPO, full_name: `${OWNER}/${REPO}`, owner: { login: OWNER } },
    installation: { id: 1 },
    sender: { login: "lee-lazyman", type: "User" },
  };
}

async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function inBatches(items, concurrency, fn) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function bench({ concurrency, throttle }) {
  const child = fork(fileURLToPath(import.meta.url), ["--serve-fake"], { stdio: "inherit" });
  const ask = (phase) =>
    new Promise((resolve) => {
      child.once("message", resolve);
      child.send({ phase });
    });
  const { host } = await new Promise((resolve) => child.once("message", resolve));
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const reports = new Map();
  const port = await freePort();
  const server = await run(createApp({ onEvent: (r) => reports.set(r.delivery, r) }), {
    env: {
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: host,
      GHE_PROTOCOL: "http",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "fatal",
      NO_SMEE_SETUP: "true",
    },
    // plugin-throttling spaces write requests one second apart per installation (GitHub's guidance); with it on,
    // the figures measure that pacing, not the bot. Retry stays on as in production.
    ...(throttle ? {} : { Octokit: ProbotOctokit.defaults((o) => ({ ...o, throttle: { enabled: false } })) }),
  });
  const url = `http://127.0.0.1:${port}/api/github/webhooks`;
  const roundTrips = new Map();
  const send = async ({ id, event }) => {
    const body = JSON.stringify(event);
    const started = performance.now();
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": id,
        "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      },
      body,
    });
    await res.text();
    // 202: Probot stopped waiting for the handler after 9 s (throttled runs); the report arrives later.
    if (res.status !== 200 && res.status !== 202) throw new Error(`webhook ${id}: HTTP ${res.status}`);
    roundTrips.set(id, performance.now() - started);
  };
  const phase = (kind, make) =>
    Array.from({ length: PRS_PER_KIND }, (_, i) => ({ id: `${kind}-${i}`, kind, event: make(i) }));
  const phases = [
    [
      ...phase("opened", (i) => payload(watchedPr(i), "opened", sha(watchedPr(i), 1))),
      ...phase("unwatched", (i) => payload(unwatchedPr(i), "opened", sha(unwatchedPr(i), 1))),
    ],
    phase("same-change", (i) => payload(watchedPr(i), "synchronize", sha(watchedPr(i), 2))),
    phase("revert", (i) => payload(watchedPr(i), "synchronize", sha(watchedPr(i), 3))),
  ];
  const started = performance.now();
  const handled = async (events) => {
    while (!events.every((e) => reports.has(e.id))) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  for (const [index, events] of phases.entries()) {
    if (index === 2) await ask("revert");
    await inBatches(events, concurrency, send);
    await handled(events);
  }
  const wall = performance.now() - started;
  const { totals } = await ask("totals");
  await server.stop();
  child.send({ phase: "stop" });
  const all = phases.flat();
  const failed = all.filter((e) => !["reviewed", "skipped"].includes(reports.get(e.id)?.outcome.kind));
  if (failed.length)
    throw new Error(`${failed.length} events not handled: ${failed.map((e) => e.id).join(", ")}`);
  return { all, reports, roundTrips, wall, totals };
}

function summarise(label, { all, reports, roundTrips, wall, totals }) {
  const row = (name, events) => {
    const handler = events.map((e) => reports.get(e.id).ms);
    const own = events.map((e) => reports.get(e.id).ms - reports.get(e.id).apiMs);
    const trip = events.map((e) => roundTrips.get(e.id));
    const calls = events.reduce((n, e) => n + reports.get(e.id).apiCalls, 0) / events.length;
    const f = (v) => v.toFixed(1).padStart(7);
    return `  ${name.padEnd(12)} ${String(events.length).padStart(4)}  ${f(percentile(own, 50))} ${f(percentile(own, 99))}  ${f(percentile(handler, 50))} ${f(percentile(handler, 99))}  ${f(percentile(trip, 50))} ${f(percentile(trip, 99))}  ${calls.toFixed(1).padStart(5)}`;
  };
  console.log(
    `\n${label}: ${all.length} events in ${(wall / 1000).toFixed(2)} s = ${(all.length / (wall / 1000)).toFixed(1)} events/s`,
  );
  console.log("  ms per event  events   own p50 own p99   handler p50 p99   webhook p50 p99   API calls");
  console.log(row("all", all));
  for (const kind of ["opened", "unwatched", "same-change", "revert"])
    console.log(
      row(
        kind,
        all.filter((e) => e.kind === kind),
      ),
    );
  console.log(
    `  fake GitHub saw ${totals.requests} requests; it holds ${totals.reviews} reviews, ${totals.comments} inline comments, ${totals.checkRuns} check runs`,
  );
}

if (process.argv.includes("--serve-fake")) {
  await serveFake();
} else {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const throttle = process.argv.includes("--throttle");
  console.log(
    "iommu-review GitHub App benchmark: 200 signed pull_request webhooks over HTTP to the Probot server; fake GitHub in a child process on loopback.",
  );
  console.log(
    `Events: ${PRS_PER_KIND} opened with the ARM64 change, ${PRS_PER_KIND} opened touching nothing watched, ${PRS_PER_KIND} pushes of the same change, ${PRS_PER_KIND} pushes reverting it. Retry on, throttling ${throttle ? "on" : "off"}.`,
  );
  console.log(
    "own = handler time minus time waiting on GitHub API calls; handler = webhook handler wall time; webhook = HTTP round trip.",
  );
  const concurrencies = process.argv.includes("--concurrency") ? [arg("--concurrency", 1)] : [1, 8];
  for (const concurrency of concurrencies) {
    summarise(`${concurrency} in flight`, await bench({ concurrency, throttle }));
  }
}
