// The mail policy file (YAML): who the bot is, and per mailing list whom it answers, whom it copies, how long it
// waits and how much it may say. In the spirit of Sashiko's email_policy.toml. Every field is checked; an error
// names the file and the field.

import { readFileSync } from "node:fs";
import yaml from "js-yaml";
import { addressParser } from "postal-mime";
import { z } from "zod";
import { type Person, SEVERITIES, type Severity } from "../model.js";
import { FileFieldError } from "../parse/errors.js";
import { globToRegExp } from "../rules/glob.js";
import type { DigestMailPolicy } from "../thread/mail-front.js";

export type ReplyTo = "author" | "all";

/** The settings that apply to one message, after the list entry is laid over the defaults. */
export interface ListPolicy {
  /** The list address that matched, or "default". Replies per hour are counted per key. */
  key: string;
  /** "author": To the author only. "all": To the author, Cc the original To and Cc. */
  replyTo: ReplyTo;
  /** With reply_to all: keep people from the original To/Cc (false: keep only mailing lists). */
  ccIndividuals: boolean;
  /** Always Cc these addresses. */
  cc: string[];
  /** Never answer a message sent to this list. */
  muted: boolean;
  /** Answer patches without findings too (default: only patches with findings get a reply). */
  replyWhenClean: boolean;
  /** A patch whose findings are all below this severity gets no reply (its findings are only journalled). */
  replyMinSeverity: Severity;
  /** For a series: one roll-up reply once every patch is reviewed, instead of a reply per triggering patch. */
  seriesRollup: boolean;
  /** Hold each reply this long before it may be sent, so humans can look first. */
  embargoMinutes: number;
  /** At most this many bot mails in one thread. */
  perThread: number;
  /** At most this many bot mails per hour for this list. */
  perHour: number;
  /** Mailing the thread's discussion digest (docs/thread-digest.md) as a reply to the reviewed patch. */
  digest: DigestMailPolicy;
}

export interface MailPolicy {
  /** Where the policy came from: a file name, or "built-in defaults". */
  file: string;
  /** The bot's identity, the From of every reply. */
  from: Person;
  /** Whether `from` was set in the file (a real From is required before mail leaves the machine). */
  fromConfigured: boolean;
  defaults: ListPolicy;
  lists: ListPolicy[];
  /** Globs of addresses never mailed (removed from To and Cc; a muted author gets no reply). */
  mutedAddresses: string[];
  /** Globs of addresses that are mailing lists (besides the configured lists), for cc_individuals: false. */
  listPatterns: string[];
}

export class PolicyError extends FileFieldError {
  override name = "PolicyError";
}

const address = z
  .string()
  .trim()
  .regex(/^[^\s@<>]+@[^\s@<>]+$/, "expected a bare mail address such as iommu@lists.linux.dev");
const addressGlob = z
  .string()
  .trim()
  .regex(/^[^\s<>]+$/, "expected an address or a glob such as *@vger.kernel.org");
const count = z.number().int().min(0);

const rateLimit = z.object({ per_thread: count, per_hour: count }).partial().strict();
const digest = z
  .object({ enabled: z.boolean(), interval_minutes: z.number().int().min(1) })
  .partial()
  .strict();

const settings = z
  .object({
    reply_to: z.enum(["author", "all"]),
    cc_individuals: z.boolean(),
    cc: z.array(address),
    muted: z.boolean(),
    reply_when_clean: z.boolean(),
    reply_min_severity: z.enum(SEVERITIES),
    series_rollup: z.boolean(),
    embargo_minutes: count.max(7 * 24 * 60),
    rate_limit: rateLimit,
    digest,
  })
  .partial();

const policyFile = z
  .object({
    version: z.literal(1).optional(),
    from: z.string().trim().min(1).optional(),
    defaults: settings.strict().optional(),
    lists: z.array(settings.extend({ address }).strict()).optional(),
    muted_addresses: z.array(addressGlob).optional(),
    list_patterns: z.array(addressGlob).optional(),
  })
  .strict();

type Settings = z.infer<typeof settings>;

const BUILT_IN: Omit<ListPolicy, "key"> = {
  replyTo: "author",
  ccIndividuals: true,
  cc: [],
  muted: false,
  replyWhenClean: false,
  replyMinSeverity: "warning",
  seriesRollup: false,
  embargoMinutes: 0,
  perThread: 1,
  perHour: 20,
  digest: { enabled: false, intervalMinutes: 24 * 60 },
};
const BUILT_IN_FROM: Person = { name: "iommu-review bot", email: "iommu-review@localhost" };
const BUILT_IN_LIST_PATTERNS = ["*@vger.kernel.org", "*@lists.*", "*@*.lists.*"];

export function defaultPolicy(): MailPolicy {
  return {
    file: "built-in defaults",
    from: BUILT_IN_FROM,
    fromConfigured: false,
    defaults: { key: "default", ...BUILT_IN },
    lists: [],
    mutedAddresses: [],
    listPatterns: BUILT_IN_LIST_PATTERNS,
  };
}

export function loadPolicy(file: string): MailPolicy {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new PolicyError(file, undefined, `cannot read policy file (${(e as NodeJS.ErrnoException).code})`);
  }
  return parsePolicy(text, file);
}

export function parsePolicy(text: string, file: string): MailPolicy {
  let data: unknown;
  try {
    data = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (e) {
    const mark = (e as { mark?: { line: number } }).mark;
    const reason = (e as { reason?: string }).reason ?? (e as Error).message;
    throw new PolicyError(file, mark ? `line ${mark.line + 1}` : undefined, `invalid YAML: ${reason}`);
  }
  const parsed = policyFile.safeParse(data ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new PolicyError(file, fieldName(issue.path, data) || undefined, issue.message);
  }
  const p = parsed.data;
  const defaults: ListPolicy = { key: "default", ...merge(BUILT_IN, p.defaults ?? {}) };
  const lists = (p.lists ?? []).map((entry) => ({
    key: entry.address.toLowerCase(),
    ...merge(defaults, entry),
  }));
  const seen = new Set<string>();
  lists.forEach((list, i) => {
    if (seen.has(list.key)) throw new PolicyError(file, `lists[${i}].address`, `duplicate list ${list.key}`);
    seen.add(list.key);
  });
  return {
    file,
    from: p.from !== undefined ? parseFrom(p.from, file) : BUILT_IN_FROM,
    fromConfigured: p.from !== undefined,
    defaults,
    lists,
    mutedAddresses: p.muted_addresses ?? [],
    listPatterns: p.list_patterns ?? BUILT_IN_LIST_PATTERNS,
  };
}

function merge(base: Omit<ListPolicy, "key">, over: Settings): Omit<ListPolicy, "key"> {
  return {
    replyTo: over.reply_to ?? base.replyTo,
    ccIndividuals: over.cc_individuals ?? base.ccIndividuals,
    cc: over.cc ?? base.cc,
    muted: over.muted ?? base.muted,
    replyWhenClean: over.reply_when_clean ?? base.replyWhenClean,
    replyMinSeverity: over.reply_min_severity ?? base.replyMinSeverity,
    seriesRollup: over.series_rollup ?? base.seriesRollup,
    embargoMinutes: over.embargo_minutes ?? base.embargoMinutes,
    perThread: over.rate_limit?.per_thread ?? base.perThread,
    perHour: over.rate_limit?.per_hour ?? base.perHour,
    digest: {
      enabled: over.digest?.enabled ?? base.digest.enabled,
      intervalMinutes: over.digest?.interval_minutes ?? base.digest.intervalMinutes,
    },
  };
}

function parseFrom(value: string, file: string): Person {
  const parsed = addressParser(value)[0];
  if (!parsed?.address || !/^[^\s@]+@[^\s@]+$/.test(parsed.address)) {
    throw new PolicyError(
      file,
      "from",
      'expected "Name <address>", e.g. "iommu-review bot <bot@example.org>"',
    );
  }
  return { name: parsed.name, email: parsed.address };
}

/** "lists[2] (linux-media@vger.kernel.org).reply_to" for a path into the lists, else the dotted path. */
function fieldName(path: readonly PropertyKey[], data: unknown): string {
  if (path[0] === "lists" && typeof path[1] === "number") {
    const entry = (data as { lists?: { address?: unknown }[] }).lists?.[path[1]];
    const label = typeof entry?.address === "string" ? ` (${entry.address})` : "";
    const rest = path.slice(2).map(String);
    return [`lists[${path[1]}]${label}`, ...rest].join(".");
  }
  return path.map(String).join(".");
}

/**
 * The settings for a message sent to `recipients`: a muted list wins (the list asked not to be mailed), else the
 * first list in file order that the message went to, else the defaults.
 */
export function policyFor(policy: MailPolicy, recipients: readonly Person[]): ListPolicy {
  const addresses = new Set(recipients.map((r) => r.email.toLowerCase()));
  const matching = policy.lists.filter((list) => addresses.has(list.key));
  return matching.find((list) => list.muted) ?? matching[0] ?? policy.defaults;
}

export function isMutedAddress(policy: MailPolicy, email: string): boolean {
  return matchesAnyAddress(email, policy.mutedAddresses);
}

export function isListAddress(policy: MailPolicy, email: string): boolean {
  const lower = email.toLowerCase();
  return policy.lists.some((list) => list.key === lower) || matchesAnyAddress(lower, policy.listPatterns);
}

function matchesAnyAddress(email: string, globs: readonly string[]): boolean {
  const lower = email.toLowerCase();
  return globs.some((glob) => globToRegExp(glob.toLowerCase()).test(lower));
}
