import { isArchSymbol } from "../../kconfig/arches.js";
import { type ArchDecision, decideForArches, printDecision } from "../../kconfig/effective.js";
import { symbolsOf } from "../../kconfig/expr.js";
import type { KconfigEntry } from "../../kconfig/parse.js";
import type { ArchResult } from "../../model.js";
import { describeChanges, type Hit, type RuleContext } from "../context.js";
import { matchesAny } from "../glob.js";
import type { Rule } from "../load.js";

const NOT_DEFINED = "(not defined)";

export const isKconfigPath = (path: string) => /(^|\/)Kconfig[^/]*$/.test(path);

function mentionsArch(e: KconfigEntry | undefined): boolean {
  if (!e) return false;
  return e.defaults.some((d) =>
    [...symbolsOf(d.value), ...(d.cond ? symbolsOf(d.cond) : [])].some((s) => isArchSymbol(s)),
  );
}

function subjectName(e: KconfigEntry): string | undefined {
  return e.kind === "choice" ? (e.prompt ?? e.name) : e.name;
}

function wanted(rule: Rule, e: KconfigEntry, other: KconfigEntry | undefined): boolean {
  const m = rule.match;
  if (m.kind === "kconfig-choice-default")
    return e.kind === "choice" && [m.choice ?? []].flat().includes(e.prompt ?? "");
  const name = subjectName(e);
  if (e.kind === "choice" && name && m.excludeChoices?.includes(name)) return false;
  if (name && m.excludeSymbols?.includes(name)) return false;
  if (m.symbols && (e.kind === "choice" || !m.symbols.includes(name ?? ""))) return false;
  if (m.archConditional && !mentionsArch(e) && !mentionsArch(other)) return false;
  return true;
}

function table(before: ArchDecision[] | undefined, after: ArchDecision[] | undefined): ArchResult[] {
  const rows = (before ?? after)!;
  return rows.map((row, i) => {
    const b = before ? printDecision(before[i]!.decision) : NOT_DEFINED;
    const a = after ? printDecision(after[i]!.decision) : NOT_DEFINED;
    return { arch: row.arch.dir, before: b, after: a, changed: a !== b };
  });
}

/** Kinds kconfig-choice-default and kconfig-default: a default's effective value changes for some arch. */
export function kconfigHits(rule: Rule, ctx: RuleContext): Hit[] {
  const hits: Hit[] = [];
  for (const file of ctx.patch.files) {
    if (!isKconfigPath(file.path) || !matchesAny(file.path, rule.match.paths)) continue;
    if (matchesAny(file.path, rule.match.excludePaths)) continue;
    for (const change of ctx.kconfigChanges(file)) {
      const subject = change.after ?? change.before;
      if (!subject || !wanted(rule, subject, change.after ? change.before : undefined)) continue;
      const opts = { tailUnknown: change.tailUnknown, resolver: ctx.resolver };
      const rows = table(
        change.before && decideForArches(change.before, opts),
        change.after && decideForArches(change.after, opts),
      );
      if (!rows.some((r) => r.changed)) continue; // no architecture's effective default moves: stay quiet
      const name = subjectName(subject) ?? "(unnamed entry)";
      hits.push({
        path: file.path,
        line: change.anchor.line,
        side: change.anchor.side,
        subject: subject.kind === "choice" ? `choice "${name}"` : `config ${name}`,
        table: rows,
        basis: change.basis,
        quote: change.quote,
        changed: change.changed,
        vars: { subject: name, path: file.path, basis: change.basis.detail, ...describeChanges(rows) },
      });
    }
  }
  return hits;
}
