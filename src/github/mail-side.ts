// The GitHub App's mail side, set up by environment variables: one mail pipeline fed by pushes to public-inbox
// mirror repositories and by signed POST /patches on the App's own server. With none of the variables set there is
// no mail side at all: no journal file, no handler.

import type { ApplicationFunction, ApplicationFunctionOptions, Probot } from "probot";
import {
  type AssembledPipeline,
  assemblePipeline,
  PipelineConfigError,
  SECRET_ENV,
  SMTP_ENV,
} from "../mirror/assemble.js";
import { mirrorPushApp } from "../mirror/github-push.js";
import { createIntakeHandler } from "../mirror/intake.js";
import type { Rule } from "../rules/load.js";

export const MAIL_ENV = {
  mirrors: "IOMMU_REVIEW_MIRRORS",
  branch: "IOMMU_REVIEW_MIRROR_BRANCH",
  db: "IOMMU_REVIEW_DB",
  outbox: "IOMMU_REVIEW_OUTBOX",
  policy: "IOMMU_REVIEW_POLICY",
  smtp: SMTP_ENV,
  secret: SECRET_ENV,
} as const;

export interface MailSideConfig {
  /** "owner/name" of each mirror repository whose pushes are read. */
  mirrors: string[];
  branch?: string;
  /** Signs POST /patches; without it the endpoint is not mounted. */
  secret?: string;
  db?: string;
  outbox?: string;
  policy?: string;
  smtp?: string;
}

const REPOSITORY = /^[\w.-]+\/[\w.-]+$/;

/** The mail side's settings, or undefined when no variable asks for one. */
export function readMailSideConfig(env: NodeJS.ProcessEnv): MailSideConfig | undefined {
  const value = (key: keyof typeof MAIL_ENV) => env[MAIL_ENV[key]] || undefined;
  const given = (Object.keys(MAIL_ENV) as (keyof typeof MAIL_ENV)[]).filter((key) => value(key));
  if (given.length === 0) return undefined;

  const mirrors = (value("mirrors") ?? "").split(/[\s,]+/).filter(Boolean);
  const bad = mirrors.find((m) => !REPOSITORY.test(m));
  if (bad) throw new PipelineConfigError(`${MAIL_ENV.mirrors}: '${bad}' is not owner/name`);
  const branch = value("branch");
  if (branch && mirrors.length === 0) {
    throw new PipelineConfigError(`${MAIL_ENV.branch} is set but ${MAIL_ENV.mirrors} is not`);
  }
  const secret = value("secret");
  if (mirrors.length === 0 && !secret) {
    throw new PipelineConfigError(
      `${MAIL_ENV[given[0]!]} is set, but the mail pipeline has no source: ` +
        `set ${MAIL_ENV.mirrors} (mirror repositories) or ${MAIL_ENV.secret} (POST /patches)`,
    );
  }
  const config: MailSideConfig = { mirrors };
  for (const key of ["branch", "secret", "db", "outbox", "policy", "smtp"] as const) {
    const v = value(key);
    if (v) config[key] = v;
  }
  return config;
}

/** Builds the pipeline, mounts its sources on the App and its server, and starts it. */
export async function startMailSide(
  app: Probot,
  options: ApplicationFunctionOptions,
  config: MailSideConfig,
  rules: readonly Rule[],
): Promise<AssembledPipeline> {
  const log = app.log.child({ name: "mail" });
  const { db, outbox, policy, smtp } = config;
  const assembled = assemblePipeline({
    rules,
    db,
    outbox,
    policy,
    smtp,
    log: (line) => log.info(line),
    names: MAIL_ENV,
  });
  const { pipeline } = assembled;
  try {
    await pipeline.start();
  } catch (e) {
    await assembled.close();
    throw e;
  }
  const sources: string[] = [];
  if (config.mirrors.length > 0) {
    mirrorPushApp(app, {
      repositories: config.mirrors,
      ...(config.branch && { branch: config.branch }),
      accept: pipeline.accept,
    });
    sources.push(`pushes to ${config.mirrors.join(", ")}`);
  }
  if (config.secret) {
    options.addHandler(createIntakeHandler({ secret: config.secret, accept: pipeline.accept }));
    sources.push("POST /patches");
  }
  log.info(
    `mail pipeline: ${sources.join(" and ")}; journal ${assembled.journal.path}; ` +
      `delivery: ${assembled.mail.description}`,
  );
  return assembled;
}

/** For `npm start`: a configuration error ends the process with one line on stderr, not a stack trace. */
export function exitOnConfigError(
  appFn: ApplicationFunction,
  exit: (message: string) => never = exitWithMessage,
): ApplicationFunction {
  return async (app, options) => {
    try {
      await appFn(app, options);
    } catch (e) {
      if (e instanceof PipelineConfigError) exit(e.message);
      throw e;
    }
  };
}

function exitWithMessage(message: string): never {
  process.stderr.write(`iommu-review: ${message}\n`);
  process.exit(2);
}
