// POST /patches: authenticate, decode, journal, answer. The answer is 202 only after the journal has committed
// every message of the request; any refusal is a 4xx with a JSON error and stores nothing.

import type { IncomingMessage, ServerResponse } from "node:http";
import { decodePayload, IntakeError } from "./intake-payload.js";
import type { EnqueueResult, IncomingMessage as JournalInput } from "./journal.js";
import { readBody } from "./request-body.js";
import { checkSignature, SIGNATURE_HEADER } from "./signature.js";

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface IntakeOptions {
  secret: string;
  maxBodyBytes?: number;
  /** Stores the messages (all or none) and wakes the worker. */
  accept(messages: JournalInput[]): EnqueueResult[];
}

/** Returns whether it answered the request, so that it also serves as a Probot server handler (addHandler). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => boolean;

/** A node:http handler for POST /patches; other requests go to `next`, or get a 404/405. */
export function createIntakeHandler(opts: IntakeOptions, path = "/patches"): RequestHandler {
  if (!opts.secret) throw new Error("the intake needs a webhook secret");
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res, next) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== path) {
      if (next) {
        next();
        return false;
      }
      sendJson(res, 404, { error: `no such endpoint: ${url.pathname}` });
      return true;
    }
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      sendJson(res, 405, { error: `${req.method} is not allowed here; POST a message` });
      return true;
    }
    handlePost(req, opts, limit).then(
      ({ status, body }) => sendJson(res, status, body),
      (error: unknown) => {
        if (error instanceof IntakeError) {
          // The rest of an oversized body is not worth reading; tell the client the connection ends here.
          if (error.status === 413) res.setHeader("Connection", "close");
          sendJson(res, error.status, { error: error.message });
        } else {
          sendJson(res, 500, { error: "internal error" });
          console.error("iommu-review intake:", error);
        }
      },
    );
    return true;
  };
}

async function handlePost(
  req: IncomingMessage,
  opts: IntakeOptions,
  limit: number,
): Promise<{ status: number; body: unknown }> {
  const body = await readBody(req, limit);
  const signature = checkSignature(opts.secret, body, headerValue(req.headers[SIGNATURE_HEADER]));
  if (signature !== "ok") throw new IntakeError(401, SIGNATURE_ERRORS[signature]);
  const payload = await decodePayload(headerValue(req.headers["content-type"]), body);
  const origin = payload.source ? `http:${payload.source}` : "http";
  const results = opts.accept(payload.messages.map((m) => ({ messageId: m.messageId, raw: m.raw, origin })));
  const queued = results.some((r) => r.status === "queued");
  return { status: queued ? 202 : 200, body: { messages: results } };
}

const SIGNATURE_ERRORS = {
  missing: "missing X-Hub-Signature-256 header",
  malformed: "malformed X-Hub-Signature-256 header: expected sha256=<64 hex digits>",
  mismatch: "signature does not match the body and the shared secret",
} as const;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const text = `${JSON.stringify(body)}\n`;
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
