import type { EntryChange } from "../kconfig/analyze.js";
import type { DefconfigSource } from "../kconfig/defconfigs.js";
import type { SymbolResolver } from "../kconfig/effective.js";
import type { KconfigFacts } from "../kconfig/facts.js";
import type {
  ArchNote,
  ArchResult,
  EvaluationBasis,
  FileDiff,
  FileSource,
  HunkLine,
  Patch,
  Severity,
} from "../model.js";

/** What a rule evaluator gets: the patch, and the shared (cached) Kconfig analysis of its files. */
export interface RuleContext {
  patch: Patch;
  files?: FileSource;
  resolver?: SymbolResolver;
  /** Kconfig facts recorded from a kernel tree (rules/kconfig-facts.json), for explaining driver symbols. */
  facts?: KconfigFacts;
  /** With a kernel tree: each architecture's defconfig files. */
  defconfigs?: DefconfigSource;
  kconfigChanges(file: FileDiff): EntryChange[];
}

/** A finding before the rule's identity, arguments and fingerprint are attached. */
export interface Hit {
  path: string;
  line: number;
  side: "new" | "old";
  subject?: string;
  table: ArchResult[];
  unaffected?: ArchNote[];
  visibility?: ArchNote[];
  basis?: EvaluationBasis;
  quote: HunkLine[];
  changed: HunkLine[];
  /** Values for the rule's message placeholders. */
  vars: Record<string, string>;
  /** The patch moves the entry's Kconfig value but no architecture's effective default: the rule's messageNoEffect. */
  noEffect?: boolean;
  /** Lowers the rule's severity (e.g. a change that moves no architecture is at most info). */
  severityCap?: Severity;
}

/** A row's change without its arch: its summary (which may name a condition) or before → after. */
const changeWords = (r: ArchResult) =>
  r.summary?.startsWith(`${r.arch}: `) ? r.summary.slice(r.arch.length + 2) : `${r.before} → ${r.after}`;

export function describeChanges(table: readonly ArchResult[]): { changes: string; changedArches: string } {
  const rows = table.filter((r) => r.changed);
  return {
    // Arches with the same change, said the same way, are named together: a new choice changes many alike.
    changes: [...groupBy(rows, changeWords)]
      .map(([words, group]) => `${listWords(group.map((r) => r.arch))}: ${words}`)
      .join("; "),
    changedArches: listWords(rows.map((r) => r.arch)),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
