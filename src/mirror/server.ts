// The standalone HTTP server of `iommu-review serve`: POST /patches (the intake), GET /healthz (liveness: the
// process answers, with the journal's counts), GET /readyz (readiness, src/mirror/readiness.ts) and
// GET /metrics (Prometheus text format).

import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createIntakeHandler, type Refusal } from "./intake.js";
import { METRICS_CONTENT_TYPE, type PipelineMetrics } from "./metrics.js";
import type { MailPipeline } from "./pipeline.js";
import { readiness } from "./readiness.js";

export interface ServerOptions {
  secret: string;
  maxBodyBytes?: number;
  /** Every refused request, with its reason (never its body). */
  onRefused?: (refusal: Refusal) => void;
  metrics?: PipelineMetrics;
  /** /readyz fails when work has waited longer than this. */
  readyMaxWaitMs?: number;
  /** True once shutdown began: the intake answers 503. */
  draining?: () => boolean;
}

export function createMailServer(pipeline: MailPipeline, opts: ServerOptions): Server {
  const intake = createIntakeHandler({
    secret: opts.secret,
    accept: (messages) => {
      const results = pipeline.accept(messages);
      opts.metrics?.request(results.some((r) => r.status === "queued") ? 202 : 200);
      return results;
    },
    onRefused: (refusal) => {
      opts.metrics?.request(refusal.status);
      opts.onRefused?.(refusal);
    },
    ...(opts.maxBodyBytes !== undefined && { maxBodyBytes: opts.maxBodyBytes }),
    ...(opts.draining && { draining: opts.draining }),
  });
  const routes: Record<string, (res: ServerResponse) => Promise<void>> = {
    "/healthz": async (res) => sendJson(res, 200, { status: "ok", ...pipeline.counts() }),
    "/readyz": async (res) => {
      const r = await readiness(() => pipeline.journal.health(), opts.readyMaxWaitMs);
      const draining = opts.draining?.() === true;
      const problems = draining ? ["shutting down", ...r.problems] : r.problems;
      const ready = r.ready && !draining;
      sendJson(res, ready ? 200 : 503, {
        status: ready ? "ready" : "not ready",
        problems,
        ...(r.health && { ...r.health.counts, ...ages(r.health) }),
      });
    },
    "/metrics": async (res) => {
      if (!opts.metrics) return sendJson(res, 404, { error: "metrics are not enabled" });
      const text = await opts.metrics.text();
      res.writeHead(200, { "Content-Type": METRICS_CONTENT_TYPE }).end(text);
    },
  };
  return createServer((req, res) => {
    intake(req, res, () => {
      const route =
        req.method === "GET" ? routes[new URL(req.url ?? "/", "http://localhost").pathname] : undefined;
      if (!route) return sendJson(res, 404, { error: "not found" });
      route(res).catch((error: unknown) => sendJson(res, 500, { error: (error as Error).message }));
    });
  });
}

function ages(h: { oldestPendingMessageMs: number; oldestDueOutboxMs: number }) {
  return {
    oldestPendingMessageSeconds: Math.round(h.oldestPendingMessageMs / 1000),
    oldestDueOutboxSeconds: Math.round(h.oldestDueOutboxMs / 1000),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { "Content-Type": "application/json" }).end(`${JSON.stringify(body)}\n`);
}

export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
