// Worker threads that review batches of pieces. A batch's results come back in the batch's order; callers
// keep batches in input order. A worker that dies takes only its batches with it: their pieces become error
// entries, and a new worker takes its place.

import { Worker } from "node:worker_threads";
import { errorMessage } from "../parse/errors.js";
import type { PackedBatch } from "./batch.js";
import { failedResult } from "./failed-result.js";
import type { PieceResult } from "./process-piece.js";
import type { BatchReply, BatchRequest, WorkerInit } from "./worker.js";

export const WORKER_SCRIPT = new URL("./worker.js", import.meta.url);

interface Task {
  batch: PackedBatch["pieces"];
  resolve: (results: PieceResult[]) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Task>;
}

export interface PoolOptions {
  size: number;
  init: WorkerInit;
  /** Old-generation heap of each worker; a worker over it dies alone. */
  maxHeapMb?: number;
  script?: URL;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private nextSeq = 0;
  private closed = false;
  /** Replacements left: a worker that cannot even start must not be replaced forever. */
  private respawns: number;

  constructor(private readonly opts: PoolOptions) {
    this.respawns = opts.size * 4;
    for (let i = 0; i < opts.size; i++) this.slots.push(this.spawn());
  }

  /** Reviews a batch; never rejects (a failure gives error entries). */
  run(batch: PackedBatch): Promise<PieceResult[]> {
    const slot = this.slots.reduce<Slot | undefined>(
      (best, s) => (!best || s.pending.size < best.pending.size ? s : best),
      undefined,
    );
    if (!slot) return Promise.resolve(this.failAll(batch.pieces, "no worker could be started"));
    const seq = this.nextSeq++;
    return new Promise((resolve) => {
      slot.pending.set(seq, { batch: batch.pieces, resolve });
      slot.worker.postMessage({ seq, batch } satisfies BatchRequest, [batch.data]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(this.opts.script ?? WORKER_SCRIPT, {
      workerData: this.opts.init,
      // A smaller young generation than V8 picks for itself: measured on the corpus, it keeps two workers and
      // the main thread under 256 MB peak RSS at no cost in time.
      resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb ?? 1024, maxYoungGenerationSizeMb: 16 },
    });
    const slot: Slot = { worker, pending: new Map() };
    worker.on("message", (reply: BatchReply) => {
      const task = slot.pending.get(reply.seq);
      slot.pending.delete(reply.seq);
      task?.resolve(reply.results);
    });
    worker.on("error", (error) => this.fail(slot, errorMessage(error)));
    worker.on("exit", (code) => {
      if (!this.closed || slot.pending.size > 0) this.fail(slot, `exited with code ${code}`);
    });
    return slot;
  }

  private fail(slot: Slot, reason: string): void {
    const index = this.slots.indexOf(slot);
    if (index < 0) return; // already replaced: "error" is followed by "exit"
    if (!this.closed && this.respawns-- > 0) this.slots[index] = this.spawn();
    else this.slots.splice(index, 1);
    for (const task of slot.pending.values())
      task.resolve(this.failAll(task.batch, `worker failed: ${reason}`));
    slot.pending.clear();
    void slot.worker.terminate();
  }

  private failAll(pieces: PackedBatch["pieces"], error: string): PieceResult[] {
    return pieces.map((p) => failedResult(p, error, this.opts.init.style));
  }
}
