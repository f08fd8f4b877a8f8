// The hand-labelled development set (../shared/corpus/labels/patches-2019-2020.tsv) and its patches, read from
// the shared corpus at test time. Both are public list data that is not ours to commit: tests that need them
// skip with a clear message when ../shared is absent.

import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { bufferToItems } from "../../src/ingest/read.js";
import type { InputItem } from "../../src/model.js";
import { corpusMessages, corpusUnavailable } from "../thread/corpus.js";
import { REPO_ROOT } from "../thread/seed-mbox.js";

export const LABELS_FILE = resolve(REPO_ROOT, "../shared/corpus/labels/patches-2019-2020.tsv");

export type Tier = "A" | "B" | "E" | "-";

export interface Label {
  messageId: string;
  date: string;
  subject: string;
  label: boolean;
  tier: Tier;
  reason: string;
}

/** Why the development set cannot be used here, or undefined when it can. */
export function devsetUnavailable(): string | undefined {
  if (!existsSync(LABELS_FILE)) return `${LABELS_FILE} not found`;
  return corpusUnavailable();
}

export function readLabels(file = LABELS_FILE): Label[] {
  const [, ...rows] = readFileSync(file, "utf8").split("\n");
  return rows
    .filter((r) => r.trim() !== "")
    .map((r) => {
      const [messageId = "", date = "", subject = "", label = "", tier = "-", reason = ""] = r.split("\t");
      return { messageId, date, subject, label: label === "TRUE", tier: tier as Tier, reason };
    });
}

export interface LabelledPatch extends Label {
  item: InputItem;
}

/** The labelled patches, parsed as the dry run parses them, in the order of the labels file. */
export async function labelledPatches(labels: readonly Label[] = readLabels()): Promise<LabelledPatch[]> {
  const wanted = new Set(labels.map((l) => l.messageId));
  const messages = (await corpusMessages(wanted)).filter((m) => wanted.has(m.messageId));
  const byId = new Map(messages.map((m) => [m.messageId, m]));
  const out: LabelledPatch[] = [];
  for (const l of labels) {
    const m = byId.get(l.messageId);
    if (!m) continue;
    const [item] = await bufferToItems(m.raw, `corpus:${l.messageId}`);
    if (item) out.push({ ...l, item });
  }
  return out;
}
