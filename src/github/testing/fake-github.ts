// A small in-memory GitHub REST API on loopback, for the end-to-end test and the benchmark. Probot reaches it
// through GHE_HOST/GHE_PROTOCOL (base URL http://127.0.0.1:<port>/api/v3). It implements only what the app
// calls, keeps what the app posts, and rejects review comments GitHub itself would reject (lines off the diff).

import { type KeyObject, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { applyHunks } from "../../kconfig/apply.js";
import { parseHunkOnly, parseUnifiedDiff } from "../../parse/diff.js";

export interface FakeUser {
  login: string;
  type: "Bot" | "User";
}

export const BOT: FakeUser = { login: "iommu-review[bot]", type: "Bot" };
export const HUMAN: FakeUser = { login: "maintainer", type: "User" };

export interface FakeFile {
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  previous_filename?: string;
  patch?: string;
  additions: number;
  deletions: number;
  changes: number;
}

export interface FakePull {
  number: number;
  baseSha: string;
  headSha: string;
  files: FakeFile[];
  commitMessages: string[];
  /** The application/vnd.github.diff text; served for files whose patch is missing. */
  diff?: string;
}

export interface FakeReview {
  id: number;
  pull: number;
  user: FakeUser;
  body: string;
  commit_id: string;
  state: "COMMENTED";
}

export interface FakeReviewComment {
  id: number;
  pull: number;
  pull_request_review_id: number | null;
  user: FakeUser;
  body: string;
  path: string;
  line: number;
  side: "LEFT" | "RIGHT";
  commit_id: string;
  in_reply_to_id?: number;
}

export interface FakeIssueComment {
  id: number;
  pull: number;
  user: FakeUser;
  body: string;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  external_id: string | null;
  details_url?: string;
  output: { title?: string; summary?: string; annotations: unknown[] };
}

export interface RecordedRequest {
  method: string;
  /** Path without the /api/v3 prefix and without the query. */
  path: string;
  query: URLSearchParams;
  authorization?: string;
  body?: unknown;
}

/** A pull request's files and head contents from a unified diff (a format-patch mail works too) and base texts. */
export function pullFilesFromDiff(
  diffText: string,
  baseContents: Record<string, string>,
): { files: FakeFile[]; headContents: Record<string, string> } {
  const text = diffText.replace(/\r\n/g, "\n");
  const sections = text.split(/^(?=diff --git )/m).filter((s) => s.startsWith("diff --git "));
  const parsed = parseUnifiedDiff(text);
  const files: FakeFile[] = [];
  const headContents: Record<string, string> = {};
  parsed.forEach((diff, i) => {
    const section = sections[i] ?? "";
    const at = section.search(/^@@ /m);
    // Drop format-patch's "-- \n2.47.3" signature after the last hunk.
    const patch =
      at < 0
        ? undefined
        : section
            .slice(at)
            .replace(/\n-- \n[\s\S]*$/, "\n")
            .replace(/\n$/, "");
    const lines = diff.hunks.flatMap((h) => h.lines);
    const additions = lines.filter((l) => l.kind === "add").length;
    const deletions = lines.filter((l) => l.kind === "del").length;
    const status =
      diff.status === "added"
        ? "added"
        : diff.status === "deleted"
          ? "removed"
          : diff.status === "renamed"
            ? "renamed"
            : "modified";
    files.push({
      filename: diff.path,
      status,
      ...(status === "renamed" && diff.oldPath ? { previous_filename: diff.oldPath } : {}),
      ...(patch !== undefined ? { patch } : {}),
      additions,
      deletions,
      changes: additions + deletions,
    });
    if (diff.newPath) {
      const base = diff.oldPath ? baseContents[diff.oldPath] : "";
      const head = base === undefined ? undefined : applyHunks(base, diff.hunks);
      if (head !== undefined) headContents[diff.newPath] = head;
    }
  });
  return { files, headContents };
}

function anchorableLines(file: FakeFile, side: "LEFT" | "RIGHT"): Set<number> {
  const lines = new Set<number>();
  if (file.patch === undefined) return lines;
  for (const h of parseHunkOnly(file.filename, file.patch).hunks)
    for (const l of h.lines) {
      if (side === "RIGHT" && l.kind !== "del" && l.newLine !== undefined) lines.add(l.newLine);
      if (side === "LEFT" && l.kind !== "add" && l.oldLine !== undefined) lines.add(l.oldLine);
    }
  return lines;
}

interface Request {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  body: Record<string, unknown>;
  /** The route pattern's groups. */
  params: string[];
}

interface Route {
  method: string;
  /** Matched against the path after /repos/<owner>/<repo> (or the whole path for app routes). */
  pattern: RegExp;
  handle(request: Request): void;
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly pulls = new Map<number, FakePull>();
  /** `${sha}:${path}` → text. */
  readonly contents = new Map<string, string>();
  /** The repository's .github/iommu-review.yml on the default branch, if any. */
  config: string | undefined;
  readonly reviews: FakeReview[] = [];
  readonly reviewComments: FakeReviewComment[] = [];
  readonly issueComments: FakeIssueComment[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly requests: RecordedRequest[] = [];
  private nextId = 1000;
  private server: Server | undefined;
  /** The App GET /app authenticates: its id and public key. Without it, GET /app is not served. */
  app: { id: number; publicKey: KeyObject } | undefined;

  constructor(owner = "kernel-fork", repo = "linux") {
    this.owner = owner;
    this.repo = repo;
  }

  setPull(pull: FakePull): void {
    this.pulls.set(pull.number, pull);
  }

  setFile(sha: string, path: string, text: string): void {
    this.contents.set(`${sha}:${path}`, text);
  }

  /** A person answers one of the bot's inline comments. */
  reply(commentId: number, body: string, user: FakeUser = HUMAN): FakeReviewComment {
    const parent = this.reviewComments.find((c) => c.id === commentId);
    if (!parent) throw new Error(`no review comment ${commentId}`);
    const reply = {
      ...parent,
      id: this.nextId++,
      pull_request_review_id: null,
      user,
      body,
      in_reply_to_id: commentId,
    };
    this.reviewComments.push(reply);
    return reply;
  }

  /** Requests that change something (everything but GET). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/access_tokens"));
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  async start(): Promise<{ host: string; baseUrl: string }> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => this.send(res, 500, { message: String(err) }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return { host: `127.0.0.1:${port}`, baseUrl: `http://127.0.0.1:${port}/api/v3` };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    const type = typeof body === "string" ? "text/plain; charset=utf-8" : "application/json; charset=utf-8";
    res.writeHead(status, { "content-type": type, ...headers }).end(status === 204 ? undefined : text);
  }

  private page<T>({ req, res, url }: Request, items: T[]): void {
    const perPage = Number(url.searchParams.get("per_page") ?? 30);
    const page = Number(url.searchParams.get("page") ?? 1);
    const headers: Record<string, string> = {};
    if (page * perPage < items.length) {
      const next = new URL(url.href);
      next.searchParams.set("page", String(page + 1));
      headers.link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`;
    }
    this.send(res, 200, items.slice((page - 1) * perPage, page * perPage), headers);
  }

  private pull(n: string | undefined): FakePull {
    const pull = this.pulls.get(Number(n));
    if (!pull) throw new HttpFailure(404, "Not Found");
    return pull;
  }

  private async readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    return text ? JSON.parse(text) : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const path = url.pathname.replace(/^\/api\/v3/, "");
    const method = req.method ?? "GET";
    const body = method === "GET" ? undefined : await this.readBody(req);
    this.requests.push({
      method,
      path,
      query: url.searchParams,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    const request: Request = { req, res, url, body: (body ?? {}) as Record<string, unknown>, params: [] };
    try {
      const repoPrefix = `/repos/${this.owner}/${this.repo}`;
      const inRepo = path.startsWith(`${repoPrefix}/`);
      // Outside this repository (e.g. the org's .github repo that Probot's config falls back to): not found.
      const route = (inRepo ? this.routes : this.appRoutes).find(
        (r) => r.method === method && r.pattern.test(inRepo ? path.slice(repoPrefix.length) : path),
      );
      if (!route) throw new HttpFailure(404, `Not Found (fake GitHub: ${method} ${path})`);
      request.params = route.pattern.exec(inRepo ? path.slice(repoPrefix.length) : path)!.slice(1);
      route.handle(request);
    } catch (err) {
      if (err instanceof HttpFailure) this.send(res, err.status, { message: err.message });
      else throw err;
    }
  }

  private readonly appRoutes: Route[] = [
    {
      method: "GET",
      pattern: /^\/app$/,
      handle: ({ req, res }) => {
        const app = this.app;
        if (!app) throw new HttpFailure(404, "Not Found (fake GitHub: no app configured)");
        const jwt = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "")?.[1];
        if (!jwt || !jwtSignedBy(jwt, app.id, app.publicKey)) {
          throw new HttpFailure(401, "A JSON web token could not be decoded");
        }
        this.send(res, 200, { id: app.id, slug: "iommu-review", name: "iommu-review" });
      },
    },
    {
      method: "POST",
      pattern: /^\/app\/installations\/\d+\/access_tokens$/,
      handle: ({ res }) => {
        const expires = new Date(Date.now() + 3600_000).toISOString();
        this.send(res, 201, {
          token: "ghs_fake",
          expires_at: expires,
          permissions: {},
          repository_selection: "all",
        });
      },
    },
  ];

  private readonly routes: Route[] = [
    {
      method: "GET",
      pattern: /^\/pulls\/(\d+)\/files$/,
      handle: (r) => this.page(r, this.pull(r.params[0]).files),
    },
    {
      method: "GET",
      pattern: /^\/pulls\/(\d+)$/,
      handle: ({ req, res, params }) => {
        const pull = this.pull(params[0]);
        if (!String(req.headers.accept).includes("diff")) this.send(res, 200, { number: pull.number });
        else if (pull.diff === undefined)
          throw new HttpFailure(406, "Sorry, the diff exceeded the maximum number of lines");
        else this.send(res, 200, pull.diff);
      },
    },
    {
      method: "GET",
      pattern: /^\/pulls\/(\d+)\/commits$/,
      handle: (r) => {
        const pull = this.pull(r.params[0]);
        this.page(
          r,
          pull.commitMessages.map((message, i) => ({ sha: `${pull.headSha}-${i}`, commit: { message } })),
        );
      },
    },
    {
      method: "GET",
      pattern: /^\/contents\/(.+)$/,
      handle: ({ res, url, params }) => {
        const file = decodeURIComponent(params[0]!);
        const ref = url.searchParams.get("ref");
        const text =
          file === ".github/iommu-review.yml" && !ref ? this.config : this.contents.get(`${ref}:${file}`);
        if (text === undefined) throw new HttpFailure(404, "Not Found");
        this.send(res, 200, text);
      },
    },
    {
      method: "GET",
      pattern: /^\/pulls\/(\d+)\/reviews$/,
      handle: (r) => {
        const pull = this.pull(r.params[0]);
        this.page(
          r,
          this.reviews.filter((x) => x.pull === pull.number),
        );
      },
    },
    {
      method: "POST",
      pattern: /^\/pulls\/(\d+)\/reviews$/,
      handle: ({ res, params, body }) => this.send(res, 200, this.createReview(this.pull(params[0]), body)),
    },
    {
      method: "PUT",
      pattern: /^\/pulls\/(\d+)\/reviews\/(\d+)$/,
      handle: ({ res, params, body }) => {
        const review = this.reviews.find((r) => r.id === Number(params[1]));
        if (!review) throw new HttpFailure(404, "Not Found");
        review.body = String(body.body);
        this.send(res, 200, review);
      },
    },
    {
      method: "GET",
      pattern: /^\/pulls\/(\d+)\/comments$/,
      handle: (r) => {
        const pull = this.pull(r.params[0]);
        this.page(
          r,
          this.reviewComments.filter((c) => c.pull === pull.number),
        );
      },
    },
    {
      method: "PATCH",
      pattern: /^\/pulls\/comments\/(\d+)$/,
      handle: ({ res, params, body }) => {
        const comment = this.reviewComments.find((c) => c.id === Number(params[0]));
        if (!comment) throw new HttpFailure(404, "Not Found");
        comment.body = String(body.body);
        this.send(res, 200, comment);
      },
    },
    {
      method: "DELETE",
      pattern: /^\/pulls\/comments\/(\d+)$/,
      handle: ({ res, params }) => {
        const index = this.reviewComments.findIndex((c) => c.id === Number(params[0]));
        if (index < 0) throw new HttpFailure(404, "Not Found");
        this.reviewComments.splice(index, 1);
        this.send(res, 204, "");
      },
    },
    {
      method: "GET",
      pattern: /^\/issues\/(\d+)\/comments$/,
      handle: (r) => {
        const pull = this.pull(r.params[0]);
        this.page(
          r,
          this.issueComments.filter((c) => c.pull === pull.number),
        );
      },
    },
    {
      method: "POST",
      pattern: /^\/issues\/(\d+)\/comments$/,
      handle: ({ res, params, body }) => {
        const comment = {
          id: this.nextId++,
          pull: this.pull(params[0]).number,
          user: BOT,
          body: String(body.body),
        };
        this.issueComments.push(comment);
        this.send(res, 201, comment);
      },
    },
    {
      method: "PATCH",
      pattern: /^\/issues\/comments\/(\d+)$/,
      handle: ({ res, params, body }) => {
        const comment = this.issueComments.find((c) => c.id === Number(params[0]));
        if (!comment) throw new HttpFailure(404, "Not Found");
        comment.body = String(body.body);
        this.send(res, 200, comment);
      },
    },
    {
      method: "GET",
      pattern: /^\/commits\/([^/]+)\/check-runs$/,
      handle: ({ res, url, params }) => {
        const name = url.searchParams.get("check_name");
        const runs = this.checkRuns.filter((r) => r.head_sha === params[0] && (!name || r.name === name));
        // filter=latest: the newest run of each name.
        const latest = [...new Map(runs.map((r) => [r.name, r])).values()].reverse();
        this.send(res, 200, { total_count: latest.length, check_runs: latest });
      },
    },
    {
      method: "POST",
      pattern: /^\/check-runs$/,
      handle: ({ res, body }) => {
        const output = (body.output ?? {}) as FakeCheckRun["output"];
        const run: FakeCheckRun = {
          id: this.nextId++,
          name: String(body.name),
          head_sha: String(body.head_sha),
          status: String(body.status ?? "queued"),
          ...(body.conclusion ? { conclusion: String(body.conclusion) } : {}),
          external_id: (body.external_id as string | undefined) ?? null,
          ...(body.details_url ? { details_url: String(body.details_url) } : {}),
          output: { ...output, annotations: output.annotations ?? [] },
        };
        this.checkRuns.push(run);
        this.send(res, 201, run);
      },
    },
    {
      method: "PATCH",
      pattern: /^\/check-runs\/(\d+)$/,
      handle: ({ res, params, body }) => {
        const run = this.checkRuns.find((r) => r.id === Number(params[0]));
        if (!run) throw new HttpFailure(404, "Not Found");
        const output = (body.output ?? {}) as FakeCheckRun["output"];
        // Like GitHub: annotations of an update are added to the run's, not put in their place.
        run.output = {
          ...run.output,
          ...output,
          annotations: [...run.output.annotations, ...(output.annotations ?? [])],
        };
        this.send(res, 200, run);
      },
    },
  ];

  private createReview(pull: FakePull, b: Record<string, unknown>): FakeReview {
    const comments = (b.comments ?? []) as {
      path: string;
      line: number;
      side?: "LEFT" | "RIGHT";
      body: string;
    }[];
    for (const c of comments) {
      const file = pull.files.find((f) => f.filename === c.path);
      if (!file || !anchorableLines(file, c.side ?? "RIGHT").has(c.line))
        throw new HttpFailure(
          422,
          "Unprocessable Entity: pull_request_review_thread.line must be part of the diff",
        );
    }
    const review: FakeReview = {
      id: this.nextId++,
      pull: pull.number,
      user: BOT,
      body: String(b.body ?? ""),
      commit_id: String(b.commit_id ?? pull.headSha),
      state: "COMMENTED",
    };
    this.reviews.push(review);
    for (const c of comments)
      this.reviewComments.push({
        id: this.nextId++,
        pull: pull.number,
        pull_request_review_id: review.id,
        user: BOT,
        body: c.body,
        path: c.path,
        line: c.line,
        side: c.side ?? "RIGHT",
        commit_id: review.commit_id,
      });
    return review;
  }
}

/** An RS256 JWT whose signature the key verifies and whose issuer is the App's id, as GitHub checks it. */
function jwtSignedBy(jwt: string, appId: number, publicKey: KeyObject): boolean {
  const [header, payload, signature] = jwt.split(".");
  if (!header || !payload || !signature) return false;
  const signed = verify(
    "RSA-SHA256",
    Buffer.from(`${header}.${payload}`),
    publicKey,
    Buffer.from(signature, "base64url"),
  );
  if (!signed) return false;
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown };
  return String(claims.iss) === String(appId);
}
