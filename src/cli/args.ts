import { type ParseArgsConfig, parseArgs } from "node:util";
import type { Severity } from "../model.js";

export const FORMATS = ["markdown", "text", "json", "sarif", "b4", "terse"] as const;
export type Format = (typeof FORMATS)[number];
export type FailOn = Severity | "never";
export type ColorMode = "auto" | "always" | "never";

export interface CliOptions {
  files: string[];
  format: Format;
  tree?: string;
  rules?: string;
  failOn: FailOn;
  color: ColorMode;
  /** Text format: every argument that fits, not only two per category. */
  verbose: boolean;
  /** Worker threads for inputs over 4 MB; undefined for the scan's default. */
  workers?: number;
  help: boolean;
  version: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: iommu-review [options] <file...|->
       iommu-review scan|serve|thread|outbox [options] ...   (see iommu-review <command> --help)

Reviews kernel patches that change architecture-conditional IOMMU defaults.
Inputs: git format-patch files, mbox files (series and threads), bare unified diffs, or - for stdin.
Nothing is sent anywhere: this is a dry run that prints the review.

Options:
  --format markdown|text|json|sarif|b4|terse  output format (default: text); b4: b4's per-patch
                     check JSON (no output when nothing watched is touched); terse: checkpatch-style
                     FILE:LINE: WARNING: lines
  --tree DIR         kernel source tree: read whole Kconfig pre-images and resolve driver symbols per arch
  --rules DIR        rules folder (default: the rules shipped with iommu-review)
  --fail-on info|warning|error|never
                     exit 1 when a finding reaches this severity (default: error)
  --color auto|always|never  colour in text output (default: auto, on a terminal only)
  --verbose          text format: every known argument that fits, not only two per category
  --workers N        worker threads for inputs over 4 MB (default: one per core but one; 0: none)
  -h, --help         show this help
  -v, --version      show the version

Exit status: 0 no finding reaches --fail-on, 1 one does, 2 usage or input error.`;

/** The value of an option that takes one of a few words; a UsageError names the option otherwise. */
export function oneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T))
    throw new UsageError(`--${name} must be one of ${allowed.join(", ")} (got '${value}')`);
  return value as T;
}

/** The value of an option that takes a whole number, or undefined when it is not given. */
export function wholeNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number (got '${value}')`);
  return Number(value);
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

/** node:util's parseArgs; what it rejects becomes a UsageError with the first line of its message. */
export function parseOptions(
  argv: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
  allowPositionals = true,
): { values: OptionValues; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals, options });
    return { values: values as OptionValues, positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split("\n")[0]!);
  }
}

export function parseCliArgs(argv: string[]): CliOptions {
  const parsed = parseOptions(argv, {
    format: { type: "string" },
    tree: { type: "string" },
    rules: { type: "string" },
    "fail-on": { type: "string" },
    color: { type: "string" },
    workers: { type: "string" },
    verbose: { type: "boolean" },
    help: { type: "boolean", short: "h" },
    version: { type: "boolean", short: "v" },
  });
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const opts: CliOptions = {
    files: parsed.positionals,
    format: oneOf("format", v.format as string | undefined, FORMATS, "text"),
    tree: v.tree as string | undefined,
    rules: v.rules as string | undefined,
    failOn: oneOf(
      "fail-on",
      v["fail-on"] as string | undefined,
      ["info", "warning", "error", "never"] as const,
      "error",
    ),
    color: oneOf("color", v.color as string | undefined, ["auto", "always", "never"] as const, "auto"),
    verbose: !!v.verbose,
    help: !!v.help,
    version: !!v.version,
  };
  const workers = wholeNumber("workers", v.workers as string | undefined);
  if (workers !== undefined) opts.workers = workers;
  if (!opts.help && !opts.version && opts.files.length === 0)
    throw new UsageError("no input: give patch or mbox files, or - for stdin");
  return opts;
}
