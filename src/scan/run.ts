// `iommu-review scan`, once its options are read: open the inputs, review every piece through the engine,
// write the entries in order, then the summary; remember public-inbox positions only after all is written.

import type { InputPiece } from "../ingest/stream.js";
import { SEVERITIES, type Severity } from "../model.js";
import { exitStatus } from "../review/exit-status.js";
import type { Rule } from "../rules/load.js";
import { reviewPieces } from "./engine.js";
import type { Limits } from "./limits.js";
import { EntryWriter, type OutputFormat } from "./output.js";
import { Progress } from "./progress.js";
import { openSource, type ScanSource } from "./sources.js";
import { ScanState } from "./state.js";
import { describeSummary, type ScanSummary, SummaryCounter } from "./summary.js";
import { defaultWorkers } from "./workers.js";

export interface ScanOptions {
  paths: string[];
  format: OutputFormat;
  rules: readonly Rule[];
  limits: Limits;
  tree?: string;
  /** Worker threads; undefined for defaultWorkers(). */
  workers?: number;
  quiet: boolean;
  /** Incremental public-inbox scans. */
  statePath: string;
  full: boolean;
  failOn: Severity | "never";
  verifyPrefilter: boolean;
}

export interface ScanIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
}

/** Exit status: 2 when an input could not be read, 1 when a finding reaches failOn, else 0. */
export async function runScan(
  opts: ScanOptions,
  io: ScanIo,
): Promise<{ summary: ScanSummary; exitCode: number }> {
  const started = performance.now();
  const notice = (text: string) => io.stderr.write(`iommu-review scan: ${text}\n`);
  let state: ScanState | undefined;
  const loadState = () => {
    state ??= ScanState.load(opts.statePath);
    return state;
  };
  const sources = opts.paths.map((path) =>
    openSource(path, { stdin: io.stdin, limits: opts.limits, full: opts.full, notice, state: loadState }),
  );
  if (sources.some((s) => s.kind === "public-inbox")) loadState(); // a broken state file stops the scan early
  let inputErrors = sources.filter((s) => s.kind === "unreadable").length;

  const progress =
    !opts.quiet && (io.stderr as NodeJS.WriteStream).isTTY
      ? new Progress(io.stderr, totalSize(sources))
      : undefined;
  const counter = new SummaryCounter(opts.verifyPrefilter);
  const writer = new EntryWriter(io.stdout, opts.format);
  await writer.start();
  let bytes = 0;
  const pieces = (async function* (): AsyncGenerator<InputPiece> {
    for (const source of sources) {
      for await (const piece of source.pieces) {
        if (piece.kind === "error" && source.kind !== "unreadable") inputErrors++;
        yield piece;
      }
    }
  })();
  const engine = {
    rules: opts.rules,
    limits: opts.limits,
    ...(opts.tree !== undefined && { tree: opts.tree }),
    verifyPrefilter: opts.verifyPrefilter,
    style: opts.format,
    workers: opts.workers ?? defaultWorkers(),
  };
  for await (const result of reviewPieces(pieces, engine)) {
    await writer.write(result.text!);
    counter.add(result.stats, `${result.source}#${result.position}`);
    bytes += result.bytes;
    progress?.update(bytes, counter.messages);
  }
  progress?.done();
  const summary = counter.finish(bytes, (performance.now() - started) / 1000);
  await writer.end(summary);
  if (state) {
    for (const source of sources) source.finish(state);
    state.save();
  }
  if (!opts.quiet) io.stderr.write(describeSummary(summary));
  return { summary, exitCode: exitCode(summary, opts.failOn, inputErrors) };
}

function totalSize(sources: readonly ScanSource[]): number | undefined {
  let total = 0;
  for (const s of sources) {
    if (s.size === undefined) return undefined;
    total += s.size;
  }
  return total;
}

function exitCode(summary: ScanSummary, failOn: Severity | "never", inputErrors: number): number {
  const found = SEVERITIES.filter((severity) => summary.findingsBySeverity[severity] > 0);
  return exitStatus(inputErrors, found, failOn);
}
