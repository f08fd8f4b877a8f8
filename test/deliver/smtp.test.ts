// With SMTP configured, the reply reaches a real SMTP server (smtp-server on 127.0.0.1, started here) with the
// envelope and the threading headers of the composed mail.

import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { SMTPServer } from "smtp-server";
import { SmtpTransport } from "../../src/deliver/smtp.js";
import { type Harness, startHarness } from "../mirror/harness.js";
import { patchMail, signedPost, waitFor } from "../mirror/helpers.js";

interface Received {
  from: string;
  to: string[];
  data: string;
}

const received: Received[] = [];
let smtp: SMTPServer;
let h: Harness;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          data: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  h = await startHarness({
    policy: `
from: "iommu-review bot <iommu-review@bots.example.org>"
defaults:
  reply_to: all
  cc: [review-archive@example.org]
muted_addresses: ["*@muted.example.org"]
`,
    mail: new SmtpTransport(`smtp://127.0.0.1:${port}`),
  });
});

afterAll(async () => {
  await h.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

test("the reply is delivered over SMTP, threaded, to the author with the original To and Cc copied", async () => {
  const mail = patchMail({
    messageId: "smtp-2@example.org",
    subject: "[PATCH 2/3] iommu: Make lazy invalidation the arm64 default",
    from: "Ada Example <ada@example.org>",
    to: "iommu@lists.example.org",
    cc: "Bob Reviewer <bob@example.org>, quiet@muted.example.org",
    inReplyTo: "smtp-1@example.org",
    references: ["smtp-0@example.org", "smtp-1@example.org"],
  });
  expect((await signedPost(h.url, mail)).status).toBe(202);
  const [got] = await waitFor(() => received.length > 0 && received, "a mail at the SMTP server");

  expect(got!.from).toBe("iommu-review@bots.example.org");
  expect(got!.to).toEqual([
    "ada@example.org",
    "iommu@lists.example.org",
    "bob@example.org",
    "review-archive@example.org",
  ]);
  const head = got!.data.slice(0, got!.data.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  expect(head).toContain("\r\nIn-Reply-To: <smtp-2@example.org>\r\n");
  expect(head).toContain(
    "\r\nReferences: <smtp-0@example.org> <smtp-1@example.org> <smtp-2@example.org>\r\n",
  );
  expect(head).toContain("\r\nSubject: Re: [PATCH 2/3] iommu: Make lazy invalidation the arm64 default\r\n");
  expect(head).toContain("\r\nAuto-Submitted: auto-generated\r\n");
  expect(head).not.toContain("muted.example.org");
  expect(got!.data).toContain("> +\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64\r\n");

  await h.settled();
  expect(h.journal.counts()).toMatchObject({ outboxSent: 1, outboxPending: 0 });
  expect(received).toHaveLength(1);
});
