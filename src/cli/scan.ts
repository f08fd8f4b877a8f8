// `iommu-review scan`: review whole archives. Reads options, loads the rules, hands over to scan/run.ts.

import type { Severity } from "../model.js";
import { errorMessage } from "../parse/errors.js";
import { loadRulesQuickly } from "../rules/cache.js";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { RuleLoadError } from "../rules/files.js";
import type { Rule } from "../rules/load.js";
import { DEFAULT_LIMITS, type Limits } from "../scan/limits.js";
import type { OutputFormat } from "../scan/output.js";
import { runScan, type ScanIo, type ScanOptions } from "../scan/run.js";
import { defaultStatePath } from "../scan/state.js";
import { oneOf, parseOptions, UsageError, wholeNumber } from "./args.js";
import { prepareBatchRun } from "./batch-run.js";

export const SCAN_USAGE = `Usage: iommu-review scan [options] <mbox|maildir|public-inbox repo|->...

Reviews every message of mail archives: mbox files (or single messages), Maildirs, public-inbox git
repositories (v1, or v2 with git/N.git), or - for stdin. Streams the input, so archives of any size
are read in bounded memory, and spreads the work over all cores. Every message gets exactly one entry,
in input order: reviewed (with its findings), skipped (with the reason) or an error.

Options:
  --format jsonl|json    jsonl (default): one JSON record per message, then a last record
                         {"summary": {...}}; json: the dry run's contract {"patches": [...]}
  --rules DIR            rules folder (default: the rules shipped with iommu-review)
  --tree DIR             kernel source tree (as for the dry run)
  --workers N            worker threads (default: one per core but one; 0: none). One worker parses
                         what the main thread cannot settle; more share out whole batches
  --max-message-bytes N  larger messages are not parsed: error entry (default ${mib(DEFAULT_LIMITS.maxMessageBytes)})
  --max-line-bytes N     nor are messages with a longer line (default ${mib(DEFAULT_LIMITS.maxLineBytes)})
  --max-attachment-bytes N
                         nor are messages with a larger MIME part (default ${mib(DEFAULT_LIMITS.maxAttachmentBytes)})
  --state FILE           public-inbox: where the last commit read of each repository is kept, so that the
                         next scan reads only new messages (default ${defaultStatePath().replace(/^.*\/\.local\//, "~/.local/")})
  --full                 public-inbox: read every message, whatever the state says (the state is updated)
  --fail-on info|warning|error|never
                         exit 1 when a finding reaches this severity (default: never)
  --verify-prefilter     also fully parse the messages the prefilter settles, and count disagreements
                         in the summary (slow; a check of the prefilter, not needed for results)
  -q, --quiet            no progress display and no summary on stderr
  -h, --help             show this help

Sizes take a K, M or G suffix (powers of 1024). The summary (messages, patches, skip reasons, errors,
findings by rule and severity, throughput) goes to stderr, and with jsonl also to stdout as the last
record. A progress line is shown on stderr when it is a terminal.

Exit status: 0 done, 1 a finding reaches --fail-on, 2 usage error or an input that could not be read
(a broken message is an error entry, not a failure of the scan).`;

function mib(bytes: number): string {
  return `${bytes / (1024 * 1024)}M`;
}

function parseSize(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const m = /^(\d+)([kmg]?)$/i.exec(value.trim());
  if (!m)
    throw new UsageError(`--${name} must be a number of bytes, optionally with K, M or G (got '${value}')`);
  const scale = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as "" | "k" | "m" | "g"];
  const bytes = Number(m[1]) * scale;
  if (bytes < 1) throw new UsageError(`--${name} must be at least 1 byte`);
  return bytes;
}

interface ParsedScanArgs extends Omit<ScanOptions, "rules"> {
  rulesDir: string;
  help: boolean;
}

export function parseScanArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedScanArgs {
  const parsed = parseOptions(argv, {
    format: { type: "string" },
    rules: { type: "string" },
    tree: { type: "string" },
    workers: { type: "string" },
    "max-message-bytes": { type: "string" },
    "max-line-bytes": { type: "string" },
    "max-attachment-bytes": { type: "string" },
    state: { type: "string" },
    full: { type: "boolean" },
    "fail-on": { type: "string" },
    "verify-prefilter": { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
    help: { type: "boolean", short: "h" },
  });
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const str = (name: string) => v[name] as string | undefined;
  const limits: Limits = {
    maxMessageBytes: parseSize("max-message-bytes", str("max-message-bytes"), DEFAULT_LIMITS.maxMessageBytes),
    maxLineBytes: parseSize("max-line-bytes", str("max-line-bytes"), DEFAULT_LIMITS.maxLineBytes),
    maxAttachmentBytes: parseSize(
      "max-attachment-bytes",
      str("max-attachment-bytes"),
      DEFAULT_LIMITS.maxAttachmentBytes,
    ),
  };
  const workers = wholeNumber("workers", str("workers"));
  const opts: ParsedScanArgs = {
    paths: parsed.positionals,
    format: oneOf<OutputFormat>("format", str("format"), ["jsonl", "json"], "jsonl"),
    rulesDir: str("rules") ?? DEFAULT_RULES_DIR,
    limits,
    workers,
    quiet: !!v.quiet,
    statePath: str("state") ?? defaultStatePath(env),
    full: !!v.full,
    failOn: oneOf<Severity | "never">(
      "fail-on",
      str("fail-on"),
      ["info", "warning", "error", "never"],
      "never",
    ),
    verifyPrefilter: !!v["verify-prefilter"],
    help: !!v.help,
  };
  if (str("tree") !== undefined) opts.tree = str("tree");
  if (!opts.help && opts.paths.length === 0)
    throw new UsageError("no input: give mbox files, Maildirs, public-inbox repositories, or - for stdin");
  return opts;
}

export async function scanCommand(
  argv: string[],
  io: ScanIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  const fail = (msg: string) => {
    io.stderr.write(`iommu-review scan: ${msg}\n`);
    return 2;
  };
  let parsed: ParsedScanArgs;
  try {
    parsed = parseScanArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message}\nTry 'iommu-review scan --help'.`);
    throw e;
  }
  if (parsed.help) {
    io.stdout.write(`${SCAN_USAGE}\n`);
    return 0;
  }
  let rules: Rule[];
  try {
    rules = await loadRulesQuickly(parsed.rulesDir);
  } catch (e) {
    if (e instanceof RuleLoadError) return fail(e.message);
    throw e;
  }
  if (parsed.tree !== undefined) {
    const { checkKernelTree } = await import("../kconfig/tree.js");
    try {
      checkKernelTree(parsed.tree);
    } catch (e) {
      return fail(`--tree ${errorMessage(e)}`);
    }
  }
  const { rulesDir: _rulesDir, help: _help, ...options } = parsed;
  prepareBatchRun();
  try {
    const { exitCode } = await runScan({ ...options, rules }, io);
    return exitCode;
  } catch (e) {
    return fail(errorMessage(e));
  }
}
