// Runs `iommu-review serve` as a separate process, from a transpile of src/ into a temporary folder, so that a
// test can kill it with SIGKILL.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { transpileSrc } from "../transpile.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Transpiles src/ (no type check) into `dir`/lib, with what Node needs to run it as ESM. Returns the entry. */
export function buildServeEntry(dir: string): string {
  transpileSrc(join(dir, "lib"));
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  const entry = join(dir, "serve.js");
  writeFileSync(
    entry,
    'import { serveCommand } from "./lib/cli/serve.js";\n' +
      "serveCommand(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n",
  );
  return entry;
}

export interface ChildServer {
  process: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<number | null>;
}

export async function startChildServer(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ChildServer> {
  mkdirSync(join(entry, ".."), { recursive: true });
  const child = spawn(process.execPath, [entry, "--port", "0", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (c: Buffer) => {
    stderr += c.toString("utf8");
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = "";
    child.stdout!.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      const match = /listening on (http:\/\/\S+\/patches)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${stderr}`)));
  });
  return { process: child, url, stderr: () => stderr, exited };
}
