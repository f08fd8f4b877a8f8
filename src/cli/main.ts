import { readFileSync, statSync } from "node:fs";
import { readInputs } from "../ingest/read.js";
import { checkKernelTree } from "../kconfig/tree.js";
import { treeReviewOptions } from "../kconfig/tree-review.js";
import type { Review } from "../model.js";
import { renderB4 } from "../render/b4.js";
import { renderJson } from "../render/json.js";
import { renderMarkdown } from "../render/markdown.js";
import { renderSarif } from "../render/sarif.js";
import { renderTerse } from "../render/terse.js";
import { renderText } from "../render/text.js";
import { exitStatus } from "../review/exit-status.js";
import { review } from "../review/review.js";
import { loadRulesQuickly } from "../rules/cache.js";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { RuleLoadError } from "../rules/files.js";
import type { Rule } from "../rules/load.js";
import type { ReviewInputsOptions } from "../scan/review-inputs.js";
import { type CliOptions, parseCliArgs, USAGE, UsageError } from "./args.js";
import { prepareBatchRun } from "./batch-run.js";

// The dry-run front: files in, review on stdout, one-line errors on stderr. It imports nothing of the
// GitHub App or the mail server, so a single patch is reviewed in well under a second.

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function render(result: Review, opts: CliOptions, rules: readonly Rule[], color: boolean): string {
  switch (opts.format) {
    case "json":
      return renderJson(result);
    case "sarif":
      return renderSarif(result, rules);
    case "markdown":
      return renderMarkdown(result);
    case "text":
      return renderText(result, { color, verbose: opts.verbose });
    case "b4":
      return renderB4(result);
    case "terse":
      return renderTerse(result);
  }
}

type Subcommand = (argv: string[]) => Promise<number>;

/**
 * Other fronts, loaded only when asked for, so that a dry run never loads the mail server or the scanner.
 * A file literally named like a command is reviewed as ./serve.
 */
const SUBCOMMANDS: Record<string, () => Promise<Subcommand>> = {
  serve: async () => (await import("./serve.js")).serveCommand,
  scan: async () => (await import("./scan.js")).scanCommand,
  thread: async () => (await import("./thread.js")).threadCommand,
  outbox: async () => (await import("./outbox.js")).outboxCommand,
};

/** Inputs above this size (a list archive) go through the streaming, prefiltering scan engine. */
const STREAM_ABOVE_BYTES = 4 * 1024 * 1024;

function hasLargeInput(files: readonly string[]): boolean {
  return files.some((f) => {
    try {
      return f !== "-" && statSync(f).size > STREAM_ABOVE_BYTES;
    } catch {
      return false;
    }
  });
}

/** The whole review of small inputs, read and reviewed at once. */
async function reviewFiles(opts: CliOptions, rules: Rule[], stdin: NodeJS.ReadableStream): Promise<Review> {
  const items = await readInputs(opts.files, { stdin });
  return review(items, { rules, ...(opts.tree ? treeReviewOptions(opts.tree) : {}) });
}

export async function main(
  argv: string[],
  io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  const fail = (msg: string) => {
    io.stderr.write(`iommu-review: ${msg}\n`);
    return 2;
  };
  const sub = argv[0] !== undefined ? SUBCOMMANDS[argv[0]] : undefined;
  if (sub) return (await sub())(argv.slice(1));
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError)
      return fail(`${e.message}\n${USAGE.split("\n")[0]}\nTry 'iommu-review --help'.`);
    throw e;
  }
  if (opts.help) {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (opts.version) {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  let rules: Rule[];
  try {
    rules = await loadRulesQuickly(opts.rules ?? DEFAULT_RULES_DIR);
  } catch (e) {
    if (e instanceof RuleLoadError) return fail(e.message);
    throw e;
  }
  if (opts.tree) {
    try {
      checkKernelTree(opts.tree);
    } catch (e) {
      return fail(`--tree ${(e as Error).message}`);
    }
  }
  const color =
    opts.color === "always" ||
    (opts.color === "auto" && !!(io.stdout as NodeJS.WriteStream).isTTY && !process.env.NO_COLOR);
  let result: Review;
  if (hasLargeInput(opts.files)) {
    prepareBatchRun();
    const engine: ReviewInputsOptions = {
      rules,
      tree: opts.tree,
      stdin: io.stdin,
      ...(opts.workers !== undefined && { workers: opts.workers }),
    };
    if (opts.format === "text" || opts.format === "markdown" || opts.format === "json") {
      const { streamArchive } = await import("./stream-archive.js");
      return streamArchive({ ...opts, format: opts.format }, engine, io, color);
    }
    // SARIF, b4 and terse are written when the whole review is done.
    const { reviewInputs } = await import("../scan/review-inputs.js");
    result = await reviewInputs(opts.files, engine);
  } else result = await reviewFiles(opts, rules, io.stdin);
  let inputErrors = 0;
  for (const entry of result.patches) {
    if (entry.error === undefined) continue;
    inputErrors++;
    const fromSameFile = result.patches.filter((p) => p.source === entry.source);
    const where = fromSameFile.length > 1 ? ` (message ${entry.position + 1})` : "";
    io.stderr.write(`iommu-review: ${entry.source}${where}: ${entry.error}\n`);
  }
  io.stdout.write(render(result, opts, rules, color));
  const severities = result.patches.flatMap((p) => p.findings.map((f) => f.severity));
  // b4 reads the verdict from the JSON; a non-zero exit would read as the check itself failing.
  return exitStatus(inputErrors, severities, opts.format === "b4" ? "never" : opts.failOn);
}

/** Entry point of the `iommu-review` command. */
export function run(): void {
  // A reader that stops early (`iommu-review archive.mbox | head`) is not an error: end quietly, as the other
  // programs of a pipeline do, instead of dying on an unhandled EPIPE with a stack trace.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    process.exit(process.exitCode ?? 0);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`iommu-review: internal error: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
