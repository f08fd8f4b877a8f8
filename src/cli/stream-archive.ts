// The dry run of a large input (a list archive) through the scan engine, written as it is reviewed: JSON entry
// by entry (the same bytes as renderJson of the whole review), text and markdown block by block (the same
// bytes as renderText and renderMarkdown). Nothing holds the whole review. Error lines name each broken
// message by its number in the archive.

import type { Severity } from "../model.js";
import { DocumentWriter } from "../render/document.js";
import { markdownLayout } from "../render/markdown.js";
import { textLayout } from "../render/text.js";
import { exitStatus } from "../review/exit-status.js";
import { ChunkedOutput } from "../scan/chunked-output.js";
import { EntryWriter } from "../scan/output.js";
import type { PieceResult } from "../scan/process-piece.js";
import { type ReviewInputsOptions, streamInputs } from "../scan/review-inputs.js";
import type { CliOptions } from "./args.js";

export type StreamedFormat = "json" | "text" | "markdown";

export interface ArchiveIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Exit status as the CLI's: 2 when a message could not be read, 1 when a finding reaches --fail-on. */
export async function streamArchive(
  opts: CliOptions & { format: StreamedFormat },
  engine: ReviewInputsOptions,
  io: ArchiveIo,
  color: boolean,
): Promise<number> {
  const out: Sink =
    opts.format === "json" ? jsonSink(io.stdout) : new DocumentOut(io.stdout, opts.format, color);
  await out.start();
  let inputErrors = 0;
  const found = new Set<Severity>();
  const style = opts.format === "json" ? "json" : "entries";
  for await (const result of streamInputs(opts.files, style, engine)) {
    await out.add(result);
    const { stats } = result;
    for (const f of stats.findings) found.add(f.severity);
    if (stats.error === undefined) continue;
    inputErrors++;
    io.stderr.write(`iommu-review: ${result.source} (message ${result.position + 1}): ${stats.error}\n`);
  }
  await out.end();
  return exitStatus(inputErrors, found, opts.failOn);
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

/** Text or markdown, laid out entry by entry and written in chunks. */
class DocumentOut implements Sink {
  private readonly out: ChunkedOutput;
  private readonly document: DocumentWriter;

  constructor(stream: NodeJS.WritableStream, format: "text" | "markdown", color: boolean) {
    this.out = new ChunkedOutput(stream);
    const layout = format === "text" ? textLayout({ color }) : markdownLayout();
    this.document = new DocumentWriter(layout, (chunk) => this.out.append(chunk));
  }

  async start(): Promise<void> {}

  async add(result: PieceResult): Promise<void> {
    this.document.add(result.entry!);
    await this.out.flushIfFull();
  }

  async end(): Promise<void> {
    this.document.end();
    await this.out.flush();
  }
}
