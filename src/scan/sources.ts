// What `iommu-review scan` reads: an mbox file (or a single message), stdin, a Maildir, or a public-inbox git
// repository (v1, or v2 with its git/N.git epochs). Each becomes a stream of pieces; a path that cannot be
// read becomes one error piece, so that it is accounted for like any message.

import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import {
  type InputPiece,
  KEEP_BYTES_OF_LONG_MESSAGES,
  readPieces,
  type StreamLimits,
} from "../ingest/stream.js";
import { errorMessage } from "../parse/errors.js";
import type { Limits } from "./limits.js";
import type { ScanState } from "./state.js";

export interface ScanSource {
  /** The path as given. */
  label: string;
  kind: "file" | "stdin" | "maildir" | "public-inbox" | "unreadable";
  /** Bytes to read, when known in advance (for the progress bar). */
  size?: number;
  pieces: AsyncIterable<InputPiece>;
  /** Called once the scan's output is complete: a public-inbox source records the last commit it read. */
  finish(state: ScanState | undefined): void;
}

export interface SourceOptions {
  stdin?: NodeJS.ReadableStream;
  limits: Limits;
  /** Incremental public-inbox scans: where the last commit of each repository is remembered (read when needed). */
  state?: () => ScanState;
  /** Read public-inbox repositories from their first commit, whatever the state says. */
  full?: boolean;
  /** Tells the user something about the input that is not an error (e.g. a rescan). */
  notice(text: string): void;
}

export function openSource(path: string, opts: SourceOptions): ScanSource {
  const limits: StreamLimits = {
    maxMessageBytes: opts.limits.maxMessageBytes,
    keepBytes: KEEP_BYTES_OF_LONG_MESSAGES,
  };
  const nothingToRecord = () => {};
  if (path === "-") {
    return {
      label: path,
      kind: "stdin",
      pieces: readPieces(path, { stdin: opts.stdin, limits }),
      finish: nothingToRecord,
    };
  }
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch (error) {
    return unreadable(path, `cannot read file: ${errorMessage(error)}`);
  }
  if (stat.isFile()) {
    return {
      label: path,
      kind: "file",
      size: stat.size,
      pieces: readPieces(path, { limits }),
      finish: nothingToRecord,
    };
  }
  if (stat.isDirectory()) {
    if (existsSync(join(path, "cur")) || existsSync(join(path, "new"))) return maildir(path, limits);
    const epochs = publicInboxEpochs(path);
    if (epochs.length > 0) return publicInbox(path, epochs, limits, opts);
  }
  return unreadable(path, "not an mbox file, a Maildir or a public-inbox git repository");
}

function unreadable(path: string, error: string): ScanSource {
  const pieces = (async function* (): AsyncGenerator<InputPiece> {
    yield { kind: "error", source: path, position: 0, error };
  })();
  return { label: path, kind: "unreadable", pieces, finish: () => {} };
}

/** Messages of new/ and cur/, in the order of their names (which start with the delivery time). */
function maildir(dir: string, limits: StreamLimits): ScanSource {
  const files = ["new", "cur"]
    .filter((sub) => existsSync(join(dir, sub)))
    .flatMap((sub) => readdirSync(join(dir, sub)).map((name) => join(dir, sub, name)))
    .filter((file) => statSync(file).isFile())
    .sort((a, b) => basename(a).localeCompare(basename(b)));
  const size = files.reduce((total, file) => total + statSync(file).size, 0);
  const pieces = (async function* () {
    for (const file of files) yield* readPieces(file, { limits });
  })();
  return { label: dir, kind: "maildir", size, pieces, finish: () => {} };
}

/** The git repositories of a public-inbox: git/0.git, git/1.git... (v2), or the directory itself (v1). */
function publicInboxEpochs(dir: string): string[] {
  const v2 = join(dir, "git");
  if (existsSync(v2) && statSync(v2).isDirectory()) {
    return readdirSync(v2)
      .filter((name) => /^\d+\.git$/.test(name))
      .sort((a, b) => Number.parseInt(a, 10) - Number.parseInt(b, 10))
      .map((name) => join(v2, name));
  }
  const isGit =
    existsSync(join(dir, ".git")) || (existsSync(join(dir, "HEAD")) && existsSync(join(dir, "objects")));
  return isGit ? [dir] : [];
}

function publicInbox(dir: string, epochs: string[], limits: StreamLimits, opts: SourceOptions): ScanSource {
  const lastRead = new Map<string, string>();
  const pieces = (async function* (): AsyncGenerator<InputPiece> {
    let position = 0;
    for (const epoch of epochs) {
      const repository = realpathSync(epoch);
      const since = opts.full ? undefined : opts.state?.().lastCommit(repository);
      try {
        // Loaded here: it brings in the full mail parser, which an mbox scan's main thread does without.
        const { streamInbox } = await import("../ingest/public-inbox.js");
        for await (const { commit, message } of streamInbox(epoch, since ? { since } : {}, limits)) {
          lastRead.set(repository, commit);
          if (!message) continue; // a commit that deleted a message
          const { raw, size, truncated } = message;
          const source = `${dir}@${commit.slice(0, 12)}`;
          yield { kind: "mail", source, position: position++, bytes: raw, size, truncated, mboxrd: false };
        }
      } catch (error) {
        lastRead.delete(repository);
        yield { kind: "error", source: epoch, position: position++, error: errorMessage(error) };
        if (since)
          opts.notice(`${epoch}: could not read on from ${since.slice(0, 12)}; run with --full to rescan`);
      }
    }
  })();
  return {
    label: dir,
    kind: "public-inbox",
    pieces,
    finish(state) {
      for (const [repository, commit] of lastRead) state?.setLastCommit(repository, commit);
    },
  };
}
