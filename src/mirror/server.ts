// The standalone HTTP server of `iommu-review serve`: POST /patches (the intake) and GET /healthz (journal counts).

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createIntakeHandler } from "./intake.js";
import type { MailPipeline } from "./pipeline.js";

export interface ServerOptions {
  secret: string;
  maxBodyBytes?: number;
}

export function createMailServer(pipeline: MailPipeline, opts: ServerOptions): Server {
  const intake = createIntakeHandler({
    secret: opts.secret,
    accept: pipeline.accept,
    ...(opts.maxBodyBytes !== undefined && { maxBodyBytes: opts.maxBodyBytes }),
  });
  return createServer((req, res) => {
    intake(req, res, () => {
      if (req.method === "GET" && req.url === "/healthz") {
        const body = `${JSON.stringify({ status: "ok", ...pipeline.counts() })}\n`;
        res.writeHead(200, { "Content-Type": "application/json" }).end(body);
        return;
      }
      res.writeHead(404, { "Content-Type": "application/json" }).end('{"error":"not found"}\n');
    });
  });
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
