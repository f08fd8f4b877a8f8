// Shared by the mail pipeline tests: made-up patch mails (people at example.org), signed requests, Maildir reading.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { signBody } from "../../src/mirror/signature.js";

export const SECRET = "test-secret-not-for-production";
export const FLAGSHIP = fileURLToPath(new URL("../../examples/arm64-lazy-default.patch", import.meta.url));
export const RULES_DIR = fileURLToPath(new URL("../../rules", import.meta.url));

export function tempDir(prefix = "iommu-review-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface PatchMailOptions {
  messageId: string;
  subject?: string;
  from?: string;
  to?: string;
  cc?: string;
  inReplyTo?: string;
  references?: string[];
  /** true: add "|| ARM64" to the lazy default (the review finds it); false: a help-text edit (no finding). */
  triggers?: boolean;
  extraHeaders?: string[];
}

/** A format-patch style mail against drivers/iommu/Kconfig. */
export function patchMail(o: PatchMailOptions): string {
  const headers = [
    `From: ${o.from ?? "Ada Example <ada@example.org>"}`,
    `To: ${o.to ?? "iommu@lists.example.org"}`,
    ...(o.cc ? [`Cc: ${o.cc}`] : []),
    `Subject: ${o.subject ?? "[PATCH] iommu: Make lazy invalidation the arm64 default"}`,
    "Date: Tue, 14 Apr 2026 09:15:00 +0000",
    `Message-Id: <${o.messageId}>`,
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`] : []),
    ...(o.references?.length ? [`References: ${o.references.map((r) => `<${r}>`).join(" ")}`] : []),
    ...(o.extraHeaders ?? []),
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=UTF-8",
  ];
  const triggers = o.triggers ?? true;
  const hunk = triggers
    ? [
        "-\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
        "+\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64",
        " \tdefault IOMMU_DEFAULT_DMA_STRICT",
        " \thelp",
      ]
    : [
        " \tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390",
        " \tdefault IOMMU_DEFAULT_DMA_STRICT",
        " \thelp",
        "-\t  Pick the kind of IOMMU domain.",
        "+\t  Pick the kind of IOMMU domain that devices get.",
      ];
  const hunkLines = [" choice", ' \tprompt "IOMMU default domain type"', " \tdepends on IOMMU_API", ...hunk];
  const oldCount = hunkLines.filter((l) => !l.startsWith("+")).length;
  const newCount = hunkLines.filter((l) => !l.startsWith("-")).length;
  return `${headers.join("\n")}

Kernels for arm64 end up with strict invalidation. Change that.

Signed-off-by: Ada Example <ada@example.org>
---
 drivers/iommu/Kconfig | 2 +-
 1 file changed, 1 insertion(+), 1 deletion(-)

diff --git a/drivers/iommu/Kconfig b/drivers/iommu/Kconfig
index d24b793..6646df7 100644
--- a/drivers/iommu/Kconfig
+++ b/drivers/iommu/Kconfig
@@ -96,${oldCount} +96,${newCount} @@ config IOMMU_DEBUGFS
${hunkLines.join("\n")}
-- 
2.47.3
`;
}

/** A GitHub push event to the mirror repository mirror-org/iommu-mirror (installation 1), three commits. */
export function pushPayload(over: Record<string, unknown> = {}) {
  return {
    ref: "refs/heads/master",
    before: "0".repeat(40),
    after: "c3".repeat(20),
    created: false,
    deleted: false,
    forced: false,
    commits: ["c1", "c2", "c3"].map((c) => ({ id: c.repeat(20), message: "m" })),
    repository: {
      id: 1,
      name: "iommu-mirror",
      full_name: "mirror-org/iommu-mirror",
      owner: { login: "mirror-org", name: "mirror-org" },
      default_branch: "master",
    },
    installation: { id: 1 },
    ...over,
  };
}

export async function signedPost(
  url: string,
  body: string | Buffer,
  contentType = "message/rfc822",
  secret = SECRET,
): Promise<{ status: number; json: { messages?: { messageId: string; status: string }[]; error?: string } }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": contentType, "X-Hub-Signature-256": signBody(secret, body) },
    body,
  });
  return { status: res.status, json: (await res.json()) as never };
}

export interface MaildirMail {
  file: string;
  raw: string;
  headers: Map<string, string>;
  body: string;
}

/** The mails in new/, headers unfolded, names lower-cased. */
export function readMaildir(dir: string): MaildirMail[] {
  let files: string[];
  try {
    files = readdirSync(join(dir, "new")).sort();
  } catch {
    return [];
  }
  return files.map((file) => ({ file, ...splitMail(readFileSync(join(dir, "new", file), "utf8")) }));
}

/** A composed mail ("\n" line ends) into its headers, unfolded with names lower-cased, and its body. */
export function splitMail(raw: string): Omit<MaildirMail, "file"> {
  const split = raw.indexOf("\n\n");
  const headers = new Map<string, string>();
  for (const line of raw
    .slice(0, split)
    .replace(/\n[ \t]+/g, " ")
    .split("\n")) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { raw, headers, body: raw.slice(split + 2) };
}

export async function waitFor<T>(
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
