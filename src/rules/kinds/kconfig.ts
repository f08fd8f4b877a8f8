import type { EntryChange } from "../../kconfig/analyze.js";
import { isArchSymbol } from "../../kconfig/arches.js";
import { symbolsOf } from "../../kconfig/expr.js";
import { defconfigValue, type KconfigFacts, possibleArches } from "../../kconfig/facts.js";
import { entryKey, type KconfigEntry, parseKconfig, viewOf } from "../../kconfig/parse.js";
import { perArch } from "../../kconfig/per-arch.js";
import type { ArchNote } from "../../model.js";
import { describeChanges, type Hit, listWords, type RuleContext } from "../context.js";
import { matchesAny } from "../glob.js";
import type { Rule } from "../load.js";

export const isKconfigPath = (path: string) => /(^|\/)Kconfig[^/]*$/.test(path);

function mentionsArch(e: KconfigEntry | undefined): boolean {
  if (!e) return false;
  return e.defaults.some((d) =>
    [...symbolsOf(d.value), ...(d.cond ? symbolsOf(d.cond) : [])].some((s) => isArchSymbol(s)),
  );
}

const globRegExp = (glob: string) =>
  new RegExp(
    `^${glob
      .split("*")
      .map((p) => p.replace(/[^A-Za-z0-9_]/g, "\\$&"))
      .join(".*")}$`,
  );

/** A choice's member symbols, and the targets of its defaults (which name members the text may not show). */
function memberNames(e: KconfigEntry): string[] {
  const names = e.members.flatMap((m) => (m.name ? [m.name] : []));
  for (const d of e.defaults) if (d.value.type === "sym") names.push(d.value.name);
  return names;
}

function hasMember(e: KconfigEntry | undefined, globs: readonly string[] | undefined): boolean {
  if (e?.kind !== "choice" || !globs?.length) return false;
  const res = globs.map(globRegExp);
  return memberNames(e).some((n) => res.some((re) => re.test(n)));
}

function subjectName(e: KconfigEntry): string | undefined {
  if (e.kind !== "choice") return e.name;
  if (e.prompt ?? e.name) return e.prompt ?? e.name;
  const members = [...new Set(memberNames(e))];
  return members.length ? `of ${members.join(" / ")}` : undefined;
}

function wanted(rule: Rule, e: KconfigEntry, other: KconfigEntry | undefined): boolean {
  const m = rule.match;
  if (m.kind === "kconfig-choice-default") {
    if (e.kind !== "choice") return false;
    return (
      [m.choice ?? []].flat().includes(e.prompt ?? "") ||
      hasMember(e, m.members) ||
      hasMember(other, m.members)
    );
  }
  const name = subjectName(e);
  if (e.kind === "choice" && name && m.excludeChoices?.includes(name)) return false;
  if (hasMember(e, m.excludeChoiceMembers) || hasMember(other, m.excludeChoiceMembers)) return false;
  if (name && m.excludeSymbols?.includes(name)) return false;
  if (m.symbols && (e.kind === "choice" || !m.symbols.includes(name ?? ""))) return false;
  if (m.archConditional && !mentionsArch(e) && !mentionsArch(other)) return false;
  return true;
}

/** Renamed members compare as the first name of their group. */
function canonOf(rule: Rule): (value: string) => string {
  const canon = new Map<string, string>();
  for (const group of rule.match.equivalent ?? []) for (const n of group) canon.set(n, group[0]!);
  return (v) => canon.get(v) ?? v;
}

const DEFCONFIG_WORDS = ["n", "m", "y"] as const;

/** "INTEL_IOMMU: x86 only, y in x86's 6.12 defconfig", from the recorded facts. */
function explainer(facts: KconfigFacts | undefined) {
  return (symbol: string, arch: string): string | undefined => {
    const possible = possibleArches(facts, symbol);
    if (!possible || !facts!.arches.includes(arch)) return undefined;
    const release = facts!.kernel.split(".").slice(0, 2).join(".");
    const where =
      possible.length === 1 ? `${possible[0]} only` : possible.length <= 3 ? listWords([...possible]) : "";
    const d = defconfigValue(facts, symbol, arch);
    const def = d === undefined ? "" : `${DEFCONFIG_WORDS[d]} in ${arch}'s ${release} defconfig`;
    return `${symbol}: ${[where, def].filter(Boolean).join(", ")}`;
  };
}

const defaultsText = (e: KconfigEntry | undefined) =>
  e?.defaults.map((d) => d.text.replace(/\s+/g, " ")).join("\n");

/**
 * The entries of the rule's recorded upstream block, when the patch's pre-image of the entry is the recorded one
 * (same key, same defaults): the patch applies to that state, so the rest of the block holds for it too.
 */
function recordedImage(rule: Rule, change: EntryChange): KconfigEntry[] | undefined {
  const up = rule.upstream;
  if (!up || up.path !== change.path || !change.before) return undefined;
  let entries = recordedEntries.get(rule);
  if (!entries) {
    entries = parseKconfig(viewOf(up.kconfig));
    recordedEntries.set(rule, entries);
  }
  const key = entryKey(change.before);
  const same = entries.find((e) => !e.choice && key !== undefined && entryKey(e) === key);
  return same && defaultsText(same) === defaultsText(change.before) ? entries : undefined;
}

const recordedEntries = new WeakMap<Rule, KconfigEntry[]>();

/** The gate entry (config IOMMU_DMA) before and after, from the whole file when known; never guessed. */
function gateEntries(rule: Rule, change: EntryChange) {
  const name = rule.match.effectRequires;
  if (!name) return undefined;
  const recorded = change.images ? undefined : recordedImage(rule, change);
  const images = change.images ?? (recorded && { pre: recorded, post: recorded });
  if (!images) return undefined;
  const find = (entries: KconfigEntry[]) => entries.find((e) => e.kind !== "choice" && e.name === name);
  const gate = { before: find(images.pre), after: find(images.post) };
  if (!gate.before && !gate.after) return undefined;
  const note = recorded
    ? `${name} from the rule's ${rule.upstream!.kernel} record, which the patch starts from`
    : undefined;
  return { ...gate, note };
}

/** One sentence per reason: "riscv: no effect: IOMMU_DMA is n there …". */
function notesSentence(notes: readonly ArchNote[]): string {
  const byReason = new Map<string, string[]>();
  for (const n of notes) byReason.set(n.reason, [...(byReason.get(n.reason) ?? []), n.arch]);
  const name = (arches: string[]) =>
    arches.length > 6
      ? `${arches.length} architectures (${arches.slice(0, 3).join(", ")} …)`
      : listWords(arches);
  return [...byReason].map(([reason, arches]) => `${name(arches)}: ${reason}.`).join(" ");
}

function withFacts(basis: EntryChange["basis"], facts: KconfigFacts | undefined): EntryChange["basis"] {
  if (!facts) return basis;
  const detail = `${basis.detail}; driver symbols per arch from rules/kconfig-facts.json (Linux ${facts.kernel})`;
  return { ...basis, detail };
}

/** A removed entry and an added one of the same watched choice (a choice renamed or rebuilt) are one change. */
function pairRebuilt(rule: Rule, changes: EntryChange[]): EntryChange[] {
  if (rule.match.kind !== "kconfig-choice-default") return changes;
  const removed = changes.filter((c) => c.before && !c.after && wanted(rule, c.before, undefined));
  const added = changes.filter((c) => c.after && !c.before && wanted(rule, c.after, undefined));
  if (removed.length !== 1 || added.length !== 1) return changes;
  const [gone, made] = [removed[0]!, added[0]!];
  const merged: EntryChange = {
    ...made,
    before: gone.before,
    changed: [...gone.changed, ...made.changed],
    quote: [...made.quote, ...gone.quote.filter((l) => !made.quote.includes(l))],
  };
  return changes.filter((c) => c !== gone).map((c) => (c === made ? merged : c));
}

/** Kinds kconfig-choice-default and kconfig-default: a default's effective value changes for some arch. */
export function kconfigHits(rule: Rule, ctx: RuleContext): Hit[] {
  const hits: Hit[] = [];
  for (const file of ctx.patch.files) {
    if (!isKconfigPath(file.path) || !matchesAny(file.path, rule.match.paths)) continue;
    if (matchesAny(file.path, rule.match.excludePaths)) continue;
    for (const change of pairRebuilt(rule, ctx.kconfigChanges(file))) {
      const subject = change.after ?? change.before;
      if (!subject || !wanted(rule, subject, change.after ? change.before : undefined)) continue;
      const gate = gateEntries(rule, change);
      const result = perArch({
        before: change.before,
        after: change.after,
        tailUnknown: change.tailUnknown,
        resolver: ctx.resolver,
        gate,
        canon: canonOf(rule),
        explain: explainer(ctx.facts),
        defconfigs: ctx.defconfigs,
      });
      const effective = result.table.some((r) => r.changed);
      const nominal =
        result.table.some((r) => r.before !== r.after) ||
        result.visibility.length + result.unaffected.length > 0;
      if (!effective && !(nominal && rule.messageNoEffect)) continue; // nothing moves: stay quiet
      const name = subjectName(subject) ?? "(unnamed entry)";
      const kept = result.table.filter((r) => !r.changed).map((r) => r.arch);
      hits.push({
        path: file.path,
        line: change.anchor.line,
        side: change.anchor.side,
        subject: subject.kind === "choice" ? `choice "${name}"` : `config ${name}`,
        table: result.table,
        unaffected: result.unaffected,
        visibility: result.visibility,
        basis: withFacts(
          gate?.note ? { ...change.basis, detail: `${change.basis.detail}; ${gate.note}` } : change.basis,
          ctx.facts,
        ),
        quote: change.quote,
        changed: change.changed,
        ...(effective ? {} : { noEffect: true, severityCap: "info" as const }),
        vars: {
          subject: name,
          entry: subject.kind === "choice" ? `the choice "${name}"` : `config ${name}`,
          path: file.path,
          basis: change.basis.detail,
          ...describeChanges(result.table),
          kept: kept.length ? `${listWords(kept)} keep their effective default.` : "",
          notes: notesSentence([...result.visibility, ...result.unaffected]),
        },
      });
    }
  }
  return hits;
}
