// `npm run bench`: the figures of issues 2 and 5, measured in one run on this machine. Every measurement is a
// child process timed from outside (wall clock, process start included) whose peak RSS (all threads) it
// reports itself at exit. Uses lib/ (the tsc output): `npm run bench` builds it first.
//
//   corpus scan vs a bare Node streaming read-and-split of the same file (ratio), messages/s, MB/s, peak RSS;
//   what a second core gives on this machine (a single-threaded scan alone, then two at once);
//   scaling over 1x, 2x and 4x the corpus concatenated; a single-patch dry run vs `node -e 0`; the ordinary
//   CLI on the whole corpus. Then scripts/bench-github.mjs and scripts/bench-mirror.mjs when they exist.
//
// BENCH_RUNS (default 3) sets how many runs each corpus figure is the median of.

import { spawn } from "node:child_process";
import { once } from "node:events";
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LIB = join(ROOT, "lib");
const CORPUS = join(ROOT, "../shared/corpus/iommu-list-2019-2020.mbox.xz");
const EXAMPLE = join(ROOT, "examples/arm64-lazy-default.patch");
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = mkdtempSync(join(tmpdir(), "iommu-review-bench-"));

// A module preloaded into every measured child: writes its peak RSS (KB) where BENCH_RSS_FILE says.
const rssReporter = join(work, "rss.mjs");
writeFileSync(
  rssReporter,
  'import { writeFileSync } from "node:fs";\nprocess.on("exit", () => { if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)); });\n',
);
const bareSplit = join(work, "bare-split.mjs");
writeFileSync(
  bareSplit,
  [
    'import { createReadStream } from "node:fs";',
    `import { splitMboxStream } from ${JSON.stringify(join(LIB, "ingest/mbox.js"))};`,
    "let n = 0;",
    "for await (const _ of splitMboxStream(createReadStream(process.argv[2], { highWaterMark: 1 << 20 }))) n++;",
    "console.log(n);",
  ].join("\n"),
);
const scanRunner = join(work, "scan.mjs");
writeFileSync(
  scanRunner,
  [
    `import { scanCommand } from ${JSON.stringify(join(LIB, "cli/scan.js"))};`,
    "process.exitCode = await scanCommand(process.argv.slice(2));",
  ].join("\n"),
);
/** Runs `node args`, stdout to a file; returns wall seconds, peak RSS (MB), exit code, stdout path. */
function measure(args, { stdin } = {}) {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  const rssFile = `${out}.rss`;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const stdout = createWriteStream(out);
    stdout.on("open", () => {
      const child = spawn(process.execPath, ["--import", `file://${rssReporter}`, ...args], {
        stdio: [stdin ? "pipe" : "ignore", stdout, "pipe"],
        env: { ...process.env, BENCH_RSS_FILE: rssFile },
      });
      let stderr = "";
      child.stderr.on("data", (c) => {
        stderr += c;
      });
      if (stdin) createReadStream(stdin).pipe(child.stdin);
      child.on("error", reject);
      child.on("close", (code) => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        stdout.close();
        const rssMb = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) / 1024 : Number.NaN;
        resolve({ seconds, rssMb, code, out, stderr });
      });
    });
  });
}

async function median(runs, args) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await measure(args));
  results.sort((a, b) => a.seconds - b.seconds);
  const m = results[Math.floor(results.length / 2)];
  for (const r of results) if (r !== m) rmSync(r.out, { force: true });
  return { ...m, peakRssMb: Math.max(...results.map((r) => r.rssMb)) };
}

function lastJsonLine(file) {
  const text = readFileSync(file, "utf8").trimEnd();
  return JSON.parse(text.slice(text.lastIndexOf("\n") + 1));
}

const s = (x) => `${x.toFixed(2)} s`;
const mb = (x) => `${Math.round(x)} MB`;
const verdict = (ok) => (ok ? "ok" : "NOT MET");
const heading = (t) => console.log(`\n== ${t}`);

async function decompress(target) {
  const xz = spawn("xz", ["-dc", CORPUS], { stdio: ["ignore", "pipe", "inherit"] });
  await pipeline(xz.stdout, createWriteStream(target));
}

async function concatenate(source, times, target) {
  const out = createWriteStream(target);
  for (let i = 0; i < times; i++) {
    for await (const chunk of createReadStream(source)) if (!out.write(chunk)) await once(out, "drain");
  }
  await new Promise((resolve) => out.end(resolve));
}

async function corpusSections() {
  if (!existsSync(CORPUS)) {
    heading("corpus");
    console.log(`corpus not found at ${CORPUS}: corpus sections skipped`);
    return;
  }
  const mbox = join(work, "corpus.mbox");
  await decompress(mbox);
  const bytes = statSync(mbox).size;

  heading(`corpus scan (${(bytes / 1e6).toFixed(1)} MB, median of ${RUNS} runs each)`);
  const bare = await median(RUNS, [bareSplit, mbox]);
  const messages = Number(readFileSync(bare.out, "utf8").trim());
  console.log(
    `bare read-and-split:        ${s(bare.seconds)}  ${messages} messages  peak ${mb(bare.peakRssMb)}`,
  );
  const rows = [];
  for (const [label, extra] of [
    [`scan, default (${cpus().length} cores)`, []],
    [`scan, --workers ${cpus().length}`, ["--workers", String(cpus().length)]],
  ]) {
    const run = await median(RUNS, [scanRunner, mbox, "--quiet", ...extra]);
    const { summary } = lastJsonLine(run.out);
    rows.push({ label, run, summary });
    console.log(
      `${label.padEnd(27)} ${s(run.seconds)}  ${(run.seconds / bare.seconds).toFixed(1)}x bare  ` +
        `${Math.round(summary.messages / run.seconds)} messages/s  ${(bytes / 1e6 / run.seconds).toFixed(1)} MB/s  ` +
        `peak ${mb(run.peakRssMb)}  accounted ${summary.messages}/${messages}  exit ${run.code}`,
    );
  }
  const best = rows.reduce((a, b) => (a.run.seconds <= b.run.seconds ? a : b));
  console.log(
    `prefilter settled ${best.summary.prefiltered} of ${best.summary.messages}; findings ${best.summary.findings}`,
  );

  // Why a second thread gains little here: the same single-threaded scan run alone, then two copies at once.
  heading("this machine: one single-threaded scan alone, then two at once (one run each)");
  const alone = await measure([scanRunner, mbox, "--quiet", "--workers", "0"]);
  const together = await Promise.all(
    [0, 1].map(() => measure([scanRunner, mbox, "--quiet", "--workers", "0"])),
  );
  const slowest = Math.max(...together.map((r) => r.seconds));
  console.log(
    `alone ${s(alone.seconds)}; two at once ${together.map((r) => s(r.seconds)).join(" and ")}: ` +
      `each ${(slowest / alone.seconds).toFixed(2)}x as long, so two cores give ${((2 * alone.seconds) / slowest).toFixed(2)}x the throughput of one`,
  );
  for (const r of [alone, ...together]) rmSync(r.out, { force: true });

  heading("scaling (default settings, one run each)");
  const scaling = [];
  for (const times of [1, 2, 4]) {
    const file = times === 1 ? mbox : join(work, `corpus-${times}x.mbox`);
    if (times > 1) await concatenate(mbox, times, file);
    const run = await measure([scanRunner, file, "--quiet"]);
    const { summary } = lastJsonLine(run.out);
    scaling.push({ times, seconds: run.seconds });
    console.log(
      `${times}x: ${s(run.seconds)}  ${(run.seconds / times).toFixed(2)} s per corpus  peak ${mb(run.rssMb)}  ` +
        `accounted ${summary.messages}/${messages * times}`,
    );
    if (times > 1) rmSync(file, { force: true });
    rmSync(run.out, { force: true });
  }
  const perCorpus4 = scaling[2].seconds / 4;
  const perCorpus1 = scaling[0].seconds;
  const linear = perCorpus4 <= perCorpus1 * 1.15;
  console.log(
    `time per corpus at 4x / at 1x: ${(perCorpus4 / perCorpus1).toFixed(2)} (linear or better: ${linear ? "yes" : "no"})`,
  );

  heading(`ordinary CLI on the whole corpus (median of ${RUNS} runs each)`);
  const bin = join(ROOT, "bin/iommu-review.js");
  const cli = await median(RUNS, [bin, mbox, "--format", "json"]);
  const cliEntries = cli.code !== 2 ? JSON.parse(readFileSync(cli.out, "utf8")).patches.length : 0;
  console.log(
    `--format json (streamed):   ${s(cli.seconds)}  ${(cli.seconds / bare.seconds).toFixed(1)}x bare  peak ${mb(cli.peakRssMb)}  ` +
      `entries ${cliEntries}/${messages}  exit ${cli.code}${cli.code === 2 ? `  (${cli.stderr.trim().split("\n").pop()})` : ""}`,
  );
  // The default format, laid out block by block (SARIF alone waits for the whole review).
  const text = await median(RUNS, [bin, mbox, "--format", "text"]);
  console.log(
    `--format text (streamed):   ${s(text.seconds)}  ${(text.seconds / bare.seconds).toFixed(1)}x bare  peak ${mb(text.peakRssMb)}  exit ${text.code}`,
  );

  heading("targets");
  console.log(
    `issue 5: ${messages}/${messages} accounted by the scan: ${verdict(best.summary.messages === messages)}`,
  );
  console.log(
    `issue 5: scan <= 3x bare read-and-split: ${(best.run.seconds / bare.seconds).toFixed(1)}x (${best.label}): ${verdict(best.run.seconds <= 3 * bare.seconds)}`,
  );
  const defaultRun = rows[0].run;
  console.log(
    `issue 5: peak RSS <= 256 MB: ${mb(defaultRun.peakRssMb)} default, ${mb(rows[1].run.peakRssMb)} ${rows[1].label.slice(6)}: ${verdict(Math.max(defaultRun.peakRssMb, rows[1].run.peakRssMb) <= 256)}`,
  );
  console.log(`issue 5: linear scaling: ${verdict(linear)}`);
  console.log(
    `issue 2: CLI corpus <= 10x bare and < 512 MB: json ${(cli.seconds / bare.seconds).toFixed(1)}x ${mb(cli.peakRssMb)} exit ${cli.code}: ${verdict(cli.code !== 2 && cli.seconds <= 10 * bare.seconds && cli.peakRssMb < 512)}; text ${(text.seconds / bare.seconds).toFixed(1)}x ${mb(text.peakRssMb)}: ${verdict(text.seconds <= 10 * bare.seconds && text.peakRssMb < 512)}`,
  );
}

async function dryRunSection() {
  heading("single-patch dry run (median of 9)");
  const node = await median(9, ["-e", "0"]);
  const dry = await median(9, [join(ROOT, "bin/iommu-review.js"), EXAMPLE]);
  console.log(`node -e 0:                  ${s(node.seconds)}`);
  console.log(
    `iommu-review example patch: ${s(dry.seconds)}  ${(dry.seconds / node.seconds).toFixed(1)}x node -e 0  peak ${mb(dry.peakRssMb)}`,
  );
  console.log(`issue 2: dry run <= 3x node -e 0: ${verdict(dry.seconds <= 3 * node.seconds)}`);
}

async function otherBenches() {
  for (const name of ["bench-github.mjs", "bench-mirror.mjs"]) {
    heading(`scripts/${name}`);
    const script = join(ROOT, "scripts", name);
    if (!existsSync(script)) {
      console.log("not present: skipped");
      continue;
    }
    await new Promise((resolve) => {
      const child = spawn(process.execPath, [script], { stdio: "inherit", cwd: ROOT });
      child.on("close", (code) => {
        if (code !== 0) console.log(`(exited with ${code})`);
        resolve();
      });
    });
  }
}

console.log(`iommu-review bench: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`);
try {
  await corpusSections();
  await dryRunSection();
  await otherBenches();
} finally {
  rmSync(work, { recursive: true, force: true });
}
