// What the intake refuses: unsigned, forged, oversized, unparseable and unsupported input gets a 4xx with a JSON
// error, and nothing of it reaches the journal.

import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { signBody } from "../../src/mirror/signature.js";
import { type Harness, startHarness } from "./harness.js";
import { patchMail, SECRET, signedPost } from "./helpers.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await h.close();
});

const stored = () => h.journal.db.prepare("SELECT count(*) FROM messages").pluck().get();
const mail = (id: string) => patchMail({ messageId: id });

async function post(headers: Record<string, string>, body: string | Buffer) {
  const res = await fetch(h.url, { method: "POST", headers, body });
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    json: (await res.json()) as { error: string },
  };
}

describe("authentication", () => {
  test("an unsigned request is refused", async () => {
    const res = await post({ "Content-Type": "message/rfc822" }, mail("unsigned@example.org"));
    expect(res).toEqual({
      status: 401,
      type: "application/json",
      json: { error: "missing X-Hub-Signature-256 header" },
    });
  });

  test("a signature made with another secret is refused", async () => {
    const res = await signedPost(h.url, mail("forged@example.org"), "message/rfc822", "not-the-secret");
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("signature does not match the body and the shared secret");
  });

  test("a valid signature of a different body is refused", async () => {
    const res = await post(
      { "Content-Type": "message/rfc822", "X-Hub-Signature-256": signBody(SECRET, "something else") },
      mail("swapped@example.org"),
    );
    expect(res.status).toBe(401);
  });

  test("a signature header of the wrong shape is refused", async () => {
    for (const header of ["sha1=abc", "sha256=zz", `sha256=${"0".repeat(63)}`]) {
      const res = await post(
        { "Content-Type": "message/rfc822", "X-Hub-Signature-256": header },
        mail("x@example.org"),
      );
      expect(res.status).toBe(401);
      expect(res.json.error).toMatch(/^malformed X-Hub-Signature-256/);
    }
  });
});

describe("size, format and content", () => {
  test("a body over the limit is refused with 413", async () => {
    const big = `${mail("big@example.org")}\n${"x".repeat(80 * 1024)}\n`;
    const res = await signedPost(h.url, big);
    expect(res.status).toBe(413);
    expect(res.json.error).toMatch(/over the limit of 65536 bytes/);
  });

  test("a chunked body over the limit (no Content-Length) is refused with 413", async () => {
    const { port } = new URL(h.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          path: "/patches",
          method: "POST",
          // Well-formed but wrong: a body is read only when the header could match it.
          headers: { "Content-Type": "message/rfc822", "X-Hub-Signature-256": signBody("other", "x") },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      for (let i = 0; i < 20; i++) req.write("y".repeat(8 * 1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  test("garbage is refused with 400 and a reason", async () => {
    for (const body of ["hello, this is not a mail\n", Buffer.from([0, 1, 2, 3, 255, 254, 10])]) {
      const res = await signedPost(h.url, body);
      expect(res.status).toBe(400);
      expect(res.json.error).toMatch(/not a mail message/);
    }
  });

  test("an empty body is refused", async () => {
    expect((await signedPost(h.url, "")).status).toBe(400);
  });

  test("an unsupported Content-Type is refused with 415", async () => {
    const res = await signedPost(h.url, mail("plain@example.org"), "text/html");
    expect(res.status).toBe(415);
    expect(res.json.error).toMatch(/unsupported Content-Type 'text\/html'/);
  });

  test("an mbox with one unreadable message stores none of its messages", async () => {
    const mbox = `From a Tue Apr 14 09:15:00 2026\n${mail("mbox-ok@example.org")}\nFrom b Tue Apr 14 09:15:00 2026\njust some words\n`;
    const res = await signedPost(h.url, mbox, "application/mbox");
    expect(res.status).toBe(400);
    expect(res.json.error).toMatch(/^message 2: not a mail message/);
    expect(
      h.journal.db
        .prepare("SELECT count(*) FROM messages WHERE message_id = 'mbox-ok@example.org'")
        .pluck()
        .get(),
    ).toBe(0);
  });

  test("JSON must carry exactly one of message or mbox", async () => {
    const both = JSON.stringify({ message: mail("j1@example.org"), mbox: "From x" });
    expect((await signedPost(h.url, both, "application/json")).json.error).toMatch(/exactly one of/);
    const typo = JSON.stringify({ mesage: mail("j2@example.org") });
    expect((await signedPost(h.url, typo, "application/json")).status).toBe(400);
    expect((await signedPost(h.url, "{not json", "application/json")).json.error).toBe(
      "body is not valid JSON",
    );
  });

  test("nothing refused above reached the journal", () => {
    expect(stored()).toBe(0);
  });

  test("every refusal above was reported with its status and reason, and without the body", () => {
    const statuses = new Set(h.refusals.map((r) => r.status));
    expect([...statuses].sort()).toEqual([400, 401, 413, 415]);
    for (const r of h.refusals) {
      expect(r).toMatchObject({ method: "POST", path: "/patches", remote: "127.0.0.1" });
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.reason).not.toMatch(/Subject:|lazy/);
    }
    expect(h.refusals).toContainEqual(
      expect.objectContaining({ status: 401, reason: "missing X-Hub-Signature-256 header" }),
    );
  });
});

describe("refused before the body is read", () => {
  /** Sends the headers and one chunk of a body that never ends; resolves with the status of the answer. */
  function statusOfUnfinishedPost(headers: Record<string, string>): Promise<number> {
    const { port } = new URL(h.url);
    return new Promise<number>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port, path: "/patches", method: "POST", headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", (e) => (e.message.includes("socket hang up") ? undefined : reject(e)));
      req.write("From: someone\n");
    });
  }

  test("a request without a signature is answered 401 while its body is still on the way", async () => {
    expect(await statusOfUnfinishedPost({ "Content-Type": "message/rfc822" })).toBe(401);
  });

  test("a signed request of an unsupported type is answered 415 while its body is still on the way", async () => {
    const headers = { "Content-Type": "text/html", "X-Hub-Signature-256": signBody(SECRET, "x") };
    expect(await statusOfUnfinishedPost(headers)).toBe(415);
  });
});

describe("accepted input", () => {
  test("JSON carrying a base64 message is accepted, with its source in the origin", async () => {
    const body = JSON.stringify({
      message: Buffer.from(mail("json-1@example.org")).toString("base64"),
      encoding: "base64",
      source: "lore:iommu",
    });
    const res = await signedPost(h.url, body, "application/json");
    expect(res.status).toBe(202);
    expect(
      h.journal.db
        .prepare("SELECT origin FROM messages WHERE message_id = 'json-1@example.org'")
        .pluck()
        .get(),
    ).toBe("http:lore:iommu");
  });

  test("a duplicate is answered 200 and stored once", async () => {
    const first = await signedPost(h.url, mail("dup@example.org"));
    const second = await signedPost(h.url, mail("dup@example.org"));
    expect([first.status, second.status]).toEqual([202, 200]);
    expect(second.json.messages).toEqual([{ messageId: "dup@example.org", status: "duplicate" }]);
    expect(
      h.journal.db
        .prepare("SELECT count(*) FROM messages WHERE message_id = 'dup@example.org'")
        .pluck()
        .get(),
    ).toBe(1);
  });

  test("other paths and methods are not the intake", async () => {
    expect((await fetch(h.url)).status).toBe(405);
    expect((await fetch(h.url.replace("/patches", "/other"), { method: "POST" })).status).toBe(404);
    const health = await fetch(h.url.replace("/patches", "/healthz"));
    expect(await health.json()).toMatchObject({ status: "ok" });
  });
});
