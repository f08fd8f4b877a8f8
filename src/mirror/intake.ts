// POST /patches: authenticate, decode, journal, answer. The answer is 202 only after the journal has committed
// every message of the request; any refusal is a 4xx (503 while shutting down) with a JSON error, stores nothing,
// and is reported to `onRefused` with its reason (never the body).
//
// What can be refused without the body is refused before reading it: a missing or malformed signature header,
// a Content-Type that is not accepted, a declared length over the limit. The HMAC itself is computed while the
// body streams in, and the body is decoded only once it matches.

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodePayload, IntakeError, payloadType } from "./intake-payload.js";
import type { EnqueueResult, IncomingMessage as JournalInput } from "./journal.js";
import { readSignedBody } from "./request-body.js";
import { parseSignature, SIGNATURE_HEADER } from "./signature.js";

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** One refused request, for the log and the metrics. */
export interface Refusal {
  status: number;
  reason: string;
  method: string;
  path: string;
  remote: string;
}

export interface IntakeOptions {
  secret: string;
  maxBodyBytes?: number;
  /** Stores the messages (all or none) and wakes the worker. */
  accept(messages: JournalInput[]): EnqueueResult[] | Promise<EnqueueResult[]>;
  onRefused?: (refusal: Refusal) => void;
  /** True once the server is shutting down: new requests get 503 and are not read. */
  draining?: () => boolean;
}

/** Returns whether it answered the request, so that it also serves as a Probot server handler (addHandler). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => boolean;

/** A node:http handler for POST /patches; other requests go to `next`, or get a 404/405. */
export function createIntakeHandler(opts: IntakeOptions, path = "/patches"): RequestHandler {
  if (!opts.secret) throw new Error("the intake needs a webhook secret");
  const limit = opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res, next) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const remote = req.socket?.remoteAddress ?? "?";
    const refuse = (status: number, reason: string) => {
      opts.onRefused?.({
        status,
        reason,
        method: req.method ?? "?",
        path: url.pathname,
        remote,
      });
      // The rest of an unread body is not worth reading; tell the client the connection ends here.
      if (status === 413 || status === 503 || !req.readableEnded) res.setHeader("Connection", "close");
      sendJson(res, status, { error: reason });
    };
    if (url.pathname !== path) {
      if (next) {
        next();
        return false;
      }
      refuse(404, `no such endpoint: ${url.pathname}`);
      return true;
    }
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      refuse(405, `${req.method} is not allowed here; POST a message`);
      return true;
    }
    if (opts.draining?.()) {
      refuse(503, "shutting down; send it again to another instance or later");
      return true;
    }
    handlePost(req, opts, limit).then(
      ({ status, body }) => sendJson(res, status, body),
      (error: unknown) => {
        if (error instanceof IntakeError) refuse(error.status, error.message);
        else refuse(500, `internal error: ${error instanceof Error ? error.message : String(error)}`);
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
  const given = parseSignature(headerValue(req.headers[SIGNATURE_HEADER]));
  if (!Buffer.isBuffer(given)) throw new IntakeError(401, SIGNATURE_ERRORS[given]);
  const contentType = headerValue(req.headers["content-type"]);
  payloadType(contentType);
  const { body, mac } = await readSignedBody(req, limit, opts.secret);
  if (!timingSafeEqual(given, mac)) throw new IntakeError(401, SIGNATURE_ERRORS.mismatch);
  const payload = await decodePayload(contentType, body);
  const origin = payload.source ? `http:${payload.source}` : "http";
  const results = await opts.accept(
    payload.messages.map((m) => ({ messageId: m.messageId, raw: m.raw, origin })),
  );
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
