// A one-line progress display for a terminal: bytes (with a bar and ETA when the total is known) or messages,
// and the rate. Redrawn at most ten times a second; cleared at the end.

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export class Progress {
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly totalBytes?: number,
  ) {}

  update(bytes: number, messages: number): void {
    const now = Date.now();
    if (now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.out.write(`\r\x1b[K${this.line(bytes, messages, (now - this.started) / 1000)}`);
  }

  done(): void {
    if (this.lastDraw > 0) this.out.write("\r\x1b[K");
  }

  /** The text of the display, without control characters. */
  line(bytes: number, messages: number, seconds: number): string {
    const rate = seconds > 0 ? bytes / seconds : 0;
    const parts = [`${messages.toLocaleString("en")} messages`, `${megabytes(rate)} MB/s`];
    if (this.totalBytes && this.totalBytes > 0) {
      const fraction = Math.min(1, bytes / this.totalBytes);
      const filled = Math.round(fraction * BAR_WIDTH);
      const eta = rate > 0 ? Math.max(0, (this.totalBytes - bytes) / rate) : undefined;
      parts.unshift(
        `[${"#".repeat(filled)}${".".repeat(BAR_WIDTH - filled)}] ${Math.floor(fraction * 100)}%`,
        `${megabytes(bytes)}/${megabytes(this.totalBytes)} MB`,
      );
      if (eta !== undefined) parts.push(`ETA ${clock(eta)}`);
    } else parts.unshift(`${megabytes(bytes)} MB`);
    return parts.join("  ");
  }
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}
