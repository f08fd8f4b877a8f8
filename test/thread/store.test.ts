import { describe, expect, test } from "@jest/globals";
import Database from "better-sqlite3";
import { type DigestStore, MemoryDigestStore, SqliteDigestStore } from "../../src/thread/store.js";

const MINUTE = 60_000;

describe.each([
  ["MemoryDigestStore", () => new MemoryDigestStore()],
  ["SqliteDigestStore", () => new SqliteDigestStore(new Database(":memory:"))],
] as [string, () => DigestStore][])("%s", (_name, make) => {
  test("finds a tracked thread by its root or by any message stored under it", () => {
    const store = make();
    store.track("root@x", 0);
    expect(store.addMessage("root@x", "root@x", Buffer.from("r"))).toBe(true);
    expect(store.addMessage("root@x", "reply@x", Buffer.from("a"))).toBe(true);
    expect(store.addMessage("root@x", "reply@x", Buffer.from("again"))).toBe(false);
    expect(store.threadOf(["unknown@x", "reply@x"])).toBe("root@x");
    expect(store.threadOf(["unknown@x"])).toBeUndefined();
    expect(store.messages("root@x").map(String)).toEqual(["r", "a"]);
    expect(() => store.addMessage("other@x", "m@x", Buffer.from("m"))).toThrow(/not tracked/);
  });

  test("tracking twice keeps the first record; the digest is saved with its key", () => {
    const store = make();
    store.track("root@x", 5);
    store.track("root@x", 9);
    store.saveDigest("root@x", "k1", "{}", 10);
    expect(store.get("root@x")).toEqual({
      root: "root@x",
      trackedAt: 5,
      digestKey: "k1",
      digestJson: "{}",
      updatedAt: 10,
    });
  });

  test("the mail slot is taken at most once per interval", () => {
    const store = make();
    store.track("root@x", 0);
    expect(store.claimMailSlot("root@x", "k1", 1000, 60 * MINUTE)).toBe(true);
    expect(store.claimMailSlot("root@x", "k2", 1000 + 59 * MINUTE, 60 * MINUTE)).toBe(false);
    expect(store.get("root@x")).toMatchObject({ lastMailedAt: 1000, lastMailedKey: "k1" });
    expect(store.claimMailSlot("root@x", "k2", 1000 + 60 * MINUTE, 60 * MINUTE)).toBe(true);
    expect(store.get("root@x")).toMatchObject({ lastMailedAt: 1000 + 60 * MINUTE, lastMailedKey: "k2" });
    expect(store.claimMailSlot("untracked@x", "k", 0, 0)).toBe(false);
  });
});

test("the SQLite store keeps its state in the database it is given", () => {
  const db = new Database(":memory:");
  const first = new SqliteDigestStore(db);
  first.track("root@x", 1);
  first.addMessage("root@x", "m@x", Buffer.from("m"));
  first.claimMailSlot("root@x", "k", 100, MINUTE);
  const second = new SqliteDigestStore(db);
  expect(second.threadOf(["m@x"])).toBe("root@x");
  expect(second.claimMailSlot("root@x", "k2", 100 + MINUTE / 2, MINUTE)).toBe(false);
});
