// `iommu-review outbox list|requeue|drop`: what an operator does with replies and checks that did not go out.
// It works beside a running `serve` on the same SQLite journal: each command is one small write, and the
// dispatcher picks a requeued entry up at its next look (within a second).

import { DEFAULT_DB } from "../mirror/assemble.js";
import { Journal, OUTBOX_STATES, type OutboxEntry, type OutboxState } from "../mirror/journal.js";
import { parseOptions, UsageError } from "./args.js";

export const OUTBOX_USAGE = `Usage: iommu-review outbox list [--db FILE] [--state S,S...|all] [--json]
       iommu-review outbox requeue [--db FILE] (ID... | --failed | --unknown)
       iommu-review outbox drop [--db FILE] ID...

list     entries needing an operator (default --state failed,unknown)
requeue  send failed, unknown or dropped entries again (an unknown SMTP mail may then arrive twice)
drop     give up entries that have not gone out; they are kept, marked dropped

  --db FILE   SQLite journal (default ${DEFAULT_DB})`;

export interface CommandIo {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export async function outboxCommand(argv: string[], io: CommandIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const fail = (message: string) => {
    stderr.write(`iommu-review outbox: ${message}\n`);
    return 2;
  };
  const [action, ...rest] = argv;
  if (action === undefined || action === "-h" || action === "--help") {
    stdout.write(`${OUTBOX_USAGE}\n`);
    return action === undefined ? 2 : 0;
  }
  let parsed: ReturnType<typeof parseOptions>;
  try {
    if (!["list", "requeue", "drop"].includes(action)) throw new UsageError(`unknown action '${action}'`);
    parsed = parseOptions(rest, {
      db: { type: "string" },
      state: { type: "string" },
      json: { type: "boolean" },
      failed: { type: "boolean" },
      unknown: { type: "boolean" },
    });
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message}\nTry 'iommu-review outbox --help'.`);
    throw e;
  }
  const { values, positionals } = parsed;
  const db = (values.db as string | undefined) ?? DEFAULT_DB;
  let journal: Journal;
  try {
    journal = new Journal(db, Date.now, { lock: false });
  } catch (e) {
    return fail(`--db ${db}: ${(e as Error).message}`);
  }
  try {
    if (action === "list") {
      const spec = (values.state as string | undefined) ?? "failed,unknown";
      const states = spec === "all" ? OUTBOX_STATES : spec.split(",").map((s) => s.trim());
      const bad = states.find((s) => !OUTBOX_STATES.includes(s as OutboxState));
      if (bad) return fail(`--state: '${bad}' is not one of ${OUTBOX_STATES.join(", ")}, all`);
      const entries = journal.listOutbox(states as OutboxState[]);
      stdout.write(values.json ? `${JSON.stringify(entries.map(summary))}\n` : table(entries));
      return 0;
    }
    const ids = selectIds(journal, positionals, values);
    if (typeof ids === "string") return fail(ids);
    const apply =
      action === "requeue"
        ? (id: number) => journal.requeueOutbox(id)
        : (id: number) => journal.dropOutbox(id);
    let changed = 0;
    for (const id of ids) {
      if (apply(id)) changed++;
      else
        stderr.write(
          `iommu-review outbox: entry ${id}: not found, or in a state ${action} does not apply to\n`,
        );
    }
    stdout.write(`${action === "requeue" ? "requeued" : "dropped"} ${changed} of ${ids.length}\n`);
    return changed === ids.length ? 0 : 1;
  } finally {
    journal.close();
  }
}

function selectIds(
  journal: Journal,
  positionals: string[],
  values: Record<string, unknown>,
): number[] | string {
  const states: OutboxState[] = [
    ...(values.failed ? (["failed"] as const) : []),
    ...(values.unknown ? (["unknown"] as const) : []),
  ];
  if (states.length > 0) return journal.listOutbox(states).map((e) => e.id);
  if (positionals.length === 0) return "name the entries (their ids, from 'iommu-review outbox list')";
  const bad = positionals.find((p) => !/^[1-9]\d*$/.test(p));
  if (bad) return `'${bad}' is not an entry id`;
  return positionals.map(Number);
}

function summary(e: OutboxEntry) {
  return {
    id: e.id,
    state: e.state,
    kind: e.kind,
    key: e.key,
    answers: e.answers,
    attempts: e.attempts,
    createdAt: new Date(e.createdAt).toISOString(),
    lastError: e.lastError,
  };
}

function table(entries: OutboxEntry[]): string {
  if (entries.length === 0) return "no entries\n";
  return entries
    .map((e) => `${e.id}\t${e.state}\t${e.kind}\tattempts ${e.attempts}\t${e.key}\t${e.lastError ?? ""}\n`)
    .join("");
}
