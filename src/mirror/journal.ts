// The durable journal: every accepted message, what became of it, and the outbox of replies and checks.
// One SQLite file (WAL). A message is committed before the intake answers 202; a message's outcome and its
// outbox entries are committed in one transaction, so a crash either redoes the whole review or none of it.
//
// Durability: every commit survives a killed process (WAL). Accepted messages, and marks that must not be lost
// before a mail goes out by a transport that cannot be asked afterwards, are also synced to disk before the call
// returns (synchronous = FULL), so they survive a power cut. Other commits skip the sync (synchronous = NORMAL):
// after a power cut they may roll back to the last synced commit, and the work is redone; the Maildir and the
// Patchwork reporter recognise what they already delivered.

import Database from "better-sqlite3";

export type MessageState = "pending" | "done" | "failed";
/**
 * pending: waiting (or its embargo running); sending: handed to a transport, result not yet recorded;
 * dropped: an operator decided it never goes out (`iommu-review outbox drop`).
 */
export type OutboxState = "pending" | "sending" | "sent" | "unknown" | "failed" | "dropped";
export const OUTBOX_STATES: readonly OutboxState[] = [
  "pending",
  "sending",
  "sent",
  "unknown",
  "failed",
  "dropped",
];
export type OutboxKind = "mail" | "check";

export interface JournalMessage {
  seq: number;
  messageId: string;
  raw: Buffer;
  origin: string;
  patchworkId: number | null;
  receivedAt: number;
  attempts: number;
}

export interface NewOutboxEntry {
  /**
   * Unique per effect: "mail:<msgid>", "rollup:<thread>:v2", "digest:<root>:<fingerprint>", "check:<msgid>".
   * Re-inserting is a no-op.
   */
  key: string;
  kind: OutboxKind;
  /** Message-Id of the message this entry answers. */
  answers: string;
  /** Policy key used for the per-hour limit ("default" when no list matched). */
  list: string;
  /** Message-Id of the thread root, for the per-thread limit. */
  thread: string;
  payload: string;
  /** JSON: the mail envelope, or the check's patch reference. */
  meta: string;
  notBefore: number;
}

export interface OutboxEntry extends NewOutboxEntry {
  id: number;
  state: OutboxState;
  createdAt: number;
  sentAt: number | null;
  attempts: number;
  lastError: string | null;
}

/** What the worker learned about one message, stored with it. */
export interface MessageOutcome {
  outcome: string;
  thread?: string;
  series?: string;
  seriesIndex?: number;
  seriesTotal?: number;
  findings?: number;
  reviewText?: string;
  replyContext?: string;
}

export interface SeriesMember {
  messageId: string;
  seriesIndex: number;
  findings: number;
  reviewText: string;
  replyContext: string;
}

export interface JournalCounts {
  pending: number;
  done: number;
  failed: number;
  outboxPending: number;
  outboxSent: number;
  outboxUnknown: number;
  outboxFailed: number;
}

/** What readiness and the metrics look at: the counts, and how long the oldest work has waited. */
export interface JournalHealth {
  counts: JournalCounts;
  /** Age of the oldest message waiting for review (0 when none). */
  oldestPendingMessageMs: number;
  /** How long past its due time the oldest undelivered outbox entry is (0 when none is due). */
  oldestDueOutboxMs: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  raw BLOB NOT NULL,
  origin TEXT NOT NULL,
  patchwork_id INTEGER,
  received_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  outcome TEXT,
  handled_at INTEGER,
  thread TEXT,
  series TEXT,
  series_index INTEGER,
  series_total INTEGER,
  findings INTEGER,
  review_text TEXT,
  reply_context TEXT
);
CREATE INDEX IF NOT EXISTS messages_by_state ON messages (state, seq);
CREATE INDEX IF NOT EXISTS messages_by_series ON messages (series, series_index);
CREATE INDEX IF NOT EXISTS messages_by_thread ON messages (thread, seq);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  key TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  answers TEXT NOT NULL,
  list TEXT NOT NULL,
  thread TEXT NOT NULL,
  payload TEXT NOT NULL,
  meta TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  created_at INTEGER NOT NULL,
  not_before INTEGER NOT NULL,
  sent_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, not_before);
CREATE INDEX IF NOT EXISTS outbox_by_thread ON outbox (kind, thread);
CREATE INDEX IF NOT EXISTS outbox_by_list ON outbox (kind, list, created_at);
CREATE TABLE IF NOT EXISTS cursors (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

interface MessageRow {
  seq: number;
  message_id: string;
  raw: Buffer;
  origin: string;
  patchwork_id: number | null;
  received_at: number;
  attempts: number;
}

interface OutboxRow {
  id: number;
  key: string;
  kind: OutboxKind;
  answers: string;
  list: string;
  thread: string;
  payload: string;
  meta: string;
  state: OutboxState;
  created_at: number;
  not_before: number;
  sent_at: number | null;
  attempts: number;
  last_error: string | null;
}

export interface IncomingMessage {
  messageId: string;
  raw: Buffer;
  origin: string;
  patchworkId?: number;
}

export type EnqueueResult = { messageId: string; status: "queued" | "duplicate" };

/** A second process on a journal file in use; SQLite has one writer, and two workers would mail twice. */
export class JournalInUseError extends Error {
  override name = "JournalInUseError";
}

/**
 * Holds an exclusive lock on `<journal>.lock` for as long as the journal is open. The operating system drops it
 * when the process ends, even by SIGKILL, so a crashed process never blocks its restart.
 */
function lockJournal(path: string): Database.Database {
  const lock = new Database(`${path}.lock`);
  lock.pragma("busy_timeout = 0");
  try {
    lock.exec("BEGIN EXCLUSIVE");
  } catch (e) {
    lock.close();
    if ((e as { code?: string }).code !== "SQLITE_BUSY") throw e;
    throw new JournalInUseError(
      "is in use by another iommu-review process (serve, or the App's mail side); " +
        "SQLite allows one process per journal: stop the other one or give this one its own journal",
    );
  }
  return lock;
}

export class Journal {
  readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly lock: Database.Database | undefined;

  /**
   * `lock: false` is for the admin commands only: they make single small writes beside a running server, which
   * SQLite serialises; the lock exists to keep a second worker and dispatcher away.
   */
  constructor(
    readonly path: string,
    private readonly now: () => number = Date.now,
    opts: { lock?: boolean } = {},
  ) {
    this.lock = opts.lock === false ? undefined : lockJournal(path);
    try {
      this.db = new Database(path);
    } catch (e) {
      this.lock?.close();
      throw e;
    }
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(SCHEMA);
    this.statements = prepareStatements(this.db);
  }

  /** Stores every message of one request, or none of them. Known Message-Ids are reported as duplicates. */
  enqueue(messages: readonly IncomingMessage[]): EnqueueResult[] {
    const insert = this.db.transaction((batch: readonly IncomingMessage[]) =>
      batch.map((m): EnqueueResult => {
        const info = this.statements.insertMessage.run({
          messageId: m.messageId,
          raw: m.raw,
          origin: m.origin,
          patchworkId: m.patchworkId ?? null,
          receivedAt: this.now(),
        });
        return { messageId: m.messageId, status: info.changes === 1 ? "queued" : "duplicate" };
      }),
    );
    return this.synced(() => insert(messages));
  }

  /** The oldest pending message, its attempt already counted (so a message that crashes the process gives up). */
  claimNext(): JournalMessage | undefined {
    const row = this.statements.nextPending.get() as MessageRow | undefined;
    if (!row) return undefined;
    this.statements.countAttempt.run(row.seq);
    return {
      seq: row.seq,
      messageId: row.message_id,
      raw: row.raw,
      origin: row.origin,
      patchworkId: row.patchwork_id,
      receivedAt: row.received_at,
      attempts: row.attempts + 1,
    };
  }

  /**
   * Records a message's outcome, then runs `effects` in the same transaction: it may add outbox entries and return
   * a revised outcome (say, "rate-limited"). Returns false, with nothing written, when the message was no longer
   * pending.
   */
  finish(
    seq: number,
    state: "done" | "failed",
    outcome: MessageOutcome,
    effects?: () => string | undefined,
  ): boolean {
    const run = this.db.transaction(() => {
      const info = this.statements.finish.run({
        seq,
        state,
        outcome: outcome.outcome,
        handledAt: this.now(),
        thread: outcome.thread ?? null,
        series: outcome.series ?? null,
        seriesIndex: outcome.seriesIndex ?? null,
        seriesTotal: outcome.seriesTotal ?? null,
        findings: outcome.findings ?? null,
        reviewText: outcome.reviewText ?? null,
        replyContext: outcome.replyContext ?? null,
      });
      if (info.changes !== 1) return false;
      const revised = effects?.();
      if (revised !== undefined && revised !== outcome.outcome) this.statements.setOutcome.run(revised, seq);
      return true;
    });
    return run();
  }

  /** Inside finish()'s effects: adds an outbox entry; false when its key already exists. */
  addOutbox(entry: NewOutboxEntry): boolean {
    const info = this.statements.insertOutbox.run({ ...entry, createdAt: this.now() });
    return info.changes === 1;
  }

  /** Review replies and roll-ups in the thread; digest mails are left out (they have an interval of their own). */
  mailsInThread(thread: string): number {
    return (this.statements.mailsInThread.get(thread) as { n: number }).n;
  }

  mailsInLastHour(list: string): number {
    return (this.statements.mailsSince.get(list, this.now() - 3_600_000) as { n: number }).n;
  }

  seriesMembers(series: string): SeriesMember[] {
    const rows = this.statements.seriesMembers.all(series) as {
      message_id: string;
      series_index: number;
      findings: number | null;
      review_text: string | null;
      reply_context: string | null;
    }[];
    return rows.map((r) => ({
      messageId: r.message_id,
      seriesIndex: r.series_index,
      findings: r.findings ?? 0,
      reviewText: r.review_text ?? "",
      replyContext: r.reply_context ?? "",
    }));
  }

  replyContextOf(messageId: string): string | undefined {
    const row = this.statements.replyContextOf.get(messageId) as { reply_context: string | null } | undefined;
    return row?.reply_context ?? undefined;
  }

  /** The reply context of the thread's root, or else of the first patch reviewed in the thread. */
  threadReplyContext(root: string): string | undefined {
    const row = this.statements.threadReplyContext.get({ root }) as { reply_context: string } | undefined;
    return row?.reply_context;
  }

  nextDue(): OutboxEntry | undefined {
    const row = this.statements.nextDue.get(this.now()) as OutboxRow | undefined;
    return row && toOutboxEntry(row);
  }

  /** When the next pending entry falls due (ms since epoch), if any. */
  nextDueTime(): number | undefined {
    const row = this.statements.nextDueTime.get() as { t: number | null };
    return row.t ?? undefined;
  }

  /** Entries handed to a transport when the process died. */
  inFlight(): OutboxEntry[] {
    return (this.statements.inFlight.all() as OutboxRow[]).map(toOutboxEntry);
  }

  /** `synced`: on disk before this returns (for "sending" when the transport cannot tell afterwards). */
  markOutbox(
    id: number,
    state: OutboxState,
    opts: { error?: string; attempt?: boolean; notBefore?: number; synced?: boolean } = {},
  ): void {
    const run = () =>
      this.statements.setOutboxState.run({
        id,
        state,
        sentAt: state === "sent" ? this.now() : null,
        lastError: opts.error ?? null,
        attempt: opts.attempt ? 1 : 0,
        notBefore: opts.notBefore ?? null,
      });
    if (opts.synced) this.synced(run);
    else run();
  }

  cursor(name: string): string | undefined {
    const row = this.statements.getCursor.get(name) as { value: string } | undefined;
    return row?.value;
  }

  setCursor(name: string, value: string): void {
    this.statements.setCursor.run(name, value);
  }

  counts(): JournalCounts {
    return this.statements.counts.get() as JournalCounts;
  }

  /** Outbox entries in these states, oldest first. */
  listOutbox(states: readonly OutboxState[]): OutboxEntry[] {
    const rows = this.db
      .prepare(`SELECT * FROM outbox WHERE state IN (${states.map(() => "?").join(", ")}) ORDER BY id`)
      .all(...states) as OutboxRow[];
    return rows.map(toOutboxEntry);
  }

  /**
   * Sends a failed, unknown or dropped entry again: pending, due now, its attempts reset. Returns whether the entry
   * was in one of those states (a sent or pending entry is left alone).
   */
  requeueOutbox(id: number): boolean {
    const info = this.db
      .prepare(
        `UPDATE outbox SET state = 'pending', attempts = 0, not_before = ? WHERE id = ?
         AND state IN ('failed', 'unknown', 'dropped')`,
      )
      .run(this.now(), id);
    return info.changes === 1;
  }

  /** Gives up an entry that has not gone out (pending, failed, unknown); false for any other. */
  dropOutbox(id: number): boolean {
    const info = this.db
      .prepare(
        "UPDATE outbox SET state = 'dropped' WHERE id = ? AND state IN ('pending', 'failed', 'unknown')",
      )
      .run(id);
    return info.changes === 1;
  }

  health(): JournalHealth {
    const now = this.now();
    const oldest = this.statements.oldest.get(now) as { message: number | null; outbox: number | null };
    return {
      counts: this.counts(),
      oldestPendingMessageMs: oldest.message === null ? 0 : Math.max(0, now - oldest.message),
      oldestDueOutboxMs: oldest.outbox === null ? 0 : Math.max(0, now - oldest.outbox),
    };
  }

  /** Runs `commit` with the write synced to disk before it returns. */
  private synced<T>(commit: () => T): T {
    this.db.pragma("synchronous = FULL");
    try {
      return commit();
    } finally {
      this.db.pragma("synchronous = NORMAL");
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
    if (this.lock?.open) this.lock.close();
  }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  return {
    insertMessage: db.prepare(
      `INSERT INTO messages (message_id, raw, origin, patchwork_id, received_at)
       VALUES (@messageId, @raw, @origin, @patchworkId, @receivedAt)
       ON CONFLICT (message_id) DO NOTHING`,
    ),
    nextPending: db.prepare(
      `SELECT seq, message_id, raw, origin, patchwork_id, received_at, attempts
       FROM messages WHERE state = 'pending' ORDER BY seq LIMIT 1`,
    ),
    countAttempt: db.prepare("UPDATE messages SET attempts = attempts + 1 WHERE seq = ?"),
    finish: db.prepare(
      `UPDATE messages SET state = @state, outcome = @outcome, handled_at = @handledAt, thread = @thread,
         series = @series, series_index = @seriesIndex, series_total = @seriesTotal, findings = @findings,
         review_text = @reviewText, reply_context = @replyContext
       WHERE seq = @seq AND state = 'pending'`,
    ),
    setOutcome: db.prepare("UPDATE messages SET outcome = ? WHERE seq = ?"),
    seriesMembers: db.prepare(
      `SELECT message_id, series_index, findings, review_text, reply_context FROM messages
       WHERE series = ? AND state = 'done' AND series_index IS NOT NULL ORDER BY series_index, seq`,
    ),
    replyContextOf: db.prepare("SELECT reply_context FROM messages WHERE message_id = ? AND state = 'done'"),
    threadReplyContext: db.prepare(
      `SELECT reply_context FROM messages
       WHERE (message_id = @root OR thread = @root) AND state = 'done' AND reply_context IS NOT NULL
       ORDER BY message_id = @root DESC, seq LIMIT 1`,
    ),
    insertOutbox: db.prepare(
      `INSERT INTO outbox (key, kind, answers, list, thread, payload, meta, created_at, not_before)
       VALUES (@key, @kind, @answers, @list, @thread, @payload, @meta, @createdAt, @notBefore)
       ON CONFLICT (key) DO NOTHING`,
    ),
    mailsInThread: db.prepare(
      "SELECT count(*) AS n FROM outbox WHERE kind = 'mail' AND thread = ? AND key NOT LIKE 'digest:%'",
    ),
    mailsSince: db.prepare(
      "SELECT count(*) AS n FROM outbox WHERE kind = 'mail' AND list = ? AND created_at > ?",
    ),
    nextDue: db.prepare(
      `SELECT * FROM outbox WHERE state = 'pending' AND not_before <= ? ORDER BY not_before, id LIMIT 1`,
    ),
    nextDueTime: db.prepare("SELECT min(not_before) AS t FROM outbox WHERE state = 'pending'"),
    setOutboxState: db.prepare(
      `UPDATE outbox SET state = @state, sent_at = @sentAt, last_error = @lastError,
         attempts = attempts + @attempt, not_before = coalesce(@notBefore, not_before)
       WHERE id = @id`,
    ),
    inFlight: db.prepare("SELECT * FROM outbox WHERE state = 'sending' ORDER BY id"),
    getCursor: db.prepare("SELECT value FROM cursors WHERE name = ?"),
    setCursor: db.prepare(
      "INSERT INTO cursors (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    ),
    oldest: db.prepare(
      `SELECT (SELECT min(received_at) FROM messages WHERE state = 'pending') AS message,
         (SELECT min(not_before) FROM outbox WHERE state IN ('pending', 'sending') AND not_before <= ?) AS outbox`,
    ),
    counts: db.prepare(
      `SELECT
         (SELECT count(*) FROM messages WHERE state = 'pending') AS pending,
         (SELECT count(*) FROM messages WHERE state = 'done') AS done,
         (SELECT count(*) FROM messages WHERE state = 'failed') AS failed,
         (SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')) AS outboxPending,
         (SELECT count(*) FROM outbox WHERE state = 'sent') AS outboxSent,
         (SELECT count(*) FROM outbox WHERE state = 'unknown') AS outboxUnknown,
         (SELECT count(*) FROM outbox WHERE state = 'failed') AS outboxFailed`,
    ),
  };
}

function toOutboxEntry(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    key: row.key,
    kind: row.kind,
    answers: row.answers,
    list: row.list,
    thread: row.thread,
    payload: row.payload,
    meta: row.meta,
    state: row.state,
    createdAt: row.created_at,
    notBefore: row.not_before,
    sentAt: row.sent_at,
    attempts: row.attempts,
    lastError: row.last_error,
  };
}
