// Text for a stream, gathered into chunks of about 64 KB and written when a chunk is full, waiting when the
// stream asks to: many small entries cost few writes, and a slow reader holds back the writer (memory stays
// bounded). Used by the scan's entry writer and the dry run's streamed documents.

const CHUNK_CHARS = 64 * 1024;

export class ChunkedOutput {
  private pending = "";

  constructor(private readonly stream: NodeJS.WritableStream) {}

  append(text: string): void {
    this.pending += text;
  }

  /** Writes what was appended once it makes a whole chunk. */
  async flushIfFull(): Promise<void> {
    if (this.pending.length >= CHUNK_CHARS) await this.flush();
  }

  async flush(): Promise<void> {
    const text = this.pending;
    this.pending = "";
    if (text === "" || this.stream.write(text)) return;
    await new Promise<void>((resolve) => this.stream.once("drain", resolve));
  }
}
