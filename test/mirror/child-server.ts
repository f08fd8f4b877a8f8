// Runs `iommu-review serve` as a separate process, from a transpile of src/ into a temporary folder, so that a
// test can kill it with SIGKILL.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "@jest/globals";
import { transpileSrc } from "../transpile.js";
import { patchMail, RULES_DIR, SECRET, signedPost, tempDir } from "./helpers.js";

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

/**
 * A burst test's setup: a temporary folder with a built `serve` and a policy that lets every patch have its reply,
 * `total` patch mails, and `start()` to run a server on that folder's journal and outbox.
 */
export function burstSetup(
  prefix: string,
  total: number,
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
) {
  const dir = tempDir(prefix);
  let entry = "";
  beforeAll(() => {
    entry = buildServeEntry(join(dir.path, "build"));
    writeFileSync(
      join(dir.path, "policy.yml"),
      'from: "iommu-review bot <iommu-review@bots.example.org>"\ndefaults:\n  rate_limit: { per_thread: 1, per_hour: 100000 }\n',
    );
  }, 60_000);
  afterAll(() => dir.remove());
  const ids = Array.from({ length: total }, (_, i) => `${prefix}${i}@example.org`);
  const mails = ids.map((messageId, i) =>
    patchMail({
      messageId,
      subject: `[PATCH] iommu: lazy on arm64, take ${i}`,
      from: `Dev ${i} <dev${i}@example.org>`,
    }),
  );
  const start = () =>
    startChildServer(
      entry,
      [
        ...["--db", join(dir.path, "journal.sqlite"), "--outbox", join(dir.path, "outbox")],
        ...["--policy", join(dir.path, "policy.yml"), "--rules", RULES_DIR, ...extraArgs],
      ],
      { IOMMU_REVIEW_WEBHOOK_SECRET: SECRET, ...env },
    );
  /**
   * `clients` concurrent clients post every mail once to `url()`; `onAccepted` runs after each accepted one.
   * Returns the accepted Message-Ids, and the others with the status they got (0: no answer).
   */
  const postAll = async (url: () => string, clients: number, onAccepted: (accepted: number) => void) => {
    const accepted = new Set<string>();
    const notAccepted = new Map<string, number>();
    let next = 0;
    const client = async () => {
      while (next < total) {
        const i = next++;
        const status = await signedPost(url(), mails[i]!).then(
          (res) => res.status,
          () => 0,
        );
        if (status !== 202) notAccepted.set(ids[i]!, status);
        else {
          accepted.add(ids[i]!);
          onAccepted(accepted.size);
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, client));
    return { accepted, notAccepted };
  };
  return { dir: dir.path, ids, mails, start, postAll };
}
