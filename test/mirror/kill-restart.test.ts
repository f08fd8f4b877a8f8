// Crash safety: the server is killed with SIGKILL twice, once in the middle of a burst of 500 posted messages and
// once while it works through its backlog. After restarts on the same journal and outbox, every message is
// handled exactly once and no reply is written twice.

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import Database from "better-sqlite3";
import { buildServeEntry, type ChildServer, startChildServer } from "./child-server.js";
import { patchMail, RULES_DIR, readMaildir, SECRET, signedPost, tempDir } from "./helpers.js";

const TOTAL = 500;
const dir = tempDir("iommu-review-kill-");
let entry: string;

beforeAll(() => {
  entry = buildServeEntry(join(dir.path, "build"));
  writeFileSync(
    join(dir.path, "policy.yml"),
    'from: "iommu-review bot <iommu-review@bots.example.org>"\ndefaults:\n  rate_limit: { per_thread: 1, per_hour: 100000 }\n',
  );
}, 60_000);

afterAll(() => dir.remove());

const ids = Array.from({ length: TOTAL }, (_, i) => `burst-${i}@example.org`);
const mails = ids.map((messageId, i) =>
  patchMail({
    messageId,
    subject: `[PATCH] iommu: lazy on arm64, take ${i}`,
    from: `Dev ${i} <dev${i}@example.org>`,
  }),
);

function start(): Promise<ChildServer> {
  return startChildServer(
    entry,
    [
      "--db",
      join(dir.path, "journal.sqlite"),
      "--outbox",
      join(dir.path, "outbox"),
      "--policy",
      join(dir.path, "policy.yml"),
      "--rules",
      RULES_DIR,
    ],
    { IOMMU_REVIEW_WEBHOOK_SECRET: SECRET },
  );
}

async function health(url: string): Promise<{ pending: number; done: number; outboxPending: number }> {
  return (await fetch(url.replace("/patches", "/healthz"))).json() as never;
}

test("killed mid-burst and mid-backlog, it ends with 500 messages handled once and 500 replies, none twice", async () => {
  let server = await start();
  const accepted = new Set<string>();
  const notAccepted = new Set<string>();
  let next = 0;
  let killed = false;

  // Eight clients post the burst; the server is killed once 200 messages have been accepted.
  const client = async () => {
    while (next < TOTAL) {
      const i = next++;
      try {
        const res = await signedPost(server.url, mails[i]!);
        if (res.status === 202) accepted.add(ids[i]!);
        else notAccepted.add(ids[i]!);
      } catch {
        notAccepted.add(ids[i]!);
      }
      if (!killed && accepted.size >= 200) {
        killed = true;
        server.process.kill("SIGKILL");
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, client));
  await server.exited;
  expect(killed).toBe(true);
  expect(notAccepted.size).toBeGreaterThan(0);

  // Restart; the clients resend what was not acknowledged (some of it may have been committed already).
  server = await start();
  for (const id of notAccepted) {
    const res = await signedPost(server.url, mails[ids.indexOf(id)]!);
    expect([200, 202]).toContain(res.status);
  }
  // Kill again once some replies are in the outbox and others are still being reviewed or delivered.
  const outbox = join(dir.path, "outbox");
  for (;;) {
    const h = await health(server.url);
    if (h.pending === 0 && h.outboxPending === 0) break;
    if (readMaildir(outbox).length > 0) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  server.process.kill("SIGKILL");
  await server.exited;

  server = await start();
  for (;;) {
    const h = await health(server.url);
    if (h.pending === 0 && h.outboxPending === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  server.process.kill("SIGTERM");
  expect(await server.exited).toBe(0);

  const db = new Database(join(dir.path, "journal.sqlite"), { readonly: true });
  const messages = db.prepare("SELECT message_id, state, outcome FROM messages").all() as {
    message_id: string;
    state: string;
    outcome: string;
  }[];
  const outboxRows = db.prepare("SELECT key, state FROM outbox").all() as { key: string; state: string }[];
  db.close();

  expect(messages).toHaveLength(TOTAL);
  expect(new Set(messages.map((m) => m.message_id))).toEqual(new Set(ids));
  expect(messages.every((m) => m.state === "done" && m.outcome === "replied")).toBe(true);
  expect(outboxRows).toHaveLength(TOTAL);
  expect(outboxRows.every((r) => r.state === "sent")).toBe(true);

  const replies = readMaildir(outbox);
  const answered = replies.map((m) => m.headers.get("in-reply-to")!.slice(1, -1));
  expect(replies).toHaveLength(TOTAL);
  expect(new Set(answered)).toEqual(new Set(ids));
  for (const id of accepted) expect(answered).toContain(id);
}, 60_000);
