import { z } from "zod";
import type { Severity } from "../model.js";
import type { Rule } from "../rules/load.js";

/** Read by Probot from `.github/iommu-review.yml` of the repository (default branch), else of the org's `.github`. */
export const CONFIG_FILE = "iommu-review.yml";
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

/** reviewdog's limit: more inline comments per run than this make a PR page unusable and trip abuse limits. */
export const MAX_INLINE_COMMENTS = 30;

const severity = z.enum(["info", "warning", "error"]);
const blockingConclusion = z.enum(["action_required", "failure", "neutral"]);

export const configSchema = z.strictObject({
  rules: z
    .strictObject({
      /** Only these rules run (default: every rule). */
      enabled: z.array(z.string().min(1)).optional(),
      /** These rules never run. */
      disabled: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  /** Rule id → severity. */
  severity: z.record(z.string(), severity).default({}),
  /** Check-run conclusion for the highest severity found; no findings is success, info is neutral. */
  conclusion: z
    .strictObject({
      warning: blockingConclusion.default("action_required"),
      error: blockingConclusion.default("failure"),
    })
    .prefault({}),
  /** Path globs (`*` within a segment, `**` across) the bot leaves alone. */
  ignorePaths: z.array(z.string().min(1)).default([]),
  /** review: PR review with inline comments; comment: one summary comment; check-only: only the check run. */
  mode: z.enum(["review", "comment", "check-only"]).default("review"),
  /** Review draft pull requests too. */
  drafts: z.boolean().default(false),
  maxInlineComments: z.number().int().min(0).max(MAX_INLINE_COMMENTS).default(MAX_INLINE_COMMENTS),
});

export type RepoConfig = z.infer<typeof configSchema>;
export type Mode = RepoConfig["mode"];

export const DEFAULT_CONFIG: RepoConfig = configSchema.parse({});

export type ConfigResult = { ok: true; config: RepoConfig } | { ok: false; problems: string[] };

/** Validates a parsed config file against the schema and the loaded rule ids; `null` (no file) gives the defaults. */
export function parseConfig(data: unknown, rules: readonly Rule[]): ConfigResult {
  if (data === null || data === undefined) return { ok: true, config: DEFAULT_CONFIG };
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((i) =>
        i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message,
      ),
    };
  }
  const known = new Set(rules.map((r) => r.id));
  const unknown = (where: string, ids: readonly string[]) =>
    ids.filter((id) => !known.has(id)).map((id) => `${where}: unknown rule id "${id}"`);
  const problems = [
    ...unknown("rules.enabled", parsed.data.rules.enabled ?? []),
    ...unknown("rules.disabled", parsed.data.rules.disabled),
    ...unknown("severity", Object.keys(parsed.data.severity)),
  ];
  if (problems.length > 0)
    return { ok: false, problems: [...problems, `known rule ids: ${[...known].join(", ")}`] };
  return { ok: true, config: parsed.data };
}

/** The rules this repository runs, with its severity overrides applied. */
export function rulesFor(config: RepoConfig, rules: readonly Rule[]): Rule[] {
  const enabled = config.rules.enabled;
  return rules
    .filter((r) => (enabled ? enabled.includes(r.id) : true) && !config.rules.disabled.includes(r.id))
    .map((r) => {
      const override: Severity | undefined = config.severity[r.id];
      return override ? { ...r, severity: override } : r;
    });
}

const PLUGIN_PREFIX = "[@probot/octokit-plugin-config] ";

/**
 * Reads and validates the repository's config. A file that cannot be parsed is a config problem; an API
 * failure (it has an HTTP status) is not, and is rethrown for the caller's failure handling.
 */
export async function readRepoConfig(
  read: () => Promise<unknown>,
  rules: readonly Rule[],
): Promise<ConfigResult> {
  let data: unknown;
  try {
    data = await read();
  } catch (err) {
    if (typeof (err as { status?: unknown }).status === "number") throw err;
    const message = err instanceof Error ? err.message.replace(PLUGIN_PREFIX, "") : String(err);
    // The YAML parser's message continues with a quoted excerpt over several lines; its first line says it all.
    const cause =
      err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message.split("\n")[0]}` : "";
    return { ok: false, problems: [`${message}${cause}`] };
  }
  return parseConfig(data, rules);
}
