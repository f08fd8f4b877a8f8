// Worker threads run compiled JavaScript, which jest's TypeScript transform cannot give them: tests that
// use threads compile src/ into a scratch folder under tmp/ (git-ignored) and run it in a child process.

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transpileSrc } from "../transpile.js";

const ROOT = join(import.meta.dirname, "../..");
export const RULES_DIR = join(ROOT, "rules");

export interface CompiledLib {
  lib: string;
  /** Runs `iommu-review scan` from the compiled lib in a child process. */
  scan(
    args: string[],
    stdin?: NodeJS.ReadableStream | Buffer,
  ): Promise<{ code: number; stdout: string; stderr: string; maxRssKb: number }>;
  /** Runs a module script (ES module text) with the lib path in LIB. */
  node(script: string): string;
  remove(): void;
}

export function compileLib(): CompiledLib {
  const dir = join(ROOT, "tmp", `jest-lib-${process.pid}-${Date.now()}`);
  const lib = join(dir, "lib");
  mkdirSync(dir, { recursive: true });
  transpileSrc(lib);
  const runner = join(dir, "scan.mjs");
  writeFileSync(
    runner,
    [
      `import { scanCommand } from ${JSON.stringify(join(lib, "cli/scan.js"))};`,
      "process.exitCode = await scanCommand(process.argv.slice(2));",
      'process.on("exit", () => process.stderr.write("maxRSS " + process.resourceUsage().maxRSS + "\\n"));',
    ].join("\n"),
  );
  return {
    lib,
    scan(args, stdin) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [runner, "--rules", RULES_DIR, ...args], {
          stdio: ["pipe", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (c: Buffer) => out.push(c));
        child.stderr.on("data", (c: Buffer) => err.push(c));
        child.on("error", reject);
        child.on("close", (code) => {
          const stderr = Buffer.concat(err).toString();
          const rss = /maxRSS (\d+)\n$/.exec(stderr);
          resolve({
            code: code ?? 1,
            stdout: Buffer.concat(out).toString(),
            stderr: stderr.replace(/maxRSS \d+\n$/, ""),
            maxRssKb: rss ? Number(rss[1]) : 0,
          });
        });
        if (Buffer.isBuffer(stdin)) child.stdin.end(stdin);
        else if (stdin) stdin.pipe(child.stdin);
        else child.stdin.end();
      });
    },
    node(script) {
      const file = join(dir, `script-${Date.now()}.mjs`);
      writeFileSync(file, script);
      return execFileSync(process.execPath, [file], { env: { ...process.env, LIB: lib }, encoding: "utf8" });
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
