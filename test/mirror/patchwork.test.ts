// Patchwork, mocked with nock (no real network): the reporter's state rules, and the events poller.

import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import nock from "nock";
import { Journal } from "../../src/mirror/journal.js";
import type { CheckPayload } from "../../src/mirror/patchwork-check.js";
import { PatchworkClient } from "../../src/mirror/patchwork-client.js";
import { PatchworkPoller } from "../../src/mirror/patchwork-poller.js";
import { PatchworkReporter } from "../../src/mirror/patchwork-reporter.js";
import { startHarness } from "./harness.js";
import { patchMail, readMaildir, signedPost, tempDir } from "./helpers.js";

const PW = "https://patchwork.example.org";
const client = () => new PatchworkClient({ url: PW, token: "t0ken" });

beforeEach(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterEach(() => {
  nock.cleanAll();
  nock.enableNetConnect();
});
// Leaves no interceptor behind for the next test file in this Jest worker.
afterAll(() => nock.restore());

const check = (over: Partial<CheckPayload> = {}): CheckPayload => ({
  patchId: 17,
  msgid: "p@example.org",
  state: "warning",
  description: "Per-architecture default changes (changes arm64)",
  targetUrl: "https://ci.example.org/p",
  ...over,
});

const existing = (state: string, target_url: string | null, date = "2026-04-14T10:00:00") => ({
  id: 1,
  date,
  state,
  target_url,
  context: "iommu-review",
  description: "earlier",
});

describe("PatchworkReporter", () => {
  test("posts a check with Token auth and context iommu-review", async () => {
    let posted: unknown;
    const scope = nock(PW)
      .get("/api/patches/17/checks/")
      .reply(200, [{ ...existing("fail", null), context: "checkpatch" }])
      .post("/api/patches/17/checks/", (body) => {
        posted = body;
        return true;
      })
      .matchHeader("authorization", "Token t0ken")
      .reply(201, { id: 2 });
    expect(await new PatchworkReporter(client()).report(check())).toBe("posted");
    expect(posted).toEqual({
      state: "warning",
      context: "iommu-review",
      description: "Per-architecture default changes (changes arm64)",
      target_url: "https://ci.example.org/p",
    });
    expect(scope.pendingMocks()).toEqual([]);
  });

  test("skips the post when Patchwork's newest check has the same state and URL", async () => {
    const scope = nock(PW)
      .get("/api/patches/17/checks/")
      .reply(200, [
        existing("fail", "https://old", "2026-04-13T00:00:00"),
        existing("warning", "https://ci.example.org/p"),
      ]);
    expect(await new PatchworkReporter(client()).report(check())).toBe("unchanged");
    expect(scope.pendingMocks()).toEqual([]);
  });

  test("posts when only the URL changed", async () => {
    const scope = nock(PW)
      .get("/api/patches/17/checks/")
      .reply(200, [existing("warning", "https://ci.example.org/old")])
      .post("/api/patches/17/checks/")
      .reply(201, {});
    expect(await new PatchworkReporter(client()).report(check())).toBe("posted");
    expect(scope.pendingMocks()).toEqual([]);
  });

  test.each(["success", "warning", "fail"])("never downgrades a conclusive %s to pending", async (state) => {
    const scope = nock(PW)
      .get("/api/patches/17/checks/")
      .reply(200, [existing(state, null)]);
    expect(await new PatchworkReporter(client()).report(check({ state: "pending" }))).toBe("not-downgraded");
    expect(scope.pendingMocks()).toEqual([]);
  });

  test("finds the patch by Message-Id in the project when the id is not known, retrying once on a 502", async () => {
    const scope = nock(PW)
      .get("/api/patches/")
      .query({ project: "linux-iommu", msgid: "p@example.org" })
      .reply(502, "bad gateway")
      .get("/api/patches/")
      .query({ project: "linux-iommu", msgid: "p@example.org" })
      .reply(200, [{ id: 99 }])
      .get("/api/patches/99/checks/")
      .reply(200, [])
      .post("/api/patches/99/checks/")
      .reply(201, {});
    const { patchId: _, ...withoutId } = check();
    expect(await new PatchworkReporter(client(), { project: "linux-iommu" }).report(withoutId)).toBe(
      "posted",
    );
    expect(scope.pendingMocks()).toEqual([]);
  });

  test("a patch Patchwork does not know yet is an error (the outbox retries later)", async () => {
    nock(PW).get("/api/patches/").query(true).reply(200, []);
    const { patchId: _, ...withoutId } = check();
    await expect(new PatchworkReporter(client()).report(withoutId)).rejects.toThrow(
      /no patch with Message-Id/,
    );
  });
});

describe("end to end with Patchwork configured", () => {
  test("a signed POST leads to a reply in the outbox and a check on Patchwork", async () => {
    let posted: { state?: string } = {};
    const scope = nock(PW)
      .get("/api/patches/")
      .query({ project: "linux-iommu", msgid: "e2e-1@example.org" })
      .reply(200, [{ id: 5 }])
      .get("/api/patches/5/checks/")
      .reply(200, [])
      .post("/api/patches/5/checks/", (body) => {
        posted = body;
        return true;
      })
      .reply(201, {});
    const h = await startHarness({ checks: new PatchworkReporter(client(), { project: "linux-iommu" }) });
    try {
      expect((await signedPost(h.url, patchMail({ messageId: "e2e-1@example.org" }))).status).toBe(202);
      await h.settled();
      expect(readMaildir(h.outbox)).toHaveLength(1);
      expect(posted.state).toBe("warning");
      expect(scope.pendingMocks()).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe("PatchworkPoller", () => {
  let dir: ReturnType<typeof tempDir>;
  let journal: Journal;
  beforeEach(() => {
    dir = tempDir();
    journal = new Journal(join(dir.path, "j.sqlite"));
  });
  afterEach(() => {
    journal.close();
    dir.remove();
  });

  const event = (id: number, date: string, patchId: number) => ({
    id,
    category: "patch-created",
    project: { id: 1, link_name: "linux-iommu" },
    date,
    actor: null,
    payload: {
      patch: { id: patchId, msgid: `<pw-${patchId}@example.org>`, mbox: `${PW}/patch/${patchId}/mbox/` },
    },
  });

  test("feeds new patches into the journal, oldest first, across pages, and keeps its cursor", async () => {
    const poller = new PatchworkPoller({
      client: client(),
      project: "linux-iommu",
      journal,
      now: () => Date.parse("2026-04-14T00:00:00Z"),
    });
    const page2 = `${PW}/api/events/?category=patch-created&project=linux-iommu&since=2026-04-14T00%3A00%3A00&order=date&page=2`;
    const scope = nock(PW)
      .get("/api/events/")
      .query({
        category: "patch-created",
        project: "linux-iommu",
        since: "2026-04-14T00:00:00",
        order: "date",
      })
      .reply(200, [event(12, "2026-04-14T09:30:00", 102)], { Link: `<${page2}>; rel="next"` })
      .get("/api/events/")
      .query({
        category: "patch-created",
        project: "linux-iommu",
        since: "2026-04-14T00:00:00",
        order: "date",
        page: "2",
      })
      .reply(200, [event(11, "2026-04-14T09:15:00", 101)])
      .get("/patch/101/mbox/")
      .reply(200, `From nobody Mon Sep 17 00:00:00 2001\n${patchMail({ messageId: "pw-101@example.org" })}`)
      .get("/patch/102/mbox/")
      .reply(200, patchMail({ messageId: "pw-102@example.org" }));

    expect(await poller.pollOnce()).toEqual({ events: 2, queued: 2, duplicates: 0, unreadable: 0 });
    expect(scope.pendingMocks()).toEqual([]);
    expect(
      journal.db.prepare("SELECT message_id, patchwork_id, origin FROM messages ORDER BY seq").all(),
    ).toEqual([
      { message_id: "pw-101@example.org", patchwork_id: 101, origin: "patchwork:101" },
      { message_id: "pw-102@example.org", patchwork_id: 102, origin: "patchwork:102" },
    ]);
    expect(journal.cursor(poller.cursorName)).toBe("2026-04-14T09:30:00");

    // The next round starts at the cursor (inclusive); the repeat is a duplicate, not a second message.
    const again = nock(PW)
      .get("/api/events/")
      .query({
        category: "patch-created",
        project: "linux-iommu",
        since: "2026-04-14T09:30:00",
        order: "date",
      })
      .reply(200, [event(12, "2026-04-14T09:30:00", 102)])
      .get("/patch/102/mbox/")
      .reply(200, patchMail({ messageId: "pw-102@example.org" }));
    expect(await poller.pollOnce()).toEqual({ events: 1, queued: 0, duplicates: 1, unreadable: 0 });
    expect(again.pendingMocks()).toEqual([]);
  });

  test("a failed mbox download leaves the cursor before that event", async () => {
    journal.setCursor(
      "patchwork-events:https://patchwork.example.org/api/:linux-iommu",
      "2026-04-14T00:00:00",
    );
    const poller = new PatchworkPoller({ client: client(), project: "linux-iommu", journal });
    nock(PW)
      .get("/api/events/")
      .query(true)
      .reply(200, [event(11, "2026-04-14T09:15:00", 101), event(12, "2026-04-14T09:30:00", 102)])
      .get("/patch/101/mbox/")
      .reply(200, patchMail({ messageId: "pw-101@example.org" }))
      .get("/patch/102/mbox/")
      .reply(404, "gone");
    await expect(poller.pollOnce()).rejects.toThrow(/404/);
    expect(journal.cursor(poller.cursorName)).toBe("2026-04-14T09:15:00");
  });
});
