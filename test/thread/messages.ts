// Small hand-written threads for the unit tests: our own wording, no list text.

import type { ThreadMessage } from "../../src/thread/model.js";

let position = 0;

export function message(fields: Partial<ThreadMessage> & { id: string }): ThreadMessage {
  return {
    subject: "Re: [PATCH] iommu: Default to lazy on riscv",
    references: [],
    body: "",
    isPatch: false,
    position: position++,
    ...fields,
  };
}

export const ROOT_SUBJECT = "[PATCH] iommu: Default to lazy on riscv";

export function root(fields: Partial<ThreadMessage> = {}): ThreadMessage {
  return message({
    id: "root@example.org",
    subject: ROOT_SUBJECT,
    from: { name: "Pat Author", email: "pat@example.org" },
    date: "2026-01-05T10:00:00.000Z",
    isPatch: true,
    body: "Make riscv lazy like x86.\n\nSigned-off-by: Pat Author <pat@example.org>\n---\ndiff --git a/x b/x\n",
    ...fields,
  });
}

/** One mail of an mbox with the headers the thread reader uses. */
export function mail(h: {
  from: string;
  date: string;
  subject: string;
  id: string;
  inReplyTo?: string;
  references?: string[];
  body: string;
}): string {
  const lines = [
    `From ${h.id} Thu Jan  1 00:00:00 1970`,
    `From: ${h.from}`,
    `Date: ${h.date}`,
    `Subject: ${h.subject}`,
    `Message-Id: <${h.id}>`,
  ];
  if (h.inReplyTo) lines.push(`In-Reply-To: <${h.inReplyTo}>`);
  if (h.references?.length) lines.push(`References: ${h.references.map((r) => `<${r}>`).join(" ")}`);
  lines.push("Content-Type: text/plain; charset=utf-8", "");
  return `${lines.join("\n")}\n${h.body.replace(/^(>*From )/gm, ">$1")}\n`;
}

export const PATCH_BODY = `Make riscv use the lazy default like x86, for network throughput.

Signed-off-by: Pat Author <pat@example.org>
---
 drivers/iommu/Kconfig | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/drivers/iommu/Kconfig b/drivers/iommu/Kconfig
index 1111111..2222222 100644
--- a/drivers/iommu/Kconfig
+++ b/drivers/iommu/Kconfig
@@ -96,7 +96,7 @@ config IOMMU_DEBUGFS
 choice
 	prompt "IOMMU default domain type"
 	depends on IOMMU_API
-	default IOMMU_DEFAULT_DMA_LAZY if X86 || S390
+	default IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || RISCV
 	default IOMMU_DEFAULT_DMA_STRICT
 	help
 	  Choose the type of IOMMU domain used to manage DMA API usage by
`;

/** A patch and three replies, written for these tests. */
export function syntheticMbox(): string {
  const rootId = "riscv-lazy-1@example.org";
  return [
    mail({
      from: "Pat Author <pat@example.org>",
      date: "Mon, 05 Jan 2026 10:00:00 +0000",
      subject: ROOT_SUBJECT,
      id: rootId,
      body: PATCH_BODY,
    }),
    mail({
      from: "Ada Reviewer <ada@example.org>",
      date: "Mon, 05 Jan 2026 12:00:00 +0000",
      subject: `Re: ${ROOT_SUBJECT}`,
      id: "ada-1@example.org",
      inReplyTo: rootId,
      references: [rootId],
      body: `On Mon, Jan 05, 2026 at 10:00:00AM +0000, Pat Author wrote:
> Make riscv use the lazy default like x86, for network throughput.

Keeping strict as the default is the safer path; anyone who wants the
speed can already pass iommu.strict=0 on the kernel command line.

Why should riscv get a default of its own?

Thanks,
Ada`,
    }),
    mail({
      from: "Bo Maintainer <bo@example.org>",
      date: "Mon, 05 Jan 2026 15:00:00 +0000",
      subject: `Re: ${ROOT_SUBJECT}`,
      id: "bo-1@example.org",
      inReplyTo: "ada-1@example.org",
      references: [rootId, "ada-1@example.org"],
      body: `On 05/01/2026 12:00, Ada Reviewer wrote:
> Why should riscv get a default of its own?

It should not. I would rather have no arch override at all.

--
Bo`,
    }),
    mail({
      from: "Pat Author <pat@example.org>",
      date: "Tue, 06 Jan 2026 09:00:00 +0000",
      subject: `Re: ${ROOT_SUBJECT}`,
      id: "pat-2@example.org",
      inReplyTo: "bo-1@example.org",
      references: [rootId, "ada-1@example.org", "bo-1@example.org"],
      body: `> It should not.

Fair enough, I will drop it.`,
    }),
  ].join("");
}
