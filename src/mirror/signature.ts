// HMAC-SHA256 request signatures in GitHub's format: "X-Hub-Signature-256: sha256=<hex of HMAC(secret, body)>".

import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-hub-signature-256";
const PREFIX = "sha256=";

export function signBody(secret: string, body: Buffer | string): string {
  return PREFIX + createHmac("sha256", secret).update(body).digest("hex");
}

export type SignatureCheck = "ok" | "missing" | "malformed" | "mismatch";

/** Compares in constant time; a header of the wrong shape never reaches the comparison. */
export function checkSignature(secret: string, body: Buffer, header: string | undefined): SignatureCheck {
  if (header === undefined || header === "") return "missing";
  if (!header.startsWith(PREFIX)) return "malformed";
  const hex = header.slice(PREFIX.length);
  if (!/^[0-9a-f]{64}$/i.test(hex)) return "malformed";
  const given = Buffer.from(hex, "hex");
  const expected = createHmac("sha256", secret).update(body).digest();
  return timingSafeEqual(given, expected) ? "ok" : "mismatch";
}
