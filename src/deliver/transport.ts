// How a composed reply leaves the outbox. Only the SMTP transport reaches people; it is used only when configured.

export interface OutgoingMail {
  /** The outbox entry's id. */
  id: number;
  /** The outbox entry's unique key, e.g. "mail:<parent msgid>". */
  key: string;
  messageId: string;
  /** "\n" line ends. */
  raw: string;
  envelope: { from: string; to: string[] };
}

export interface MailTransport {
  /** For logs and the startup line: "maildir /var/spool/iommu-review", "smtp mail.example.org:587", "dry run". */
  readonly description: string;
  send(mail: OutgoingMail): Promise<void>;
  /**
   * After a crash: whether a mail handed to the transport got through. A transport that cannot tell leaves this
   * out, and such a mail is never retried (double mail is worse than a missing one).
   */
  wasDelivered?(mail: OutgoingMail): Promise<boolean>;
  close?(): Promise<void>;
}
