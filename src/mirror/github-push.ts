// A Probot app for public-inbox mirrors on GitHub: on a push to a configured mirror repository, read the "m"
// blob (one mail) of every pushed commit through the API and hand the messages to the journal. The webhook is
// answered only after the journal has committed them, so GitHub's redelivery covers a crash before that.

import type { Context, Probot } from "probot";
import { identifyMessage } from "./intake-payload.js";
import type { EnqueueResult, IncomingMessage } from "./journal.js";

export interface MirrorPushOptions {
  /** "owner/name" of each mirror repository; pushes to any other repository are ignored. */
  repositories: readonly string[];
  /** The branch the mirror writes to; default: the repository's default branch. */
  branch?: string;
  /** Journals the messages (all or none); MailPipeline.accept. */
  accept(messages: IncomingMessage[]): EnqueueResult[] | Promise<EnqueueResult[]>;
}

/** GitHub lists at most this many commits in a push payload; more must be read from the compare API. */
const PAYLOAD_COMMIT_LIMIT = 2048;
const COMPARE_PAGE = 250;

type PushContext = Context<"push">;

export function mirrorPushApp(app: Probot, opts: MirrorPushOptions): void {
  const mirrors = new Set(opts.repositories.map((r) => r.toLowerCase()));
  app.on("push", async (context) => {
    const { repository, ref, deleted } = context.payload;
    if (!mirrors.has(repository.full_name.toLowerCase()) || deleted) return;
    const branch = opts.branch ?? repository.default_branch;
    if (ref !== `refs/heads/${branch}`) return;

    const messages: IncomingMessage[] = [];
    let skipped = 0;
    for (const sha of await pushedCommits(context)) {
      const raw = await messageBlob(context, sha);
      const message = raw && (await identifyMessage(raw).catch(() => undefined));
      if (!raw || !message) {
        skipped++;
        continue;
      }
      messages.push({ messageId: message.messageId, raw, origin: `mirror:${repository.full_name}@${sha}` });
    }
    const results = messages.length > 0 ? await opts.accept(messages) : [];
    const queued = results.filter((r) => r.status === "queued").length;
    context.log.info(
      `${repository.full_name}: ${queued} message(s) queued, ${results.length - queued} duplicate(s), ` +
        `${skipped} commit(s) without a readable message`,
    );
  });
}

/** The pushed commits, oldest first. */
async function pushedCommits(context: PushContext): Promise<string[]> {
  const { commits, before, after } = context.payload;
  if (commits.length < PAYLOAD_COMMIT_LIMIT) return commits.map((c) => c.id);
  const shas: string[] = [];
  for (let page = 1; ; page++) {
    const { data } = await context.octokit.rest.repos.compareCommitsWithBasehead(
      context.repo({ basehead: `${before}...${after}`, per_page: COMPARE_PAGE, page }),
    );
    shas.push(...data.commits.map((c) => c.sha));
    if (data.commits.length < COMPARE_PAGE) return shas;
  }
}

/** The commit's "m" blob, or undefined when the commit has none (a "d" commit records a deletion). */
async function messageBlob(context: PushContext, sha: string): Promise<Buffer | undefined> {
  let data: unknown;
  try {
    ({ data } = await context.octokit.rest.repos.getContent(context.repo({ path: "m", ref: sha })));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
  const file = data as { type?: string; encoding?: string; content?: string; sha?: string };
  if (file.type !== "file" || !file.sha) return undefined;
  if (file.encoding === "base64" && file.content) return Buffer.from(file.content, "base64");
  // Files over 1 MB come without content; the blob API serves them up to 100 MB.
  const blob = await context.octokit.rest.git.getBlob(context.repo({ file_sha: file.sha }));
  return Buffer.from(blob.data.content, blob.data.encoding === "base64" ? "base64" : "utf8");
}
