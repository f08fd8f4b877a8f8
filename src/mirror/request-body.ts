// Reads a request body into memory, refusing more than `limit` bytes without buffering them, and computes its
// HMAC-SHA256 as the bytes arrive (so the signature is known the moment the last byte is read).

import { createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { IntakeError } from "./intake-payload.js";

export interface SignedBody {
  body: Buffer;
  /** HMAC-SHA256 of the body with the shared secret. */
  mac: Buffer;
}

export async function readSignedBody(
  req: IncomingMessage,
  limit: number,
  secret: string,
): Promise<SignedBody> {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    throw new IntakeError(413, `body of ${declared} bytes is over the limit of ${limit} bytes`);
  }
  const hmac = createHmac("sha256", secret);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new IntakeError(413, `body is over the limit of ${limit} bytes`);
    hmac.update(chunk);
    chunks.push(chunk);
  }
  return { body: Buffer.concat(chunks, size), mac: hmac.digest() };
}
