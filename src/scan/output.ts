// How each entry is written. JSON Lines: one compact record per line, then a last record
// {"summary": {...}}. JSON: the dry run's contract, {"patches": [...]}, written entry by entry, byte for byte
// what render/json.ts would print for the whole review.

import type { PatchReview } from "../model.js";
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
  private pending = "";
  private count = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly format: OutputFormat,
  ) {}

  async start(): Promise<void> {
    if (this.format === "json") this.pending += '{\n  "patches": [';
  }

  async write(text: string): Promise<void> {
    if (this.format === "json") this.pending += this.count === 0 ? `\n${text}` : `,\n${text}`;
    else this.pending += text;
    this.count++;
    if (this.pending.length >= 64 * 1024) await this.flush();
  }

  /** Closes the output; JSON Lines end with the summary record when there is one. */
  async end(summary?: ScanSummary): Promise<void> {
    if (this.format === "json") this.pending += this.count === 0 ? "]\n}\n" : "\n  ]\n}\n";
    else if (summary) this.pending += `${JSON.stringify({ summary })}\n`;
    await this.flush();
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = "";
    if (text === "" || this.out.write(text)) return;
    await new Promise<void>((resolve) => this.out.once("drain", resolve));
  }
}
