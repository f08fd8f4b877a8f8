// `iommu-review thread <mbox>`: the digest of a mailing-list thread (who argued what, what nobody raised yet,
// alternatives, questions) on stdout. One-line errors on stderr; exit 2 on bad input or usage.

import { readFile } from "node:fs/promises";
import { errorMessage } from "../parse/errors.js";
import { DEFAULT_RULES_DIR } from "../rules/defaults.js";
import { loadRules, type Rule, RuleLoadError } from "../rules/load.js";
import { buildCueBook, type CueBook, CueConflictError } from "../thread/cues.js";
import { buildDigest, type ThreadDigest } from "../thread/digest.js";
import { readThreadMail, ThreadInputError } from "../thread/read-mail.js";
import { type RelevantRules, rulesFiredInThread } from "../thread/relevant-rules.js";
import { renderDigestJson } from "../thread/render-json.js";
import { renderDigestMarkdown } from "../thread/render-markdown.js";
import { renderDigestText } from "../thread/render-text.js";
import { buildThread } from "../thread/tree.js";
import { parseOptions, UsageError } from "./args.js";

export const THREAD_FORMATS = ["text", "markdown", "json"] as const;
export type ThreadFormat = (typeof THREAD_FORMATS)[number];

export const THREAD_USAGE = `Usage: iommu-review thread [options] <mbox|->

Digest of a mailing-list thread: per argument category who raised what, the rules'
known arguments nobody has raised yet, alternatives proposed and open questions.
Input: an mbox holding the patch and its replies in any order (or one mail).

Options:
  --format text|markdown|json  output format (default: text, 72 columns)
  --rules DIR                  rules folder (default: the rules shipped with iommu-review)
  --rule ID                    expect the known arguments of this rule (repeatable; default:
                               the rules that fire on the thread's patches)
  -h, --help                   show this help

Exit status: 0 digest printed, 2 usage or input error.`;

export interface ThreadIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin?: NodeJS.ReadableStream;
}

interface ThreadOptions {
  file: string;
  format: ThreadFormat;
  rulesDir?: string;
  rule: string[];
  help: boolean;
}

function parseThreadArgs(argv: string[]): ThreadOptions {
  const parsed = parseOptions(argv, {
    format: { type: "string" },
    rules: { type: "string" },
    rule: { type: "string", multiple: true },
    help: { type: "boolean", short: "h" },
  });
  const v = parsed.values as { format?: string; rules?: string; rule?: string[]; help?: boolean };
  if (v.help) return { file: "", format: "text", rule: [], help: true };
  if (v.format !== undefined && !THREAD_FORMATS.includes(v.format as ThreadFormat)) {
    throw new UsageError(`--format must be one of ${THREAD_FORMATS.join(", ")} (got '${v.format}')`);
  }
  if (parsed.positionals.length !== 1) {
    throw new UsageError(parsed.positionals.length === 0 ? "no mbox given" : "give exactly one mbox");
  }
  return {
    file: parsed.positionals[0]!,
    format: (v.format as ThreadFormat | undefined) ?? "text",
    ...(v.rules !== undefined && { rulesDir: v.rules }),
    rule: v.rule ?? [],
    help: false,
  };
}

async function readInput(file: string, io: ThreadIo): Promise<Buffer> {
  if (file !== "-") return readFile(file);
  const chunks: Buffer[] = [];
  for await (const chunk of (io.stdin ?? process.stdin) as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks);
}

function render(digest: ThreadDigest, format: ThreadFormat): string {
  switch (format) {
    case "json":
      return renderDigestJson(digest);
    case "markdown":
      return renderDigestMarkdown(digest);
    case "text":
      return renderDigestText(digest);
  }
}

/** The rules named with --rule, or the error message when an id is unknown. */
function chosenRules(ids: readonly string[], rules: readonly Rule[]): RelevantRules | string {
  const unknown = ids.filter((id) => !rules.some((r) => r.id === id));
  if (unknown.length > 0) return `unknown rule id ${unknown.join(", ")}`;
  return { rules: rules.filter((r) => ids.includes(r.id)), basis: "given" };
}

export async function threadCommand(
  argv: string[],
  io: ThreadIo = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin },
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`iommu-review thread: ${message}\n`);
    return 2;
  };
  let opts: ThreadOptions;
  try {
    opts = parseThreadArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return fail(`${e.message}\n${THREAD_USAGE.split("\n")[0]}`);
    throw e;
  }
  if (opts.help) {
    io.stdout.write(`${THREAD_USAGE}\n`);
    return 0;
  }

  let rules: Rule[];
  let book: CueBook;
  try {
    rules = loadRules(opts.rulesDir ?? DEFAULT_RULES_DIR);
    book = buildCueBook(rules);
  } catch (e) {
    if (e instanceof RuleLoadError || e instanceof CueConflictError) return fail(e.message);
    throw e;
  }

  let data: Buffer;
  try {
    data = await readInput(opts.file, io);
  } catch (e) {
    return fail(`${opts.file}: cannot read file: ${errorMessage(e)}`);
  }
  let input: Awaited<ReturnType<typeof readThreadMail>>;
  try {
    input = await readThreadMail(data);
  } catch (e) {
    if (e instanceof ThreadInputError) return fail(`${opts.file}: ${e.message}`);
    throw e;
  }
  for (const { position, error } of input.errors) {
    io.stderr.write(`iommu-review thread: ${opts.file} (message ${position + 1}): ${error}\n`);
  }
  if (input.messages.length === 0) return fail(`${opts.file}: no readable message`);

  const chosen = opts.rule.length > 0 ? chosenRules(opts.rule, rules) : undefined;
  if (typeof chosen === "string") return fail(chosen);
  const thread = buildThread(input.messages);
  const relevant = chosen ?? (await rulesFiredInThread(thread, input.raw, rules));
  const { digest } = buildDigest({ thread, book, rules: relevant.rules, rulesBasis: relevant.basis });
  io.stdout.write(render(digest, opts.format));
  return input.errors.length > 0 ? 2 : 0;
}
