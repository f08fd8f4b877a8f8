// src/ transpiled without a type check (tsc --noCheck, a few seconds), for tests that must run the compiled
// JavaScript in a worker thread or another process, which jest's TypeScript transform cannot reach.

import { execFileSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");

/** Writes the JavaScript of src/ to `outDir` (no declarations, no source maps: nothing reads them). */
export function transpileSrc(outDir: string): void {
  execFileSync(
    process.execPath,
    [
      join(ROOT, "node_modules/typescript/bin/tsc"),
      "-p",
      join(ROOT, "tsconfig.build.json"),
      "--noCheck",
      "--declaration",
      "false",
      "--sourceMap",
      "false",
      "--outDir",
      outDir,
    ],
    { stdio: "pipe" },
  );
}
