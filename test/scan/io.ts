// Runs `iommu-review scan` (and the dry run) in-process and captures what they write.

import { PassThrough, Writable } from "node:stream";
import { main } from "../../src/cli/main.js";
import { scanCommand } from "../../src/cli/scan.js";

class Capture extends Writable {
  text = "";
  isTTY = false;
  override _write(chunk: Buffer, _enc: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The scan on the calling thread (worker threads need the compiled lib/, see workers.test.ts). */
export async function scan(args: string[], stdin?: Buffer): Promise<Ran> {
  const stdout = new Capture();
  const stderr = new Capture();
  const input = new PassThrough();
  input.end(stdin ?? Buffer.alloc(0));
  const code = await scanCommand(["--workers", "0", ...args], { stdout, stderr, stdin: input });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

export async function dryRun(args: string[]): Promise<Ran> {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end("");
  const code = await main(args, { stdout: stdout as never, stderr: stderr as never, stdin: stdin as never });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** The records and the summary of JSON Lines output. */
export function jsonLines(text: string): {
  records: Record<string, unknown>[];
  summary: Record<string, unknown>;
} {
  const lines = text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const last = lines.pop()!;
  return { records: lines, summary: last.summary as Record<string, unknown> };
}
