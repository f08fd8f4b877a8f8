// Reads selected threads out of ../shared/corpus/iommu-list-2019-2020.mbox.xz at test time. The corpus is public
// list data that is not ours to commit: tests that need it skip when the folder (or xz) is absent.

import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { splitMboxStream, unescapeMboxrd } from "../../src/ingest/mbox.js";
import { REPO_ROOT } from "./seed-mbox.js";

export const CORPUS_FILE = resolve(REPO_ROOT, "../shared/corpus/iommu-list-2019-2020.mbox.xz");

/** Why the corpus cannot be read here, or undefined when it can. */
export function corpusUnavailable(): string | undefined {
  if (!existsSync(CORPUS_FILE)) return `${CORPUS_FILE} not found`;
  if (spawnSync("xz", ["--version"]).status !== 0) return "xz is not installed";
  return undefined;
}

export interface CorpusMessage {
  messageId: string;
  /** In-Reply-To and References ids. */
  refs: string[];
  raw: Buffer;
}

function headerBlock(raw: Buffer): string {
  const head = raw.toString("latin1", 0, Math.min(raw.length, 32 * 1024));
  const end = head.search(/\r?\n\r?\n/);
  return (end < 0 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
}

function headerIds(headers: string, name: string): string[] {
  const line = new RegExp(`^${name}:(.*)$`, "im").exec(headers)?.[1] ?? "";
  return [...line.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
}

/**
 * The messages whose Message-Id is in `ids`, or whose In-Reply-To / References name one of them (so that a
 * reply nobody labelled is found too). One pass over the decompressed corpus.
 */
export async function corpusMessages(ids: ReadonlySet<string>): Promise<CorpusMessage[]> {
  const xz = spawn("xz", ["-dc", CORPUS_FILE], { stdio: ["ignore", "pipe", "inherit"] });
  const found: CorpusMessage[] = [];
  for await (const message of splitMboxStream(xz.stdout)) {
    const headers = headerBlock(message);
    const messageId = headerIds(headers, "Message-Id")[0];
    if (!messageId) continue;
    const refs = [...headerIds(headers, "In-Reply-To"), ...headerIds(headers, "References")];
    if (ids.has(messageId) || refs.some((r) => ids.has(r))) {
      found.push({ messageId, refs, raw: Buffer.from(unescapeMboxrd(message)) });
    }
  }
  return found;
}
