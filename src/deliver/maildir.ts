// The default transport: a Maildir outbox. A mail is written to tmp/, synced, then renamed into new/ (and new/
// synced), so a reader never sees half a file. The file name is derived from the outbox entry's key (what the mail answers), so
// writing it twice is a no-op and a restart can tell whether it already got there, even if the journal lost
// its record of the delivery.

import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { access, open, readdir, rename, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { MailTransport, OutgoingMail } from "./transport.js";

export class MaildirTransport implements MailTransport {
  readonly description: string;
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    for (const sub of ["tmp", "new", "cur"]) mkdirSync(join(this.dir, sub), { recursive: true });
    this.description = `maildir ${this.dir}`;
  }

  /** The file name of a mail in new/ (a reader that moves it to cur/ appends ":2,<flags>"). */
  fileName(mail: OutgoingMail): string {
    return `iommu-review.${createHash("sha256").update(mail.key).digest("hex").slice(0, 32)}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    if (await this.wasDelivered(mail)) return;
    const name = this.fileName(mail);
    const tmp = join(this.dir, "tmp", name);
    const file = await open(tmp, "w", 0o640);
    try {
      await file.writeFile(mail.raw, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    try {
      await rename(tmp, join(this.dir, "new", name));
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    // The rename is an update of new/ itself: without syncing the directory, a power cut can undo it after the
    // journal has recorded the mail as sent.
    await syncDirectory(join(this.dir, "new"));
  }

  async wasDelivered(mail: OutgoingMail): Promise<boolean> {
    const name = this.fileName(mail);
    if (await exists(join(this.dir, "new", name))) return true;
    const cur = await readdir(join(this.dir, "cur"));
    return cur.some((file) => file === name || file.startsWith(`${name}:`));
  }
}

async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
