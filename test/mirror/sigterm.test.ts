// Clean shutdown: SIGTERM in the middle of a burst stops intake (later requests are refused, never half
// accepted), finishes the work in hand within the bound and exits 0. After a restart every accepted message has
// exactly one reply and no reply is written twice.

import { join } from "node:path";
import { expect, test } from "@jest/globals";
import Database from "better-sqlite3";
import { burstSetup } from "./child-server.js";
import { readMaildir, signedPost } from "./helpers.js";

const TOTAL = 200;
const { dir, ids, mails, start, postAll } = burstSetup("term-", TOTAL, ["--shutdown-seconds", "15"], {
  LOG_FORMAT: "json",
});

test("SIGTERM during a burst drains, exits 0 within the bound, and loses nothing", async () => {
  let server = await start();
  // A second process on the same SQLite journal is refused at start, with one line.
  await expect(start()).rejects.toThrow(
    /server exited \(2\) before listening:\n.*--db .*journal\.sqlite: is in use by another iommu-review process/,
  );
  let termAt = 0;
  const { notAccepted } = await postAll(
    () => server.url,
    6,
    (accepted) => {
      if (termAt !== 0 || accepted < 60) return;
      termAt = Date.now();
      server.process.kill("SIGTERM");
    },
  );
  // Refused while draining (503), or no connection once the server is gone; never a 5xx of another kind.
  const refused = [...notAccepted.keys()];
  expect([...new Set(notAccepted.values())].filter((status) => status !== 503 && status !== 0)).toEqual([]);
  expect(await server.exited).toBe(0);
  expect(Date.now() - termAt).toBeLessThan(16_000);
  const lines = server
    .stderr()
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { level: string; msg: string });
  expect(lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^stopping: no new requests/));
  expect(lines.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^stopped cleanly in \d+ ms$/));
  expect(refused.length).toBeGreaterThan(0);

  // Restart; the clients resend what was refused.
  server = await start();
  for (const id of refused)
    expect([200, 202]).toContain((await signedPost(server.url, mails[ids.indexOf(id)]!)).status);
  for (;;) {
    const h = (await (await fetch(server.url.replace("/patches", "/healthz"))).json()) as Record<
      string,
      number
    >;
    if (h.pending === 0 && h.outboxPending === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  server.process.kill("SIGTERM");
  expect(await server.exited).toBe(0);

  const db = new Database(join(dir, "journal.sqlite"), { readonly: true });
  const states = db.prepare("SELECT state, count(*) AS n FROM outbox GROUP BY state").all();
  const done = db.prepare("SELECT count(*) FROM messages WHERE state = 'done'").pluck().get();
  db.close();
  expect(done).toBe(TOTAL);
  expect(states).toEqual([{ state: "sent", n: TOTAL }]);
  const answered = readMaildir(join(dir, "outbox")).map((m) => m.headers.get("in-reply-to")!.slice(1, -1));
  expect(answered).toHaveLength(TOTAL);
  expect(new Set(answered)).toEqual(new Set(ids));
}, 90_000);
