// SMTP delivery through nodemailer, used only when an SMTP URL is configured. The composed message is sent as is
// (raw), so the mail that leaves is byte for byte the one the outbox holds.

import nodemailer, { type Transporter } from "nodemailer";
import type { MailTransport, OutgoingMail } from "./transport.js";

export class SmtpTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;

  constructor(url: string) {
    const parsed = new URL(url);
    if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") {
      throw new Error(`must be an smtp:// or smtps:// URL (got ${parsed.protocol})`);
    }
    this.transporter = nodemailer.createTransport(url);
    // Never print the password.
    this.description = `smtp ${parsed.protocol}//${parsed.host}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail({
      envelope: mail.envelope,
      raw: mail.raw.replace(/\r?\n/g, "\r\n"),
    });
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}
