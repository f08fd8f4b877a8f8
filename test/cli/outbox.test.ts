// `iommu-review outbox list|requeue|drop` on a journal that a running server holds open.

import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, expect, test } from "@jest/globals";
import { outboxCommand } from "../../src/cli/outbox.js";
import { Journal, type OutboxState } from "../../src/mirror/journal.js";
import { tempDir } from "../mirror/helpers.js";

let dir: ReturnType<typeof tempDir>;
let db: string;
/** Holds the journal (and its lock) as `serve` would. */
let server: Journal;

beforeEach(() => {
  dir = tempDir();
  db = join(dir.path, "j.sqlite");
  server = new Journal(db);
  const states: OutboxState[] = ["sent", "failed", "unknown", "pending"];
  states.forEach((state, i) => {
    server.addOutbox({
      key: `mail:p${i}@example.org`,
      kind: "mail",
      answers: `p${i}@example.org`,
      list: "default",
      thread: `p${i}@example.org`,
      payload: "x",
      meta: "{}",
      notBefore: Date.now() + 3_600_000,
    });
    if (state !== "pending")
      server.markOutbox(i + 1, state, {
        error: state === "failed" ? "550 no such user" : undefined,
        attempt: true,
      });
  });
});
afterEach(() => {
  server.close();
  dir.remove();
});

async function run(...argv: string[]) {
  let out = "";
  let err = "";
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk, _e, done) {
        add(chunk.toString());
        done();
      },
    });
  const code = await outboxCommand([...argv, "--db", db], {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  });
  return { code, out, err };
}

const stateOf = (id: number) =>
  server.listOutbox(["pending", "sending", "sent", "unknown", "failed", "dropped"]).find((e) => e.id === id)
    ?.state;

test("list shows the failed and unknown entries, with the error", async () => {
  const res = await run("list");
  expect(res.code).toBe(0);
  expect(res.out).toBe(
    "2\tfailed\tmail\tattempts 1\tmail:p1@example.org\t550 no such user\n3\tunknown\tmail\tattempts 1\tmail:p2@example.org\t\n",
  );
  const json = JSON.parse((await run("list", "--state", "all", "--json")).out) as {
    id: number;
    answers: string;
  }[];
  expect(json.map((e) => e.answers)).toEqual([
    "p0@example.org",
    "p1@example.org",
    "p2@example.org",
    "p3@example.org",
  ]);
});

test("requeue --failed makes the failed entry due again, beside the server that holds the journal", async () => {
  const res = await run("requeue", "--failed");
  expect(res).toMatchObject({ code: 0, out: "requeued 1 of 1\n" });
  const entry = server.listOutbox(["pending"]).find((e) => e.id === 2)!;
  expect(entry.attempts).toBe(0);
  expect(entry.notBefore).toBeLessThanOrEqual(Date.now());
  expect(stateOf(3)).toBe("unknown");
});

test("drop gives up an entry that has not gone out, and refuses a sent one", async () => {
  expect((await run("drop", "3")).code).toBe(0);
  expect(stateOf(3)).toBe("dropped");
  const sent = await run("drop", "1");
  expect(sent.code).toBe(1);
  expect(sent.err).toContain("entry 1: not found, or in a state drop does not apply to");
  expect(stateOf(1)).toBe("sent");
});

test("bad input is one line and status 2", async () => {
  expect((await run("list", "--state", "lost")).err).toMatch(
    /^iommu-review outbox: --state: 'lost' is not one of/,
  );
  expect((await run("requeue", "x1")).err).toBe("iommu-review outbox: 'x1' is not an entry id\n");
  expect((await run("resend")).code).toBe(2);
});
