// Liveness, readiness and metrics of the mail server: /readyz turns 503 for each thing an operator must look at,
// and /metrics counts what the server did, in Prometheus text format.

import { afterEach, describe, expect, test } from "@jest/globals";
import { type Harness, startHarness } from "./harness.js";
import { patchMail, signedPost } from "./helpers.js";

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function get(path: string) {
  const res = await fetch(h.url.replace("/patches", path));
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

async function ready() {
  const res = await get("/readyz");
  return { status: res.status, body: JSON.parse(res.text) as { status: string; problems: string[] } };
}

describe("/readyz", () => {
  test("is ready with an empty journal, and /healthz is alive", async () => {
    h = await startHarness();
    expect(await ready()).toEqual({
      status: 200,
      body: expect.objectContaining({ status: "ready", problems: [] }),
    });
    expect((await get("/healthz")).status).toBe(200);
  });

  test("is not ready while a failed outbox entry waits for an operator", async () => {
    h = await startHarness();
    const res = await signedPost(h.url, patchMail({ messageId: "fails@example.org" }));
    expect(res.status).toBe(202);
    await h.settled();
    h.journal.db.prepare("UPDATE outbox SET state = 'failed', last_error = 'smtp said no'").run();
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body.problems).toEqual(["1 outbox entries failed (see 'iommu-review outbox list')"]);
    expect((await get("/healthz")).status).toBe(200);
  });

  test("is not ready when a message has waited longer than the set age (a stuck worker)", async () => {
    h = await startHarness({ readyMaxWaitMs: 200 });
    await h.pipeline.worker.stop();
    await signedPost(h.url, patchMail({ messageId: "stuck@example.org" }));
    expect((await ready()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 400));
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body.problems[0]).toMatch(/^a message has waited \d+ s for review/);
  });

  test("is not ready when the journal cannot be read", async () => {
    h = await startHarness();
    await h.pipeline.stop();
    h.journal.close();
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body.problems[0]).toMatch(/^journal unreachable: /);
  });
});

test("/metrics counts requests, messages by outcome, deliveries and latencies, and shows the queue", async () => {
  h = await startHarness();
  expect((await signedPost(h.url, patchMail({ messageId: "m1@example.org" }))).status).toBe(202);
  expect((await signedPost(h.url, patchMail({ messageId: "m1@example.org" }))).status).toBe(200);
  expect((await signedPost(h.url, "not a mail", "message/rfc822", "wrong-secret")).status).toBe(401);
  await h.settled();
  const m = await get("/metrics");
  expect(m.status).toBe(200);
  expect(m.type).toMatch(/^text\/plain/);
  for (const line of [
    'iommu_review_intake_requests_total{status="202"} 1',
    'iommu_review_intake_requests_total{status="200"} 1',
    'iommu_review_intake_requests_total{status="401"} 1',
    'iommu_review_messages_total{outcome="replied"} 1',
    'iommu_review_deliveries_total{kind="mail",outcome="sent"} 1',
    "iommu_review_review_seconds_count 1",
    'iommu_review_delivery_seconds_count{kind="mail"} 1',
    'iommu_review_queue_depth{queue="messages"} 0',
    'iommu_review_outbox_stuck{state="failed"} 0',
  ]) {
    expect(m.text).toContain(`${line}\n`);
  }
});
