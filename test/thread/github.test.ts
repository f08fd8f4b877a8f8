import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Probot, ProbotOctokit } from "probot";
import { SUMMARY_MARKER } from "../../src/github/markers.js";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";
import { createDiscussionApp, type DiscussionOutcome } from "../../src/thread/github.js";
import { DISCUSSION_END, DISCUSSION_START, discussionSectionOf } from "../../src/thread/section.js";

const API = "https://api.github.com";
const REPO_PATH = "/repos/kernel-fork/linux";
const PR = 7;
const rules = loadRules(DEFAULT_RULES_DIR);
const PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;
// The function form, so that Probot's own throttle settings do not win over ours.
const TestOctokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

const person = (login: string) => ({ login, type: "User" });
const BOT = { login: "iommu-review[bot]", type: "Bot" };
const SUMMARY = `${SUMMARY_MARKER}\n## iommu-review\n\nwarning: per-arch default changes, rule \`iommu-default-domain-choice\`\n`;

const pull = {
  number: PR,
  title: "iommu: Default to lazy on riscv",
  body: "Make riscv lazy like x86.",
  user: person("pat"),
  created_at: "2026-01-05T10:00:00Z",
  html_url: `https://github.com/kernel-fork/linux/pull/${PR}`,
};
const comment = (id: number, login: string, body: string, created_at: string) => ({
  id,
  body,
  user: person(login),
  created_at,
  html_url: `${pull.html_url}#issuecomment-${id}`,
});
const humanComments = [
  comment(
    101,
    "ada",
    "Keeping strict as the default is the safer path. Users can pass iommu.strict=0 at boot.",
    "2026-01-05T12:00:00Z",
  ),
  comment(
    102,
    "bo",
    "> Users can pass iommu.strict=0 at boot.\n\nAgreed, and I want no arch override at all.",
    "2026-01-05T13:00:00Z",
  ),
];
const reviewComments = [
  {
    id: 301,
    body: "Why does riscv need a default of its own?",
    user: person("cy"),
    created_at: "2026-01-05T14:00:00Z",
    html_url: `${pull.html_url}#discussion_r301`,
  },
];

const repository = { name: "linux", owner: { login: "kernel-fork" } };
const issueCommentEvent = (sender = person("ada"), pullRequest = true) => ({
  name: "issue_comment" as const,
  id: "delivery-1",
  payload: {
    action: "created",
    issue: { ...pull, ...(pullRequest && { pull_request: { url: `${API}${REPO_PATH}/pulls/${PR}` } }) },
    comment: humanComments[0],
    repository,
    sender,
    installation: { id: 1 },
  },
});

function probotWith(outcomes: DiscussionOutcome[]): Probot {
  const probot = new Probot({ appId: 123, privateKey: PRIVATE_KEY, Octokit: TestOctokit, logLevel: "fatal" });
  probot.load(createDiscussionApp({ rules, onOutcome: (o) => outcomes.push(o) }));
  return probot;
}

function listing(scope: nock.Scope, issueComments: unknown[], reviews: unknown[] = []): nock.Scope {
  return scope
    .post("/app/installations/1/access_tokens")
    .reply(200, { token: "test", permissions: { issues: "write", pull_requests: "write" } })
    .get(`${REPO_PATH}/issues/${PR}/comments`)
    .query({ per_page: 100 })
    .reply(200, issueComments)
    .get(`${REPO_PATH}/pulls/${PR}/reviews`)
    .query({ per_page: 100 })
    .reply(200, reviews)
    .get(`${REPO_PATH}/pulls/${PR}/comments`)
    .query({ per_page: 100 })
    .reply(200, reviewComments);
}

describe("discussion app", () => {
  beforeEach(() => nock.disableNetConnect());
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  test("a PR comment rewrites the section of the bot's summary comment in place", async () => {
    const outcomes: DiscussionOutcome[] = [];
    let patched: { body: string } | undefined;
    const scope = listing(
      nock(API),
      [comment(900, "x", SUMMARY, "2026-01-05T11:00:00Z"), ...humanComments].map((c) =>
        c.id === 900 ? { ...c, user: BOT } : c,
      ),
    )
      .patch(`${REPO_PATH}/issues/comments/900`, (body) => {
        patched = body;
        return true;
      })
      .reply(200, {});

    await probotWith(outcomes).receive(issueCommentEvent() as never);

    expect(scope.pendingMocks()).toEqual([]);
    expect(outcomes).toEqual([{ kind: "updated", target: "issue-comment", id: 900 }]);
    const body = patched!.body;
    expect(body.startsWith(SUMMARY)).toBe(true);
    expect(body.trimEnd().endsWith(DISCUSSION_END)).toBe(true);
    const section = discussionSectionOf(body)!;
    expect(section).toContain("### Discussion so far");
    expect(section).toMatch(
      /\*\*Security vs\. throughput\*\*\n- ada, 2026-01-05: .*known: `strict-stronger-guarantee`/,
    );
    expect(section).toMatch(/\*\*Per-arch divergence\*\*\n- bo, 2026-01-05: .*`no-arch-specific-defaults`/);
    expect(section).toContain("“Why does riscv need a default of its own?”");
    expect(section).toContain("known arguments of iommu-default-domain-choice");
    expect(section).toContain("`lazy-window`");
  });

  test("in review mode the summary review is updated; an up-to-date section is not written again", async () => {
    const outcomes: DiscussionOutcome[] = [];
    let written = "";
    const review = {
      id: 55,
      body: SUMMARY,
      user: BOT,
      submitted_at: "2026-01-05T11:00:00Z",
      html_url: pull.html_url,
    };
    const first = listing(nock(API), humanComments, [review])
      .put(`${REPO_PATH}/pulls/${PR}/reviews/55`, (body) => {
        written = body.body;
        return true;
      })
      .reply(200, {});
    const event = {
      name: "pull_request_review" as const,
      id: "delivery-2",
      payload: {
        action: "submitted",
        review: { ...review, user: person("ada") },
        pull_request: pull,
        repository,
        sender: person("ada"),
        installation: { id: 1 },
      },
    };
    await probotWith(outcomes).receive(event as never);
    expect(first.pendingMocks()).toEqual([]);
    expect(written).toContain(DISCUSSION_START);

    // Same conversation, section already there: nothing to write (an unexpected PUT would find no mock).
    const second = listing(nock(API), humanComments, [{ ...review, body: written }]);
    await probotWith(outcomes).receive(event as never);
    expect(second.pendingMocks()).toEqual([]);
    expect(outcomes).toEqual([
      { kind: "updated", target: "review", id: 55 },
      { kind: "unchanged", target: "review", id: 55 },
    ]);
  });

  test("without a bot summary nothing is written", async () => {
    const outcomes: DiscussionOutcome[] = [];
    const scope = listing(nock(API), humanComments);
    await probotWith(outcomes).receive(issueCommentEvent() as never);
    expect(scope.pendingMocks()).toEqual([]);
    expect(outcomes).toEqual([{ kind: "skipped", reason: "the bot has no summary on this pull request" }]);
  });

  test("events from bots (its own edits) and comments on plain issues make no API call", async () => {
    const outcomes: DiscussionOutcome[] = [];
    const probot = probotWith(outcomes);
    await probot.receive(issueCommentEvent(BOT) as never);
    await probot.receive(issueCommentEvent(person("ada"), false) as never);
    expect(outcomes.map((o) => o.kind === "skipped" && o.reason)).toEqual([
      "event sent by a bot",
      "comment on an issue, not a pull request",
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });
});
