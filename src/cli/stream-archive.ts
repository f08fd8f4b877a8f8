// The dry run of a large input (a list archive) through the scan engine, written as it is reviewed: JSON entry
// by entry (the same bytes as renderJson of the whole review), text and markdown block by block (the same
// bytes as renderText and renderMarkdown). Nothing holds the whole review. Error lines name each broken
// message by its number in the archive.

import { SEVERITIES } from "../model.js";
import { DocumentWriter } from "../render/document.js";
import { markdownLayout } from "../render/markdown.js";
import { textLayout } from "../render/text.js";
import type { Rule } from "../rules/load.js";
import { EntryWriter } from "../scan/output.js";
import type { PieceResult } from "../scan/process-piece.js";
import { streamInputs } from "../scan/review-inputs.js";
import type { CliOptions } from "./args.js";

export type StreamedFormat = "json" | "text" | "markdown";

export interface ArchiveIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

const FLUSH_CHARS = 64 * 1024;

/** Exit status as the CLI's: 2 when a message could not be read, 1 when a finding reaches --fail-on. */
export async function streamArchive(
  opts: CliOptions & { format: StreamedFormat },
  rules: readonly Rule[],
  io: ArchiveIo,
  color: boolean,
): Promise<number> {
  const out: Sink =
    opts.format === "json" ? jsonSink(io.stdout) : new DocumentOut(io.stdout, opts.format, color);
  await out.start();
  let inputErrors = 0;
  let worst = -1;
  const style = opts.format === "json" ? "json" : "entries";
  const inputs = streamInputs(opts.files, style, {
    rules,
    tree: opts.tree,
    stdin: io.stdin,
    ...(opts.workers !== undefined && { workers: opts.workers }),
  });
  for await (const result of inputs) {
    await out.add(result);
    const { stats } = result;
    for (const f of stats.findings) worst = Math.max(worst, SEVERITIES.indexOf(f.severity));
    if (stats.error === undefined) continue;
    inputErrors++;
    const [source, position] = splitWhere(result.where);
    io.stderr.write(`iommu-review: ${source} (message ${position + 1}): ${stats.error}\n`);
  }
  await out.end();
  if (inputErrors > 0) return 2;
  return opts.failOn !== "never" && worst >= SEVERITIES.indexOf(opts.failOn) ? 1 : 0;
}

interface Sink {
  start(): Promise<void>;
  add(result: PieceResult): Promise<void>;
  end(): Promise<void>;
}

function jsonSink(stream: NodeJS.WritableStream): Sink {
  const writer = new EntryWriter(stream, "json");
  return {
    start: () => writer.start(),
    add: (result) => writer.write(result.text!),
    end: () => writer.end(),
  };
}

/** Text or markdown, laid out entry by entry and written in chunks, waiting when the stream asks to. */
class DocumentOut implements Sink {
  private pending = "";
  private readonly document: DocumentWriter;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    format: "text" | "markdown",
    color: boolean,
  ) {
    const layout = format === "text" ? textLayout({ color }) : markdownLayout();
    this.document = new DocumentWriter(layout, (chunk) => {
      this.pending += chunk;
    });
  }

  async start(): Promise<void> {}

  async add(result: PieceResult): Promise<void> {
    this.document.add(result.entry!);
    if (this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  async end(): Promise<void> {
    this.document.end();
    await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = "";
    if (text !== "" && !this.stream.write(text))
      await new Promise((resolve) => this.stream.once("drain", resolve));
  }
}

/** "source#position" back into its parts (the source may itself hold a "#"). */
function splitWhere(where: string): [string, number] {
  const hash = where.lastIndexOf("#");
  return [where.slice(0, hash), Number(where.slice(hash + 1))];
}
