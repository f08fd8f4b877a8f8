// Crash safety: the server is killed with SIGKILL twice, once in the middle of a burst of 500 posted messages and
// once while it works through its backlog. After restarts on the same journal and outbox, every message is
// handled exactly once and no reply is written twice.

import { join } from "node:path";
import { expect, test } from "@jest/globals";
import Database from "better-sqlite3";
import { burstSetup } from "./child-server.js";
import { readMaildir, signedPost } from "./helpers.js";

const TOTAL = 500;
const { dir, ids, mails, start, postAll } = burstSetup("burst-", TOTAL);

async function health(url: string): Promise<{ pending: number; done: number; outboxPending: number }> {
  return (await fetch(url.replace("/patches", "/healthz"))).json() as never;
}

test("killed mid-burst and mid-backlog, it ends with 500 messages handled once and 500 replies, none twice", async () => {
  let server = await start();
  let killed = false;

  // Eight clients post the burst; the server is killed once 200 messages have been accepted.
  const { accepted, notAccepted: refused } = await postAll(
    () => server.url,
    8,
    (n) => {
      if (killed || n < 200) return;
      killed = true;
      server.process.kill("SIGKILL");
    },
  );
  const notAccepted = [...refused.keys()];
  await server.exited;
  expect(killed).toBe(true);
  expect(notAccepted.length).toBeGreaterThan(0);

  // Restart; the clients resend what was not acknowledged (some of it may have been committed already).
  server = await start();
  for (const id of notAccepted) {
    const res = await signedPost(server.url, mails[ids.indexOf(id)]!);
    expect([200, 202]).toContain(res.status);
  }
  // Kill again once some replies are in the outbox and others are still being reviewed or delivered.
  const outbox = join(dir, "outbox");
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

  const db = new Database(join(dir, "journal.sqlite"), { readonly: true });
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
