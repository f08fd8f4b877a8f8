import { z } from "zod";
import { ARGUMENT_CATEGORIES, SEVERITIES } from "../model.js";

// The shape of a rule file (rules/<id>/rule.yaml). Unknown keys are errors, so a typo names its field.

const argumentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case words joined by '-'"),
    category: z.enum(ARGUMENT_CATEGORIES as [string, ...string[]]),
    text: z.string().min(10),
    who: z.string().optional(),
    where: z.string().optional(),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/, "YYYY-MM-DD")
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
    /** kconfig-default: the config symbols watched; config-setting: the CONFIG_ symbols (without CONFIG_). */
    symbols: z.array(z.string().regex(/^[A-Za-z0-9_]+$/)).optional(),
    /** kconfig-default: skip these symbols / choices (the generic rule leaves the IOMMU choice to its own rule). */
    excludeSymbols: z.array(z.string()).optional(),
    excludeChoices: z.array(z.string()).optional(),
    /** kconfig-default: only changes whose default conditions mention an architecture symbol. */
    archConditional: z.boolean().optional(),
    /** config-setting and c-code: regular expressions tested against added and removed lines. */
    patterns: z.array(regexString).optional(),
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
     * Filled in per finding. Placeholders: {subject} {path} {changes} {changedArches} {matched} {basis}.
     */
    message: z.string().min(5),
    upstream: upstreamSchema.optional(),
    /** Run the commit-message checks on patches this rule flags. */
    claims: z.boolean().default(true),
    arguments: z.array(argumentSchema).default([]),
  })
  .strict()
  .superRefine((rule, ctx) => {
    const m = rule.match;
    if (m.kind === "kconfig-choice-default" && !m.choice)
      ctx.addIssue({
        code: "custom",
        path: ["match", "choice"],
        message: "required for kind kconfig-choice-default",
      });
    if ((m.kind === "c-code" || m.kind === "config-setting") && !m.patterns?.length && !m.symbols?.length)
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
  });

export type RuleFile = z.infer<typeof ruleSchema>;
