// The transactional outbox: what a restart does with entries a killed process left "sending", retries, embargo.

import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { MaildirTransport } from "../../src/deliver/maildir.js";
import type { MailTransport, OutgoingMail } from "../../src/deliver/transport.js";
import { Journal, JournalInUseError, type NewOutboxEntry } from "../../src/mirror/journal.js";
import { OutboxDispatcher } from "../../src/mirror/outbox-dispatcher.js";
import { readMaildir, tempDir } from "./helpers.js";

let dir: ReturnType<typeof tempDir>;
let clock: number;
let journal: Journal;

beforeEach(() => {
  dir = tempDir();
  clock = 1_000_000;
  journal = new Journal(join(dir.path, "j.sqlite"), () => clock);
});
afterEach(() => {
  journal.close();
  dir.remove();
});

test("a journal file is open in one Journal at a time; closing it frees the file", () => {
  const path = join(dir.path, "j.sqlite");
  expect(() => new Journal(path)).toThrow(JournalInUseError);
  journal.close();
  journal = new Journal(path, () => clock);
  expect(journal.counts().pending).toBe(0);
});

function mailEntry(n: number, notBefore = clock): NewOutboxEntry {
  const messageId = `reply-${n}@bots.example.org`;
  return {
    key: `mail:patch-${n}@example.org`,
    kind: "mail",
    answers: messageId,
    list: "default",
    thread: `patch-${n}@example.org`,
    payload: `Message-ID: <${messageId}>\nIn-Reply-To: <patch-${n}@example.org>\n\nbody ${n}\n`,
    meta: JSON.stringify({ messageId, envelope: { from: "bot@example.org", to: ["ada@example.org"] } }),
    notBefore,
  };
}

class RecordingTransport implements MailTransport {
  readonly description = "recording";
  sent: OutgoingMail[] = [];
  failures = 0;
  async send(mail: OutgoingMail) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error("451 try again later");
    }
    this.sent.push(mail);
  }
}

const state = (id = 1) => journal.db.prepare("SELECT state FROM outbox WHERE id = ?").pluck().get(id);

describe("recovery after a kill", () => {
  test("a mail that reached the Maildir before the kill is marked sent, not written again", async () => {
    const outbox = join(dir.path, "outbox");
    const maildir = new MaildirTransport(outbox);
    journal.addOutbox(mailEntry(1));
    // The killed process had marked it sending and written the file, but not yet recorded "sent".
    const entry = journal.nextDue()!;
    journal.markOutbox(entry.id, "sending");
    await maildir.send({
      ...entry,
      messageId: "reply-1@bots.example.org",
      raw: entry.payload,
      envelope: { from: "", to: [] },
    });

    const dispatcher = new OutboxDispatcher({ journal, mail: maildir, now: () => clock });
    expect(await dispatcher.recover()).toEqual({ resent: 0, delivered: 1, unknown: 0 });
    expect(state()).toBe("sent");
    expect(await dispatcher.deliverNext()).toBe(false);
    expect(readMaildir(outbox)).toHaveLength(1);
  });

  test("a mail that did not reach the Maildir is delivered once after the restart", async () => {
    const outbox = join(dir.path, "outbox");
    journal.addOutbox(mailEntry(1));
    journal.markOutbox(journal.nextDue()!.id, "sending");
    const dispatcher = new OutboxDispatcher({
      journal,
      mail: new MaildirTransport(outbox),
      now: () => clock,
    });
    expect(await dispatcher.recover()).toEqual({ resent: 1, delivered: 0, unknown: 0 });
    expect(await dispatcher.deliverNext()).toBe(true);
    expect(await dispatcher.deliverNext()).toBe(false);
    expect(readMaildir(outbox).map((m) => m.headers.get("in-reply-to"))).toEqual(["<patch-1@example.org>"]);
  });

  test("with a transport that cannot tell (SMTP), an interrupted mail is marked unknown and never resent", async () => {
    const smtp = new RecordingTransport();
    journal.addOutbox(mailEntry(1));
    journal.markOutbox(journal.nextDue()!.id, "sending");
    const dispatcher = new OutboxDispatcher({ journal, mail: smtp, now: () => clock });
    expect(await dispatcher.recover()).toEqual({ resent: 0, delivered: 0, unknown: 1 });
    expect(await dispatcher.deliverNext()).toBe(false);
    expect(smtp.sent).toHaveLength(0);
    expect(state()).toBe("unknown");
  });

  test("an interrupted Patchwork check goes back to pending (the reporter skips what Patchwork already has)", async () => {
    journal.addOutbox({ ...mailEntry(1), key: "check:x", kind: "check", payload: "{}" });
    journal.markOutbox(1, "sending");
    const dispatcher = new OutboxDispatcher({ journal, mail: new RecordingTransport(), now: () => clock });
    expect(await dispatcher.recover()).toEqual({ resent: 1, delivered: 0, unknown: 0 });
    expect(state()).toBe("pending");
  });
});

describe("delivery", () => {
  test("an entry is added once per key", () => {
    expect(journal.addOutbox(mailEntry(1))).toBe(true);
    expect(journal.addOutbox(mailEntry(1))).toBe(false);
  });

  test("a failed send is retried after a growing delay, then given up", async () => {
    const smtp = new RecordingTransport();
    smtp.failures = 10;
    const dispatcher = new OutboxDispatcher({
      journal,
      mail: smtp,
      now: () => clock,
      retryDelayMs: 1000,
      maxAttempts: 3,
    });
    journal.addOutbox(mailEntry(1));
    expect(await dispatcher.deliverNext()).toBe(true);
    expect(state()).toBe("pending");
    expect(await dispatcher.deliverNext()).toBe(false); // not due for 1 s
    clock += 1000;
    expect(await dispatcher.deliverNext()).toBe(true);
    clock += 1000;
    expect(await dispatcher.deliverNext()).toBe(false); // second delay is 2 s
    clock += 1000;
    expect(await dispatcher.deliverNext()).toBe(true);
    expect(state()).toBe("failed");
    expect(journal.db.prepare("SELECT last_error FROM outbox").pluck().get()).toBe("451 try again later");
  });

  test("a reply under embargo waits until the embargo ends", async () => {
    const smtp = new RecordingTransport();
    const dispatcher = new OutboxDispatcher({ journal, mail: smtp, now: () => clock });
    journal.addOutbox(mailEntry(1, clock + 30 * 60_000));
    expect(await dispatcher.deliverNext()).toBe(false);
    clock += 30 * 60_000;
    expect(await dispatcher.deliverNext()).toBe(true);
    expect(smtp.sent.map((m) => m.messageId)).toEqual(["reply-1@bots.example.org"]);
  });
});
