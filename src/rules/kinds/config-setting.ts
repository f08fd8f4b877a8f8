import { archByDir } from "../../kconfig/arches.js";
import { archEnv, choiceDecision, printDecision } from "../../kconfig/effective.js";
import { type KconfigEntry, parseKconfig, viewOf } from "../../kconfig/parse.js";
import type { ArchResult, EvaluationBasis, FileDiff, FileSource, HunkLine } from "../../model.js";
import { describeChanges, type Hit, type RuleContext } from "../context.js";
import { matchesAny } from "../glob.js";
import type { Rule } from "../load.js";

// Kind config-setting: a defconfig or config fragment sets a watched CONFIG_ symbol, or a built-in command
// line gains a watched boot parameter. For arch/<a>/configs/* the affected architecture is <a>; "before" is
// what Kconfig's defaults give that architecture unless the file itself set something else.

const SETTING_RE = /^(?:CONFIG_([A-Za-z0-9_]+)=(.*)|# CONFIG_([A-Za-z0-9_]+) is not set)\s*$/;
const BOOT_PARAMS: Record<string, string> = {
  "iommu.strict=0": "iommu.strict=0 (lazy at boot)",
  "iommu.strict=1": "iommu.strict=1 (strict at boot)",
  "iommu.passthrough=1": "iommu.passthrough=1 (passthrough at boot)",
  "iommu.passthrough=0": "iommu.passthrough=0 (translated at boot)",
  "iommu=pt": "iommu=pt (passthrough at boot)",
  "iommu=nopt": "iommu=nopt (translated at boot)",
};

function archOfConfigPath(path: string): string | undefined {
  const m = /^arch\/([^/]+)\/configs\//.exec(path);
  return m && archByDir(m[1]!) ? m[1] : undefined;
}

/** The choice that holds the watched symbols: from the tree's Kconfig when known, else the rule's record. */
function findChoice(rule: Rule, files?: FileSource): { choice?: KconfigEntry; basis?: EvaluationBasis } {
  const symbols = rule.match.symbols ?? [];
  const pick = (text: string) =>
    parseKconfig(viewOf(text)).find(
      (e) => e.kind === "choice" && e.members.some((m) => symbols.includes(m.name ?? "")),
    );
  const path = rule.upstream?.path;
  const fromTree = path ? files?.before(path) : undefined;
  const choice = fromTree ? pick(fromTree) : undefined;
  if (choice)
    return {
      choice,
      basis: { source: "tree", detail: `Kconfig default read from ${path} (${files!.describe()})` },
    };
  if (rule.upstream) {
    const recorded = pick(rule.upstream.kconfig);
    if (recorded)
      return {
        choice: recorded,
        basis: {
          source: "recorded",
          detail: `Kconfig default taken from the upstream state recorded in the rule (${rule.upstream.kernel})`,
        },
      };
  }
  return {};
}

/** What one line of a config file sets, in the terms of the per-arch table. */
function settingOf(
  text: string,
  symbols: readonly string[],
  patterns: readonly RegExp[],
): string | undefined {
  const m = SETTING_RE.exec(text.trim());
  const sym = m ? (m[1] ?? m[3]!) : undefined;
  if (m && sym && symbols.includes(sym))
    return m[1] ? (m[2] === "y" ? sym : `${sym}=${m[2]}`) : `${sym} not set`;
  if (!patterns.some((p) => p.test(text))) return undefined;
  const params = Object.keys(BOOT_PARAMS).filter((p) =>
    new RegExp(`(^|[\\s"])${p.replace(".", "\\.")}(?=[\\s"]|$)`).test(text),
  );
  return params.map((p) => BOOT_PARAMS[p]).join(", ") || text.trim();
}

function settingsIn(
  lines: readonly HunkLine[],
  kind: "add" | "del",
  symbols: readonly string[],
  patterns: readonly RegExp[],
) {
  return lines
    .filter((l) => l.kind === kind)
    .map((l) => ({ line: l, value: settingOf(l.text, symbols, patterns) }))
    .filter((s) => s.value !== undefined) as { line: HunkLine; value: string }[];
}

function fileHit(rule: Rule, file: FileDiff, ctx: RuleContext, patterns: RegExp[]): Hit | undefined {
  const symbols = rule.match.symbols ?? [];
  const lines = file.hunks.flatMap((h) => h.lines);
  const added = settingsIn(lines, "add", symbols, patterns);
  const removed = settingsIn(lines, "del", symbols, patterns);
  if (added.length === 0 && removed.length === 0) return undefined;
  const beforeSet = removed.map((s) => s.value).join(", ");
  const afterSet = added.map((s) => s.value).join(", ");
  if (beforeSet === afterSet) return undefined; // the same settings, moved or re-spelled: nothing changes
  const changed = [...removed, ...added].map((s) => s.line);
  const anchor = added[0]?.line ?? removed[0]!.line;
  const arch = archOfConfigPath(file.path);
  let table: ArchResult[] = [];
  let basis: EvaluationBasis | undefined;
  if (arch) {
    const found = findChoice(rule, ctx.files);
    basis = found.basis;
    const kconfigDefault = found.choice
      ? printDecision(choiceDecision(found.choice, archEnv(archByDir(arch)!, ctx.resolver)))
      : "(Kconfig default)";
    const before = beforeSet || kconfigDefault;
    const after = afterSet || kconfigDefault;
    table = [{ arch, before, after, changed: before !== after }];
  }
  const quote = file.hunks.flatMap((h) => h.lines).filter((l) => changed.includes(l));
  const rows = table.filter((r) => r.changed);
  return {
    path: file.path,
    line: anchor.kind === "del" ? anchor.oldLine! : anchor.newLine!,
    side: anchor.kind === "del" ? "old" : "new",
    subject: arch ? `${arch} configuration` : "configuration fragment",
    table,
    basis,
    quote,
    changed,
    vars: {
      subject: file.path,
      path: file.path,
      matched: afterSet || `removed ${beforeSet}`,
      basis: basis?.detail ?? "",
      ...describeChanges(rows),
    },
  };
}

export function configSettingHits(rule: Rule, ctx: RuleContext): Hit[] {
  const patterns = (rule.match.patterns ?? []).map((p) => new RegExp(p));
  const hits: Hit[] = [];
  for (const file of ctx.patch.files) {
    if (!matchesAny(file.path, rule.match.paths) || matchesAny(file.path, rule.match.excludePaths)) continue;
    const hit = fileHit(rule, file, ctx, patterns);
    if (hit) hits.push(hit);
  }
  return hits;
}
