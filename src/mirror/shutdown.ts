// A bounded, orderly stop for a server that journals its work: stop intake first (new requests get 503, idle
// connections close, requests being read finish), then the sources and loops, each finishing the unit of work in
// hand. What is still running when the time is up is handed back rather than waited for: a message being
// reviewed stays pending in the journal and is reviewed again at the next start; a mail being sent stays
// "sending" and is settled at the next start (the Maildir can tell whether it arrived; SMTP makes it "unknown").

import type { Server } from "node:http";

export interface ShutdownStep {
  name: string;
  run(): Promise<void>;
}

export interface ShutdownResult {
  /** Names of the steps that did not finish in time. */
  unfinished: string[];
  ms: number;
}

/**
 * Runs the steps in order, each given what is left of `deadlineMs`. A step that overruns is left running and the
 * next ones still start, so the journal is always closed.
 */
export async function runShutdown(steps: ShutdownStep[], deadlineMs: number): Promise<ShutdownResult> {
  const start = Date.now();
  const unfinished: string[] = [];
  for (const step of steps) {
    const left = Math.max(0, deadlineMs - (Date.now() - start));
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      step.run().then(
        () => true,
        () => true,
      ),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), left);
      }),
    ]);
    clearTimeout(timer);
    if (!done) unfinished.push(step.name);
  }
  return { unfinished, ms: Date.now() - start };
}

/** Stops accepting connections and waits for the requests in progress; idle keep-alive connections close now. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
