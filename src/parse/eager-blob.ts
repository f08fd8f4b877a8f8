// postal-mime's transfer decoders collect a MIME part line by line into a Blob and read it back with
// arrayBuffer(). Node 20's Blob pays for every part of the list and again, asynchronously, for every part it
// reads back: a multipart mail took ~25x as long as a plain one (209 multipart messages of the shared corpus:
// 564 ms, 99 ms with this class). Threads whose only work is reviewing mail (scan workers, the dry-run and
// scan commands) install this Blob, which joins its parts when it is made. It offers what postal-mime uses of
// a Blob (decode-strings.js blobToArrayBuffer): the constructor, size, type, arrayBuffer() and text().

const encoder = new TextEncoder();

class EagerBlob {
  readonly type: string;
  readonly #bytes: Buffer;

  constructor(parts: readonly unknown[] = [], options: { type?: string } = {}) {
    this.#bytes = Buffer.concat(parts.map(bytesOf));
    this.type = options.type ?? "";
  }

  get size(): number {
    return this.#bytes.length;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.#bytes;
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return this.#bytes.toString("utf8");
  }
}

function bytesOf(part: unknown): Uint8Array {
  if (typeof part === "string") return encoder.encode(part);
  if (part instanceof ArrayBuffer) return new Uint8Array(part);
  if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer, part.byteOffset, part.byteLength);
  throw new TypeError("EagerBlob takes strings, ArrayBuffers and views");
}

/** Replaces this thread's Blob; for threads (or processes) that run nothing but the review. */
export function installEagerBlob(): void {
  (globalThis as { Blob: unknown }).Blob = EagerBlob;
}
