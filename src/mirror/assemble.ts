// One mail pipeline from a few settings, for both fronts that run it: `iommu-review serve` (flags) and the GitHub
// App's mail side (environment variables). Safe by default: replies go to a Maildir, SMTP only when a URL is given
// and the policy names the bot's real From.

import { DryRunTransport } from "../deliver/dry-run.js";
import { MaildirTransport } from "../deliver/maildir.js";
import { defaultPolicy, loadPolicy, type MailPolicy, PolicyError } from "../deliver/policy.js";
import { SmtpTransport } from "../deliver/smtp.js";
import type { MailTransport } from "../deliver/transport.js";
import type { Rule } from "../rules/load.js";
import { Journal } from "./journal.js";
import type { PipelineMetrics } from "./metrics.js";
import type { CheckSink } from "./outbox-dispatcher.js";
import { MailPipeline } from "./pipeline.js";

export const SECRET_ENV = "IOMMU_REVIEW_WEBHOOK_SECRET";
export const SMTP_ENV = "IOMMU_REVIEW_SMTP_URL";
export const DEFAULT_DB = "iommu-review.sqlite";
export const DEFAULT_OUTBOX = "outbox";

/** A setting the pipeline cannot be built with; the message names the flag or variable and fits on one line. */
export class PipelineConfigError extends Error {
  override name = "PipelineConfigError";
}

type Setting = "db" | "outbox" | "policy" | "smtp";

export interface AssembleOptions {
  rules: readonly Rule[];
  /** Default: DEFAULT_DB. */
  db?: string;
  /** Default: DEFAULT_OUTBOX. */
  outbox?: string;
  /** Policy file; the built-in defaults without it. */
  policy?: string;
  smtp?: string;
  /** Print every reply here instead of writing or sending it. */
  dryRun?: NodeJS.WritableStream;
  checks?: CheckSink;
  /** target_url of Patchwork checks; {msgid} is replaced by the patch's Message-Id. */
  checkTargetUrl?: string;
  log: (line: string) => void;
  metrics?: PipelineMetrics;
  /** How the front calls each setting in its errors: "--db", or "IOMMU_REVIEW_DB". */
  names: Record<Setting, string>;
}

export interface AssembledPipeline {
  pipeline: MailPipeline;
  journal: Journal;
  mail: MailTransport;
  /** Stops the pipeline's loops and closes the journal. */
  close(): Promise<void>;
}

export function assemblePipeline(o: AssembleOptions): AssembledPipeline {
  const policy = readPolicy(o);
  if (o.smtp && !o.dryRun && !policy.fromConfigured) {
    throw new PipelineConfigError(
      `${o.names.smtp} needs a policy file with from: set to the bot's real address (${o.names.policy})`,
    );
  }
  const mail = transport(o);
  const db = o.db ?? DEFAULT_DB;
  let journal: Journal;
  try {
    journal = new Journal(db);
  } catch (e) {
    throw new PipelineConfigError(`${o.names.db} ${db}: ${(e as Error).message}`);
  }
  const targetUrl = o.checkTargetUrl;
  const pipeline = new MailPipeline({
    journal,
    rules: o.rules,
    policy,
    mail,
    ...(o.checks && { checks: o.checks }),
    ...(targetUrl && {
      checkTargetUrl: (msgid: string) => targetUrl.replace("{msgid}", encodeURIComponent(msgid)),
    }),
    log: o.log,
    ...(o.metrics && { metrics: o.metrics }),
  });
  return {
    pipeline,
    journal,
    mail,
    async close() {
      await pipeline.stop();
      journal.close();
    },
  };
}

function readPolicy(o: AssembleOptions): MailPolicy {
  if (!o.policy) return defaultPolicy();
  try {
    return loadPolicy(o.policy);
  } catch (e) {
    if (e instanceof PolicyError) throw new PipelineConfigError(`${o.names.policy} ${e.message}`);
    throw e;
  }
}

function transport(o: AssembleOptions): MailTransport {
  if (o.dryRun) return new DryRunTransport(o.dryRun);
  if (o.smtp) {
    try {
      return new SmtpTransport(o.smtp);
    } catch (e) {
      // Not the URL itself: it may hold a password.
      throw new PipelineConfigError(`${o.names.smtp}: ${(e as Error).message}`);
    }
  }
  const outbox = o.outbox ?? DEFAULT_OUTBOX;
  try {
    return new MaildirTransport(outbox);
  } catch (e) {
    throw new PipelineConfigError(`${o.names.outbox} ${outbox}: ${(e as Error).message}`);
  }
}
