// Which of a rule's known arguments fit one finding of one patch: the direction of the change, the
// architectures it changes, the kind of finding, and what had been said by the patch's date. An argument that
// cannot be shown to fit is left out: a review with fewer arguments is better than one with a wrong one.

import type { Argument, Direction, Finding, FindingKind, Patch } from "../model.js";
import type { MatchKind } from "../rules/schema.js";

const DIRECTION_OF_VALUE: readonly [RegExp, Direction][] = [
  [/\bIOMMU_DEFAULT_(?:DMA_)?LAZY\b/, "lazy"],
  [/\bIOMMU_DEFAULT_(?:DMA_)?STRICT\b/, "strict"],
  [/\bIOMMU_DEFAULT_PASSTHROUGH\b/, "passthrough"],
];

/** The member a table cell names, when it names exactly one (a conditional result names several). */
function memberDirection(value: string): Direction | undefined {
  const found = DIRECTION_OF_VALUE.filter(([re]) => re.test(value)).map(([, d]) => d);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Where the changed rows move the default, when every changed row moves it to the same member; undefined
 * ("any") otherwise, and for findings without IOMMU members in their table (C code, IOMMU_DMA's y/n).
 */
export function findingDirection(finding: Finding): Direction | undefined {
  const changed = finding.table.filter((r) => r.changed);
  const directions = new Set(changed.map((r) => memberDirection(r.after)));
  if (directions.size !== 1) return undefined;
  return [...directions][0];
}

const FLUSH_CAPABILITY_LINE = /\bIOMMU_CAP_DEFERRED_FLUSH\b|\bshadow_on_flush\b|\bIOVA_\w*FQ_\w+/;
const DEVICE_QUIRK_LINE = /\bdef_domain_type\b|\bquirk\w*|->untrusted\b|\.default_domain\b/;

export function findingKind(
  finding: Finding,
  matchKind: MatchKind,
  symbols?: readonly string[],
): FindingKind {
  switch (matchKind) {
    case "kconfig-choice-default":
      return "kconfig-choice";
    case "kconfig-default":
      return symbols?.includes("IOMMU_DMA") ? "dma-arch-list" : "kconfig-default";
    case "config-setting":
      return "config-setting";
    case "c-code": {
      const changed = finding.quote.filter((l) => l.kind !== "context");
      if (changed.some((l) => FLUSH_CAPABILITY_LINE.test(l.text))) return "flush-capability";
      return changed.some((l) => DEVICE_QUIRK_LINE.test(l.text)) ? "device-quirk" : "c-strictness";
    }
  }
}

export interface PatchContext {
  /** YYYY-MM-DD of the patch (the mail's Date, the pull request's creation); absent: no date limit. */
  date?: string;
  /** The patch's own Message-Id and those of the thread it sits in. */
  threadIds: ReadonlySet<string>;
}

export function patchContext(patch: Patch): PatchContext {
  const ids = [patch.messageId, patch.inReplyTo, ...patch.references].filter((id): id is string => !!id);
  return {
    date: patch.date?.slice(0, 10),
    threadIds: new Set(ids.map(normaliseId)),
  };
}

function normaliseId(id: string): string {
  return id.trim().replace(/^<|>$/g, "").toLowerCase();
}

/** "2021-09" sorts before "2021-09-08"; a month-only date counts as the month's last day. */
function dayOf(date: string): string {
  return date.length === 7 ? `${date}-31` : date;
}

export function argumentFits(
  arg: Argument,
  finding: { kind: FindingKind; direction?: Direction; changedArches: readonly string[] },
  patch: PatchContext,
): boolean {
  const made = arg.date ?? arg.since;
  // Made (or true) before the patch was sent: on the same day it may be the patch's own thread.
  if (made && patch.date && dayOf(made) >= patch.date) return false;
  if (arg.sourceIds?.some((id) => patch.threadIds.has(normaliseId(id)))) return false;
  if (arg.kinds && !arg.kinds.includes(finding.kind)) return false;
  if (arg.direction && !(finding.direction && arg.direction.includes(finding.direction))) return false;
  if (arg.arches && !arg.arches.some((a) => finding.changedArches.includes(a))) return false;
  return true;
}

/** How narrowly an argument is aimed: the more it declares (and still fits), the earlier it is shown. */
export function specificity(arg: Argument): number {
  return (arg.arches ? 4 : 0) + (arg.direction ? 2 : 0) + (arg.kinds ? 1 : 0);
}

/** The finding with only the arguments that fit it and the patch, most specific first (stable otherwise). */
export function withRelevantArguments(finding: Finding, kind: FindingKind, patch: PatchContext): Finding {
  const facts = {
    kind,
    direction: findingDirection(finding),
    changedArches: finding.table.filter((r) => r.changed).map((r) => r.arch),
  };
  const fitting = finding.arguments.filter((a) => argumentFits(a, facts, patch));
  const ranked = fitting
    .map((arg, i) => ({ arg, i }))
    .sort((a, b) => specificity(b.arg) - specificity(a.arg) || a.i - b.i)
    .map((x) => x.arg);
  return { ...finding, arguments: ranked };
}
