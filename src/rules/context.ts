import type { EntryChange } from "../kconfig/analyze.js";
import type { SymbolResolver } from "../kconfig/effective.js";
import type {
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
  kconfigChanges(file: FileDiff): EntryChange[];
}

/** A finding before the rule's identity, arguments and fingerprint are attached. */
export interface Hit {
  path: string;
  line: number;
  side: "new" | "old";
  subject?: string;
  table: ArchResult[];
  basis?: EvaluationBasis;
  quote: HunkLine[];
  changed: HunkLine[];
  /** Values for the rule's message placeholders. */
  vars: Record<string, string>;
  /** Lowers the rule's severity (e.g. a change that moves no architecture is at most info). */
  severityCap?: Severity;
}

export function describeChanges(table: readonly ArchResult[]): { changes: string; changedArches: string } {
  const rows = table.filter((r) => r.changed);
  return {
    // Arches with the same transition are named together: a new choice changes twenty arches the same way.
    changes: [...groupBy(rows, (r) => `${r.before} → ${r.after}`)]
      .map(([transition, group]) => `${listWords(group.map((r) => r.arch))}: ${transition}`)
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
