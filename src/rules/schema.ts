import { z } from "zod";
import { ARGUMENT_CATEGORIES, DIRECTIONS, FINDING_KINDS, SEVERITIES } from "../model.js";

// The shape of a rule file (rules/<id>/rule.yaml). Unknown keys are errors, so a typo names its field.

/** A regular expression as the thread classifier compiles it: case-insensitive, Unicode mode. */
const cueRegexString = z.string().refine(
  (s) => {
    try {
      new RegExp(s, "iu");
      return true;
    } catch {
      return false;
    }
  },
  { message: "not a valid regular expression (compiled with flags iu)" },
);

/**
 * Cues that recognise a statement in a mail reply (one sentence of new, unquoted text). The set matches when
 * some phrase, some regex or every regex of some `all` group matches the sentence, and no `not` regex does.
 */
export const cueSetSchema = z
  .object({
    /** Case-insensitive words or phrases; a space matches any run of whitespace; matched as whole words. */
    phrases: z.array(z.string().trim().min(2)).optional(),
    /** Case-insensitive regular expressions. */
    regexes: z.array(cueRegexString).optional(),
    /** Co-occurrence: each group matches when every one of its regexes matches the same sentence. */
    all: z
      .array(z.array(cueRegexString).min(2, "a co-occurrence group needs at least two regexes"))
      .optional(),
    /** A sentence matching one of these does not match the set, whatever else it contains. */
    not: z.array(cueRegexString).optional(),
  })
  .strict()
  .refine((c) => !!(c.phrases?.length || c.regexes?.length || c.all?.length), {
    message: "needs at least one of phrases, regexes or all",
  });

const isoDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, "YYYY-MM-DD");

const argumentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case words joined by '-'"),
    category: z.enum(ARGUMENT_CATEGORIES as [string, ...string[]]),
    text: z.string().min(10),
    who: z.string().optional(),
    where: z.string().optional(),
    /** When `who` said it. An argument with a date names who made it. */
    date: isoDate.optional(),
    /**
     * Our own explanation (no `who`): the date from which it holds (a merge, a rename), so that an older patch is
     * not told about what came later. Not printed.
     */
    since: isoDate.optional(),
    /** The changes it answers: towards lazy, strict or passthrough (default: any direction). */
    direction: z.array(z.enum(DIRECTIONS)).min(1).optional(),
    /** The architectures it is about (arch/ directory names); shown only when one of them changes. */
    arches: z
      .array(z.string().regex(/^[a-z0-9]+$/, "an arch/ directory name"))
      .min(1)
      .optional(),
    /** The kinds of finding it fits (default: every finding of the rule). */
    kinds: z.array(z.enum(FINDING_KINDS)).min(1).optional(),
    /**
     * What the cited messages say, as short phrases of their own text (at most a dozen words each, never quoted
     * material): the citation test checks that each phrase is in the message's own text, and the thread digest's
     * cues must match it.
     */
    sources: z
      .array(
        z
          .object({
            /**
             * The Message-Id (without angle brackets) or the archive address of the message; default: the
             * argument's `where` (or, without one, the seed thread's message by `who`).
             */
            where: z.string().min(3).optional(),
            excerpt: z
              .string()
              .min(3)
              .refine((s) => s.trim().split(/\s+/).length <= 12, { message: "at most a dozen words" }),
          })
          .strict(),
      )
      .optional(),
    /**
     * Ids of the same argument worded for other rules (twins): a reply raising one raises them all, so the
     * thread digest counts them once and never lists a twin of a raised argument as not yet discussed.
     */
    twins: z.array(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case words joined by '-'")).optional(),
    /**
     * How a reply that raises this argument reads. An argument id names the same argument in every rule, so
     * the cues may be written on one rule's copy and apply wherever the id appears.
     */
    cues: cueSetSchema.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    // A date, a place or an excerpt says someone said it: then it must say who.
    if (!a.who && (a.date || a.where || a.sources?.length))
      ctx.addIssue({ code: "custom", path: ["who"], message: "required with date, where or sources" });
    if (a.who && a.since)
      ctx.addIssue({
        code: "custom",
        path: ["since"],
        message: "only for our own explanation (no who): use date",
      });
    if (a.who && !a.date) ctx.addIssue({ code: "custom", path: ["date"], message: "required with who" });
    if (a.who && !a.sources?.length)
      ctx.addIssue({
        code: "custom",
        path: ["sources"],
        message: "required with who: a short phrase of the cited message's own text",
      });
  });

const alternativeSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case words joined by '-'"),
    /** How the thread digest names it, e.g. "Boot parameter (iommu.strict=0)". */
    label: z.string().min(3),
    cues: cueSetSchema,
  })
  .strict();

/** What the thread digest looks for in replies beyond the known arguments. */
const discussionSchema = z
  .object({
    /** Statements of a category that match none of the known arguments (new arguments). */
    categories: z
      .object({
        "per-arch-divergence": cueSetSchema.optional(),
        "security-vs-throughput": cueSetSchema.optional(),
        alternatives: cueSetSchema.optional(),
        evidence: cueSetSchema.optional(),
        process: cueSetSchema.optional(),
      })
      .strict()
      .optional(),
    /** Kinds of alternative to changing the default that a reply may propose. */
    alternatives: z.array(alternativeSchema).optional(),
    questions: z
      .object({
        /** Sentences that ask something without a question mark ("I wonder whether ..."). */
        cues: cueSetSchema.optional(),
        /** Sentences ending in "?" that are not open questions ("Any comments?"). */
        ignore: cueSetSchema.optional(),
        /** Shorter questions are left out: without their quoted context they say nothing. */
        minWords: z.number().int().min(1).max(20).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

const regexString = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: "not a valid regular expression" },
);

export const MATCH_KINDS = ["kconfig-choice-default", "kconfig-default", "config-setting", "c-code"] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

const matchSchema = z
  .object({
    /**
     * kconfig-choice-default: a default of a choice (named by its prompt) changes its effective value per arch.
     * kconfig-default: a config symbol's default (or def_bool) changes per arch.
     * config-setting: a defconfig / config fragment / built-in command line sets a watched symbol or parameter.
     * c-code: added or removed C lines match a pattern.
     */
    kind: z.enum(MATCH_KINDS),
    /** Path globs (`*` within a segment, `**` across segments). */
    paths: z.array(z.string().min(1)).min(1),
    /** Path globs to leave out. */
    excludePaths: z.array(z.string().min(1)).optional(),
    /**
     * kconfig-choice-default: the choice's prompt, e.g. "IOMMU default domain type", or a list of prompts when
     * the choice was renamed over time.
     */
    choice: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /**
     * kconfig-choice-default: the choice is recognised by its members, whatever its prompt: a member symbol, or the
     * target of one of its defaults, matching one of these globs (`*` for any run of characters), e.g.
     * "IOMMU_DEFAULT_*". A hunk that shows only some of the choice still names its members in its defaults.
     */
    members: z.array(z.string().regex(/^[A-Za-z0-9_*]+$/)).optional(),
    /**
     * kconfig-choice-default: groups of member symbols that are the same default under another name (a rename
     * such as IOMMU_DEFAULT_LAZY → IOMMU_DEFAULT_DMA_LAZY). A change between them is no effective change.
     */
    equivalent: z.array(z.array(z.string().regex(/^[A-Za-z0-9_]+$/)).min(2)).optional(),
    /**
     * kconfig-choice-default: a config symbol without which the choice has no effect on an architecture (the
     * IOMMU core forces identity domains without IOMMU_DMA since v6.7). Read from the same file's text when the
     * whole file is known (a tree, the forge, the rule's recorded upstream block); never guessed.
     */
    effectRequires: z
      .string()
      .regex(/^[A-Za-z0-9_]+$/)
      .optional(),
    /** kconfig-default: skip choices whose members match these globs (left to the choice's own rule). */
    excludeChoiceMembers: z.array(z.string().regex(/^[A-Za-z0-9_*]+$/)).optional(),
    /** kconfig-default: the config symbols watched; config-setting: the CONFIG_ symbols (without CONFIG_). */
    symbols: z.array(z.string().regex(/^[A-Za-z0-9_]+$/)).optional(),
    /** kconfig-default: skip these symbols / choices (the generic rule leaves the IOMMU choice to its own rule). */
    excludeSymbols: z.array(z.string()).optional(),
    excludeChoices: z.array(z.string()).optional(),
    /** kconfig-default: only changes whose default conditions mention an architecture symbol. */
    archConditional: z.boolean().optional(),
    /** config-setting and c-code: regular expressions tested against added and removed lines. */
    patterns: z.array(regexString).optional(),
    /** c-code: functions (name regexes) that decide a default, e.g. `def_domain_type$`: their changed code counts. */
    functions: z.array(regexString).optional(),
    /** c-code: functions (name regexes) whose changes are not default changes (boot-parameter parsers, setters). */
    ignoreFunctions: z.array(regexString).optional(),
    /** c-code: conditions (regexes on the guard over a line) under which a change is a fallback, not a default. */
    ignoreGuards: z.array(regexString).optional(),
    /** c-code: device match tables (by name) that feed a default: added or removed entries count. */
    tables: z.array(z.string().regex(/^[A-Za-z_]\w*$/)).optional(),
    /** c-code: a decision function the patch adds counts only when a line of it matches one (or names a table). */
    selectors: z.array(regexString).optional(),
    /** c-code: initialisers (group 1 names the function) that count in a struct the patch adds. */
    hooks: z.array(regexString).optional(),
    /** c-code: calls a pattern line's order against counts: moving the line across one is a change. */
    orderAnchors: z.array(regexString).optional(),
    /** c-code: rewrites that make two spellings of the same behaviour compare equal (from: regex, to). */
    equivalents: z.array(z.object({ from: regexString, to: z.string() }).strict()).optional(),
    /** c-code: what a changed line means, for the finding's sentence: the first `when` regex that matches it. */
    effects: z.array(z.object({ when: regexString, says: z.string().min(5) }).strict()).optional(),
    /** c-code: who a path's default applies to, for the finding's sentence (first matching glob wins). */
    drivers: z.array(z.object({ path: z.string().min(1), name: z.string().min(2) }).strict()).optional(),
  })
  .strict();

const upstreamSchema = z
  .object({
    /** Kernel version this state was read from, e.g. "v6.12". */
    kernel: z.string(),
    /** File the block lives in. */
    path: z.string(),
    /** The Kconfig block structure (entries, prompts, depends, defaults, members) as of that version. */
    kconfig: z.string(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case words joined by '-'"),
    title: z.string().min(5),
    severity: z.enum(SEVERITIES as [string, ...string[]]),
    description: z.string().optional(),
    match: matchSchema,
    /**
     * Filled in per finding. Placeholders: {subject} {path} {changes} {changedArches} {matched} {basis}, and for
     * c-code {effect} (what the hunk changes and for whom, one sentence).
     */
    message: z.string().min(5),
    /**
     * Kconfig kinds: the message when the patch moves the entry's Kconfig value but no architecture's effective
     * default (a rename, a change only where the entry has no effect, a change of visibility). Such a finding is at
     * most info. Without it, those patches get no finding.
     */
    messageNoEffect: z.string().min(5).optional(),
    upstream: upstreamSchema.optional(),
    /** Run the commit-message checks on patches this rule flags. */
    claims: z.boolean().default(true),
    arguments: z.array(argumentSchema).default([]),
    discussion: discussionSchema.optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const m = rule.match;
    if (m.kind === "kconfig-choice-default" && !m.choice && !m.members?.length)
      ctx.addIssue({
        code: "custom",
        path: ["match", "members"],
        message: "kind kconfig-choice-default needs members (or choice prompts)",
      });
    if (
      (m.kind === "c-code" || m.kind === "config-setting") &&
      !m.patterns?.length &&
      !m.symbols?.length &&
      !m.functions?.length &&
      !m.tables?.length
    )
      ctx.addIssue({ code: "custom", path: ["match", "patterns"], message: `required for kind ${m.kind}` });
    const ids = new Set<string>();
    rule.arguments.forEach((a, i) => {
      if (ids.has(a.id))
        ctx.addIssue({
          code: "custom",
          path: ["arguments", i, "id"],
          message: `duplicate argument id ${a.id}`,
        });
      ids.add(a.id);
    });
    const alternativeIds = new Set<string>();
    rule.discussion?.alternatives?.forEach((a, i) => {
      if (alternativeIds.has(a.id))
        ctx.addIssue({
          code: "custom",
          path: ["discussion", "alternatives", i, "id"],
          message: `duplicate alternative id ${a.id}`,
        });
      alternativeIds.add(a.id);
    });
  });

export type RuleFile = z.infer<typeof ruleSchema>;
export type CueSet = z.infer<typeof cueSetSchema>;
export type RuleDiscussion = z.infer<typeof discussionSchema>;
