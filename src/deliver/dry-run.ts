// --dry-run: print what would be sent and send nothing.

import type { MailTransport, OutgoingMail } from "./transport.js";

export class DryRunTransport implements MailTransport {
  readonly description = "dry run (printed, not sent)";

  constructor(private readonly out: NodeJS.WritableStream = process.stdout) {}

  async send(mail: OutgoingMail): Promise<void> {
    const to = mail.envelope.to.join(", ");
    this.out.write(`=== dry run: would mail ${to} (outbox #${mail.id}) ===\n${mail.raw}\n=== end ===\n`);
  }

  /** Printing again after a crash is harmless. */
  async wasDelivered(): Promise<boolean> {
    return false;
  }
}
