// A scan worker thread: reviews the batches the main thread sends, in the order of each batch.

import { parentPort, workerData } from "node:worker_threads";
import { installEagerBlob } from "../parse/eager-blob.js";
import { type PackedBatch, unpackBatch } from "./batch.js";
import { type ContextInit, createReviewContext } from "./context.js";
import { type PieceResult, processParse, processPiece, type ResultStyle } from "./process-piece.js";

export interface WorkerInit extends ContextInit {
  style: ResultStyle;
}

export interface BatchRequest {
  seq: number;
  batch: PackedBatch;
}

export interface BatchReply {
  seq: number;
  results: PieceResult[];
}

installEagerBlob();
const init = workerData as WorkerInit;
const ctx = createReviewContext(init);

parentPort!.on("message", async ({ seq, batch }: BatchRequest) => {
  const results: PieceResult[] = [];
  for (const piece of unpackBatch(batch)) {
    const parse = batch.route === "parse" && piece.kind !== "error";
    results.push(await (parse ? processParse(piece, ctx, init.style) : processPiece(piece, ctx, init.style)));
  }
  parentPort!.postMessage({ seq, results } satisfies BatchReply);
});
