import { analyzeKconfigFile, type EntryChange, type RecordedBlock } from "../kconfig/analyze.js";
import type { DefconfigSource } from "../kconfig/defconfigs.js";
import type { SymbolResolver } from "../kconfig/effective.js";
import { bundledFacts, factsResolver, firstOf, type KconfigFacts } from "../kconfig/facts.js";
import type { FileDiff, FileSource, Finding, InputItem, Patch, PatchReview, Review } from "../model.js";
import type { RuleContext } from "../rules/context.js";
import { evaluateRule } from "../rules/evaluate.js";
import type { Rule } from "../rules/load.js";
import { checkClaims } from "./claims.js";
import { findingKind, patchContext, withRelevantArguments } from "./relevance.js";

export interface ReviewOptions {
  rules: readonly Rule[];
  /** Whole pre-images (a kernel tree, the forge's contents API); without it the hunks and rule records are used. */
  files?: FileSource;
  /** Resolves driver symbols per architecture (from a kernel tree's `depends on`). */
  resolver?: SymbolResolver;
  /**
   * Kconfig facts recorded from a kernel tree (which drivers can be enabled on which architecture): the bundled
   * rules/kconfig-facts.json when undefined; null for none (a tree of another kernel version).
   */
  facts?: KconfigFacts | null;
  /** With a kernel tree: each architecture's defconfig files, for per-defconfig results. */
  defconfigs?: DefconfigSource;
  /**
   * The commit message the claims check reads, given the findings (a pull request: the messages of the commits
   * that introduce them); default: the patch's message.
   */
  messageFor?: (patch: Patch, findings: readonly Finding[]) => string;
}

function recordedBlocks(rules: readonly Rule[]): RecordedBlock[] {
  return rules.flatMap((r) =>
    r.upstream ? [{ path: r.upstream.path, kernel: r.upstream.kernel, kconfig: r.upstream.kconfig }] : [],
  );
}

/** Reviews one patch: every rule, then the commit-message checks if some rule that wants them fired. */
export function reviewPatch(patch: Patch, opts: ReviewOptions): PatchReview {
  const cache = new Map<FileDiff, EntryChange[]>();
  const recorded = recordedBlocks(opts.rules);
  const facts = opts.facts === null ? undefined : (opts.facts ?? bundledFacts());
  const ctx: RuleContext = {
    patch,
    files: opts.files,
    resolver: firstOf(facts && factsResolver(facts), opts.resolver),
    facts,
    defconfigs: opts.defconfigs,
    kconfigChanges(file) {
      let changes = cache.get(file);
      if (!changes) {
        changes = analyzeKconfigFile(file, { files: opts.files, recorded });
        cache.set(file, changes);
      }
      return changes;
    },
  };
  const thread = patchContext(patch);
  const findings = opts.rules.flatMap((rule) =>
    evaluateRule(rule, ctx).map((f) =>
      withRelevantArguments(f, findingKind(f, rule.match.kind, rule.match.symbols), thread),
    ),
  );
  const wantsClaims = findings.some((f) => opts.rules.find((r) => r.id === f.rule)?.claims);
  const changedArches = [
    ...new Set(findings.flatMap((f) => f.table.filter((r) => r.changed).map((r) => r.arch))),
  ];
  return {
    source: patch.source,
    position: patch.position,
    subject: patch.subject,
    messageId: patch.messageId,
    author: patch.author,
    patch,
    findings,
    claims: wantsClaims
      ? checkClaims(opts.messageFor?.(patch, findings) ?? patch.message, { changedArches })
      : [],
  };
}

/** A patch the engine cannot handle becomes an error entry; the rest of the batch is still reviewed. */
function reviewOrError(patch: Patch, opts: ReviewOptions): PatchReview {
  try {
    return reviewPatch(patch, opts);
  } catch (e) {
    const { source, position, subject, messageId, author } = patch;
    return {
      source,
      position,
      subject,
      messageId,
      author,
      findings: [],
      claims: [],
      error: `cannot review: ${(e as Error).message}`,
    };
  }
}

/** The core: parsed inputs in, one PatchReview per input out, in input order. */
export function review(items: readonly InputItem[], opts: ReviewOptions): Review {
  return {
    patches: items.map((item): PatchReview => {
      if (item.kind === "patch") return reviewOrError(item.patch, opts);
      const { source, position, subject, messageId, author } = item;
      const base = { source, position, subject, messageId, author, findings: [], claims: [] };
      return item.kind === "skipped" ? { ...base, skipped: item.reason } : { ...base, error: item.error };
    }),
  };
}
