// HMAC-SHA256 request signatures in GitHub's format: "X-Hub-Signature-256: sha256=<hex of HMAC(secret, body)>".

import { createHmac } from "node:crypto";

export const SIGNATURE_HEADER = "x-hub-signature-256";
const PREFIX = "sha256=";

export function signBody(secret: string, body: Buffer | string): string {
  return PREFIX + createHmac("sha256", secret).update(body).digest("hex");
}

/** The header's shape alone, checked before any of the body is read: the 32-byte digest it carries, or why not. */
export function parseSignature(header: string | undefined): Buffer | "missing" | "malformed" {
  if (header === undefined || header === "") return "missing";
  if (!header.startsWith(PREFIX)) return "malformed";
  const hex = header.slice(PREFIX.length);
  if (!/^[0-9a-f]{64}$/i.test(hex)) return "malformed";
  return Buffer.from(hex, "hex");
}
