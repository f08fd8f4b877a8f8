// The digest store of the mail front: per thread the bot has reviewed (keyed by the thread root's Message-Id)
// the raw messages seen so far, the latest digest, and when a digest mail last went out. The "last mailed" slot
// is claimed with a compare-and-set, so two workers cannot both mail within one interval.

import type Database from "better-sqlite3";

export interface StoredThread {
  root: string;
  trackedAt: number;
  /** Fingerprint of the latest digest (what people said), and the digest itself as JSON. */
  digestKey?: string;
  digestJson?: string;
  updatedAt?: number;
  lastMailedAt?: number;
  /** Fingerprint of the digest the last mail carried. */
  lastMailedKey?: string;
}

export interface DigestStore {
  /** Starts tracking a thread (idempotent). */
  track(root: string, now: number): void;
  /** The tracked thread one of these Message-Ids belongs to (a root, or a message stored under one). */
  threadOf(ids: readonly string[]): string | undefined;
  /** Stores a message of a tracked thread; false when it is already stored. */
  addMessage(root: string, messageId: string, raw: Buffer): boolean;
  /** The thread's raw messages in the order they were stored. */
  messages(root: string): Buffer[];
  get(root: string): StoredThread | undefined;
  saveDigest(root: string, key: string, json: string, now: number): void;
  /**
   * Records that a digest mail with fingerprint `key` goes out at `now`, unless one went out less than
   * `intervalMs` before. Returns whether the slot was taken (only then may the caller send).
   */
  claimMailSlot(root: string, key: string, now: number, intervalMs: number): boolean;
}

/** For tests and single-process use; nothing survives a restart. */
export class MemoryDigestStore implements DigestStore {
  private readonly threads = new Map<string, StoredThread>();
  private readonly raw = new Map<string, { root: string; raw: Buffer }>();

  track(root: string, now: number): void {
    if (!this.threads.has(root)) this.threads.set(root, { root, trackedAt: now });
  }

  threadOf(ids: readonly string[]): string | undefined {
    for (const id of ids) {
      if (this.threads.has(id)) return id;
      const stored = this.raw.get(id);
      if (stored) return stored.root;
    }
    return undefined;
  }

  addMessage(root: string, messageId: string, raw: Buffer): boolean {
    if (!this.threads.has(root)) throw new Error(`thread ${root} is not tracked`);
    if (this.raw.has(messageId)) return false;
    this.raw.set(messageId, { root, raw });
    return true;
  }

  messages(root: string): Buffer[] {
    return [...this.raw.values()].filter((m) => m.root === root).map((m) => m.raw);
  }

  get(root: string): StoredThread | undefined {
    const t = this.threads.get(root);
    return t && { ...t };
  }

  saveDigest(root: string, key: string, json: string, now: number): void {
    const t = this.threads.get(root);
    if (t) Object.assign(t, { digestKey: key, digestJson: json, updatedAt: now });
  }

  claimMailSlot(root: string, key: string, now: number, intervalMs: number): boolean {
    const t = this.threads.get(root);
    if (!t || (t.lastMailedAt !== undefined && now - t.lastMailedAt < intervalMs)) return false;
    Object.assign(t, { lastMailedAt: now, lastMailedKey: key });
    return true;
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS thread_digests (
  root TEXT PRIMARY KEY,
  tracked_at INTEGER NOT NULL,
  digest_key TEXT,
  digest_json TEXT,
  updated_at INTEGER,
  last_mailed_at INTEGER,
  last_mailed_key TEXT
);
CREATE TABLE IF NOT EXISTS thread_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  root TEXT NOT NULL REFERENCES thread_digests (root),
  raw BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS thread_messages_by_root ON thread_messages (root, seq);
`;

interface DigestRow {
  root: string;
  tracked_at: number;
  digest_key: string | null;
  digest_json: string | null;
  updated_at: number | null;
  last_mailed_at: number | null;
  last_mailed_key: string | null;
}

function prepareStatements(db: Database.Database) {
  return {
    track: db.prepare("INSERT OR IGNORE INTO thread_digests (root, tracked_at) VALUES (?, ?)"),
    rootById: db.prepare("SELECT root FROM thread_digests WHERE root = ?"),
    rootOfMessage: db.prepare("SELECT root FROM thread_messages WHERE message_id = ?"),
    addMessage: db.prepare("INSERT OR IGNORE INTO thread_messages (message_id, root, raw) VALUES (?, ?, ?)"),
    messages: db.prepare("SELECT raw FROM thread_messages WHERE root = ? ORDER BY seq"),
    get: db.prepare("SELECT * FROM thread_digests WHERE root = ?"),
    saveDigest: db.prepare(
      "UPDATE thread_digests SET digest_key = ?, digest_json = ?, updated_at = ? WHERE root = ?",
    ),
    claim: db.prepare(
      "UPDATE thread_digests SET last_mailed_at = ?, last_mailed_key = ? WHERE root = ? AND (last_mailed_at IS NULL OR ? - last_mailed_at >= ?)",
    ),
  };
}

/**
 * SQLite-backed store. Give it the mirror journal's database (Journal.db) to keep its two tables next to the
 * outbox, so that claiming the mail slot and queueing the mail can share one transaction.
 */
export class SqliteDigestStore implements DigestStore {
  private readonly sql: ReturnType<typeof prepareStatements>;

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.sql = prepareStatements(db);
  }

  track(root: string, now: number): void {
    this.sql.track.run(root, now);
  }

  threadOf(ids: readonly string[]): string | undefined {
    for (const id of ids) {
      const row = (this.sql.rootById.get(id) ?? this.sql.rootOfMessage.get(id)) as
        | { root: string }
        | undefined;
      if (row) return row.root;
    }
    return undefined;
  }

  addMessage(root: string, messageId: string, raw: Buffer): boolean {
    if (!this.sql.rootById.get(root)) throw new Error(`thread ${root} is not tracked`);
    return this.sql.addMessage.run(messageId, root, raw).changes === 1;
  }

  messages(root: string): Buffer[] {
    return (this.sql.messages.all(root) as { raw: Buffer }[]).map((r) => r.raw);
  }

  get(root: string): StoredThread | undefined {
    const row = this.sql.get.get(root) as DigestRow | undefined;
    if (!row) return undefined;
    return {
      root: row.root,
      trackedAt: row.tracked_at,
      ...(row.digest_key !== null && { digestKey: row.digest_key }),
      ...(row.digest_json !== null && { digestJson: row.digest_json }),
      ...(row.updated_at !== null && { updatedAt: row.updated_at }),
      ...(row.last_mailed_at !== null && { lastMailedAt: row.last_mailed_at }),
      ...(row.last_mailed_key !== null && { lastMailedKey: row.last_mailed_key }),
    };
  }

  saveDigest(root: string, key: string, json: string, now: number): void {
    this.sql.saveDigest.run(key, json, now, root);
  }

  claimMailSlot(root: string, key: string, now: number, intervalMs: number): boolean {
    return this.sql.claim.run(now, key, root, now, intervalMs).changes === 1;
  }
}
