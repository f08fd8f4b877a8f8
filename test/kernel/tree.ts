// Test helper: a real Linux 6.12 tree (from Debian's linux-source-6.12 tarball) and the kernel's own Kconfig tool,
// as the ground truth the Kconfig engine is checked against. Nothing from the kernel is committed: the tree is
// unpacked into a cache dir at test time and patches are generated from it.

import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const DEFAULT_KERNEL_TARBALL = "/usr/src/linux-source-6.12.tar.xz";

/** A textual edit of one file of the tree; `from` must occur exactly once in it. */
export interface Edit {
  path: string;
  from: string;
  to: string;
}

/** Path of the kernel source tarball, or undefined when it is not installed. */
export function kernelTarball(): string | undefined {
  const path = process.env.IOMMU_REVIEW_KERNEL_TARBALL || DEFAULT_KERNEL_TARBALL;
  return existsSync(path) ? path : undefined;
}

function cacheDir(): string {
  return process.env.IOMMU_REVIEW_KERNEL_CACHE || join(tmpdir(), "iommu-review-kernel-6.12");
}

// Only what `make ARCH=<any> defconfig` reads (checked against a full extraction: identical .config for all 21
// arches of 6.12). `*` stops at "/" for the first group; the Kconfig files are matched at any depth.
// Bump LAYOUT when the list changes so existing caches are re-extracted.
const LAYOUT = 1;
const TOP_LEVEL_PATTERNS = [
  "*/Makefile",
  "*/Kconfig",
  "*/scripts",
  "*/kernel/configs",
  "*/arch/*/Makefile*",
  "*/arch/*/Kbuild*",
  "*/arch/*/*/Platform", // mips: arch/mips/Kbuild.platforms includes them
  "*/arch/*/configs",
  "*/arch/*/tools", // shell probes called from Kconfig ($(success,...)) on powerpc and s390
];
const ANY_DEPTH_PATTERNS = ["*/Kconfig*"];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A lock shared by processes (jest workers are processes): mkdir is atomic. A lock whose owner has died, or that
 * never got an owner file, is taken over.
 */
async function withDirLock<T>(lock: string, fn: () => Promise<T>, timeoutMs = 10 * 60_000): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "owner"), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
    let stale: boolean;
    try {
      const owner = Number(readFileSync(join(lock, "owner"), "utf8"));
      stale = !(owner > 0 && pidAlive(owner));
    } catch {
      stale = existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 30_000;
    }
    if (stale) rmSync(lock, { recursive: true, force: true });
    else if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lock}`);
    else await sleep(200);
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
    execFile(cmd, args, { ...opts, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${cmd} ${args.join(" ")} failed: ${error.message}\n${stderr}`.trimEnd()));
      else resolve({ stdout, stderr });
    });
  });
}

let treePromise: Promise<string | undefined> | undefined;

/**
 * The tarball unpacked (partially, see TOP_LEVEL_PATTERNS) into the cache dir, once: a marker records a complete
 * extraction of this very tarball, and a lock dir keeps concurrent jest workers from extracting twice.
 */
export function kernelTree(): Promise<string | undefined> {
  treePromise ??= (async () => {
    const tarball = kernelTarball();
    if (!tarball) return undefined;
    const cache = cacheDir();
    const tree = join(cache, "src");
    const marker = join(cache, "complete.json");
    const { size, mtimeMs } = statSync(tarball);
    const stamp = JSON.stringify({ tarball, size, mtimeMs, layout: LAYOUT });
    const done = () => existsSync(marker) && readFileSync(marker, "utf8") === stamp;
    if (!done()) {
      await withDirLock(join(cache, "extract.lock"), async () => {
        if (done()) return;
        rmSync(marker, { force: true });
        rmSync(tree, { recursive: true, force: true });
        for (const left of readdirSync(cache)) // by a run killed while extracting
          if (left.startsWith("src.partial-")) rmSync(join(cache, left), { recursive: true, force: true });
        const tmp = mkdtempSync(join(cache, "src.partial-"));
        try {
          // Multi-threaded xz roughly halves the time on the Debian tarball (it is written in blocks).
          const decompress = tarball.endsWith(".xz") ? ["-I", "xz -T0"] : [];
          await run("tar", [
            "-x",
            ...decompress,
            "-f",
            tarball,
            "-C",
            tmp,
            "--strip-components=1",
            "--wildcards",
            "--no-wildcards-match-slash",
            ...TOP_LEVEL_PATTERNS,
            "--wildcards-match-slash",
            ...ANY_DEPTH_PATTERNS,
          ]);
          renameSync(tmp, tree);
        } finally {
          rmSync(tmp, { recursive: true, force: true });
        }
        writeFileSync(marker, stamp);
      });
    }
    await withEditLock(tree, async () => {}); // puts back files a crashed run left edited
    return tree;
  })();
  return treePromise;
}

// ---- edits --------------------------------------------------------------------------------------------------

function occurrences(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + 1)) n++;
  return n;
}

/** Original and edited text of every file the edits touch; throws (touching nothing) if an edit does not fit. */
function editedFiles(tree: string, edits: readonly Edit[]): Map<string, { before: string; after: string }> {
  const files = new Map<string, { before: string; after: string }>();
  for (const { path, from, to } of edits) {
    let file = files.get(path);
    if (!file) {
      const before = readFileSync(join(tree, path), "utf8");
      file = { before, after: before };
      files.set(path, file);
    }
    const n = from ? occurrences(file.after, from) : 0;
    if (n !== 1) throw new Error(`${path}: ${JSON.stringify(from)} occurs ${n} times, expected exactly once`);
    file.after = file.after.replace(from, () => to);
  }
  return files;
}

function stateDir(tree: string): string {
  const id = createHash("sha256").update(realpathSync(tree)).digest("hex").slice(0, 16);
  return join(tmpdir(), "iommu-review-kernel-state", id);
}

/**
 * Runs `fn` holding the tree's edit lock (in-process queue, then a lock dir against other processes). Edited files'
 * originals are journalled first, so a run killed mid-edit is repaired by the next one.
 */
let editQueue: Promise<unknown> = Promise.resolve();
function withEditLock<T>(tree: string, fn: () => Promise<T>): Promise<T> {
  const state = stateDir(tree);
  const journal = join(state, "pending-edits.json");
  const next = editQueue.then(() =>
    withDirLock(join(state, "edit.lock"), async () => {
      if (existsSync(journal)) {
        const pending = JSON.parse(readFileSync(journal, "utf8")) as [string, string][];
        for (const [path, text] of pending) writeFileSync(join(tree, path), text);
        rmSync(journal);
      }
      return fn();
    }),
  );
  editQueue = next.catch(() => undefined);
  return next;
}

async function withEdits<T>(tree: string, edits: readonly Edit[], fn: () => Promise<T>): Promise<T> {
  if (edits.length === 0) return withEditLock(tree, fn);
  return withEditLock(tree, async () => {
    const files = editedFiles(tree, edits);
    const journal = join(stateDir(tree), "pending-edits.json");
    writeFileSync(journal, JSON.stringify([...files].map(([path, f]) => [path, f.before])));
    try {
      for (const [path, f] of files) writeFileSync(join(tree, path), f.after);
      return await fn();
    } finally {
      for (const [path, f] of files) writeFileSync(join(tree, path), f.before);
      rmSync(journal, { force: true });
    }
  });
}

// ---- make defconfig -----------------------------------------------------------------------------------------

/** The caller's environment minus what would steer kbuild (a jobserver from an outer make, a cross compiler...). */
function makeEnv(): NodeJS.ProcessEnv {
  const steering =
    /^(MAKEFLAGS|MFLAGS|MAKELEVEL|MAKEOVERRIDES|GNUMAKEFLAGS|ARCH|SUBARCH|SRCARCH|CROSS_COMPILE|LLVM|LLVM_IAS|CC|HOSTCC|LD|O|KCONFIG_.*|KBUILD_.*)$/;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!steering.test(k)) env[k] = v;
  env.LC_ALL = "C";
  return env;
}

const toolTemplates = new Map<string, Promise<string>>();

/** Identifies the kconfig tool's sources, so a cached build is not reused for a different kernel. */
function toolStamp(tree: string): string {
  const hash = createHash("sha256");
  for (const dir of ["scripts/basic", "scripts/kconfig"])
    for (const d of readdirSync(join(tree, dir), { withFileTypes: true }).sort((x, y) =>
      x.name < y.name ? -1 : 1,
    ))
      if (d.isFile()) hash.update(`${d.name}\0`).update(readFileSync(join(tree, dir, d.name)));
  return hash.digest("hex").slice(0, 16);
}

/**
 * An output dir whose scripts/ holds a built fixdep and kconfig `conf`, kept across runs. Copied (timestamps kept)
 * into each fresh O= dir, make finds them up to date and only runs conf: about half the time of a cold
 * `make defconfig`. Built under the edit lock: the build parses the Kconfig files another process may be editing.
 */
function kconfigTool(tree: string): Promise<string> {
  let tool = toolTemplates.get(tree);
  if (!tool) {
    tool = withEditLock(tree, async () => {
      const dir = join(stateDir(tree), `kconfig-tool-${toolStamp(tree)}`);
      if (existsSync(join(dir, "scripts", "kconfig", "conf"))) return dir;
      const tmp = mkdtempSync(`${dir}.partial-`);
      try {
        await run("make", ["-s", "-C", tree, `O=${tmp}`, "defconfig"], { env: makeEnv() });
        rmSync(dir, { recursive: true, force: true });
        renameSync(tmp, dir);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      return dir;
    });
    toolTemplates.set(tree, tool);
  }
  return tool;
}

/** A .config as CONFIG_X -> "y" | "m" | "n" (for "# CONFIG_X is not set") | the (unquoted) string or number. */
export function parseConfig(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (unset) {
      values.set(unset[1], "n");
      continue;
    }
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (!set) continue;
    const raw = set[2];
    values.set(set[1], raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
  }
  return values;
}

async function defconfigOnce(tree: string, tool: string, arch: string): Promise<Map<string, string>> {
  const out = mkdtempSync(join(tmpdir(), `iommu-review-defconfig-${arch}-`));
  try {
    cpSync(join(tool, "scripts"), join(out, "scripts"), { recursive: true, preserveTimestamps: true });
    await run("make", ["-s", "-C", tree, `ARCH=${arch}`, `O=${out}`, "defconfig"], { env: makeEnv() });
    return parseConfig(readFileSync(join(out, ".config"), "utf8"));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * `make ARCH=<arch> defconfig` for several arches with the same edits applied (once, in place, restored
 * afterwards even on failure); the arches run in parallel.
 */
export async function defconfigsWith(
  tree: string,
  arches: readonly string[],
  edits: readonly Edit[],
): Promise<Map<string, Map<string, string>>> {
  const tool = await kconfigTool(tree);
  return withEdits(tree, edits, async () => {
    const results = new Map<string, Map<string, string>>();
    const queue = [...arches];
    const workers = Array.from(
      { length: Math.min(queue.length, Math.max(1, availableParallelism())) },
      async () => {
        for (let arch = queue.shift(); arch !== undefined; arch = queue.shift())
          results.set(arch, await defconfigOnce(tree, tool, arch));
      },
    );
    await Promise.all(workers);
    return new Map(arches.map((a) => [a, results.get(a)!]));
  });
}

/** The .config `make ARCH=<arch> defconfig` writes with `edits` applied to the tree. */
export async function defconfigWith(
  tree: string,
  arch: string,
  edits: readonly Edit[],
): Promise<Map<string, string>> {
  return (await defconfigsWith(tree, [arch], edits)).get(arch)!;
}

// ---- patches ------------------------------------------------------------------------------------------------

/** `git diff` output (a/ b/ prefixes, 3 lines of context, 12-digit index like kernel patches) for the edits. */
export function makePatch(tree: string, edits: readonly Edit[]): string {
  const files = editedFiles(tree, edits);
  const dir = mkdtempSync(join(tmpdir(), "iommu-review-patch-"));
  try {
    for (const [path, f] of files) {
      for (const [side, text] of [
        ["a", f.before],
        ["b", f.after],
      ] as const) {
        mkdirSync(dirname(join(dir, side, path)), { recursive: true });
        writeFileSync(join(dir, side, path), text);
      }
    }
    // The file names already start with a/ and b/, hence --no-prefix.
    const args = ["diff", "--no-index", "--no-color", "--no-ext-diff", "--no-renames", "--no-prefix"];
    const result = spawnSync("git", [...args, "--abbrev=12", "-U3", "a", "b"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null", LC_ALL: "C" },
    });
    if (result.error) throw result.error;
    if (result.status !== 1 || !result.stdout)
      throw new Error(`git diff --no-index exited ${result.status}: ${result.stderr}`);
    return result.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
