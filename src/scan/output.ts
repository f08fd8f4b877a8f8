// How each entry is written. JSON Lines: one compact record per line, then a last record
// {"summary": {...}}. JSON: the dry run's contract, {"patches": [...]}, written entry by entry, byte for byte
// what render/json.ts would print for the whole review.

import type { PatchReview } from "../model.js";
import { ChunkedOutput } from "./chunked-output.js";
import { jsonRecord } from "./record.js";
import type { ScanSummary } from "./summary.js";

export type OutputFormat = "jsonl" | "json";

/** An entry as text in `format`: a JSON Lines record, or an element of the contract's "patches" array. */
export function serialise(review: PatchReview, format: OutputFormat): string {
  const record = jsonRecord(review);
  if (format === "jsonl") return `${JSON.stringify(record)}\n`;
  return JSON.stringify(record, null, 2).replace(/^/gm, "    ");
}

/** Writes entries to a stream in order, waiting when the stream asks to (so memory stays bounded). */
export class EntryWriter {
  private readonly out: ChunkedOutput;
  private count = 0;

  constructor(
    stream: NodeJS.WritableStream,
    private readonly format: OutputFormat,
  ) {
    this.out = new ChunkedOutput(stream);
  }

  async start(): Promise<void> {
    if (this.format === "json") this.out.append('{\n  "patches": [');
  }

  async write(text: string): Promise<void> {
    const separator = this.format === "json" ? (this.count === 0 ? "\n" : ",\n") : "";
    this.count++;
    this.out.append(separator + text);
    await this.out.flushIfFull();
  }

  /** Closes the output; JSON Lines end with the summary record when there is one. */
  async end(summary?: ScanSummary): Promise<void> {
    if (this.format === "json") this.out.append(this.count === 0 ? "]\n}\n" : "\n  ]\n}\n");
    else if (summary) this.out.append(`${JSON.stringify({ summary })}\n`);
    await this.out.flush();
  }
}
