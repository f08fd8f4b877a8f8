import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { buildThread, replyNodes } from "../../src/thread/tree.js";
import { message, ROOT_SUBJECT, root } from "./messages.js";

const parentOf = (thread: ReturnType<typeof buildThread>, id: string) =>
  thread.nodes.find((n) => n.message.id === id)?.parent?.message.id;

describe("buildThread", () => {
  test("links replies by In-Reply-To", () => {
    const thread = buildThread([
      root(),
      message({ id: "a", inReplyTo: "root@example.org", date: "2026-01-05T11:00:00Z" }),
      message({ id: "b", inReplyTo: "a", date: "2026-01-05T12:00:00Z" }),
    ]);
    expect(thread.root.message.id).toBe("root@example.org");
    expect(parentOf(thread, "b")).toBe("a");
    expect(thread.nodes.find((n) => n.message.id === "b")?.depth).toBe(2);
    expect(thread.nodes.find((n) => n.message.id === "b")?.link).toBe("in-reply-to");
  });

  test("falls back to the nearest References entry that is present", () => {
    const thread = buildThread([
      root(),
      message({ id: "a", inReplyTo: "root@example.org" }),
      message({ id: "c", inReplyTo: "missing-b", references: ["root@example.org", "a", "missing-b"] }),
    ]);
    expect(parentOf(thread, "c")).toBe("a");
    expect(thread.nodes.find((n) => n.message.id === "c")?.link).toBe("references");
  });

  test("falls back to the subject when a mailer dropped both headers", () => {
    const thread = buildThread([
      message({
        id: "other",
        subject: "[PATCH] something else",
        isPatch: true,
        date: "2026-01-04T00:00:00Z",
      }),
      root(),
      message({ id: "a", subject: `Re: ${ROOT_SUBJECT}`, date: "2026-01-06T00:00:00Z" }),
    ]);
    expect(parentOf(thread, "a")).toBe("root@example.org");
    expect(thread.nodes.find((n) => n.message.id === "a")?.link).toBe("subject");
  });

  test("hangs replies to an absent message from the root and says so", () => {
    const thread = buildThread([
      root(),
      message({ id: "a", subject: "Re: elsewhere", inReplyTo: "gone@example.org" }),
    ]);
    const a = thread.nodes.find((n) => n.message.id === "a")!;
    expect(a.parent?.message.id).toBe("root@example.org");
    expect(a.parentMissing).toBe(true);
  });

  test("stands in for a root the input lacks", () => {
    const thread = buildThread([
      message({ id: "a", inReplyTo: "cover@example.org", references: ["cover@example.org"] }),
      message({
        id: "b",
        inReplyTo: "patch-1@example.org",
        references: ["cover@example.org", "patch-1@example.org"],
      }),
    ]);
    expect(thread.root.message).toMatchObject({ id: "cover@example.org", placeholder: true });
    expect(
      replyNodes(thread)
        .map((n) => n.message.id)
        .sort(),
    ).toEqual(["a", "b"]);
  });

  test("keeps the first of two messages with one Message-Id and survives reply loops", () => {
    const thread = buildThread([
      root(),
      message({ id: "a", inReplyTo: "b", body: "first" }),
      message({ id: "b", inReplyTo: "a" }),
      message({ id: "a", body: "second" }),
    ]);
    expect(thread.nodes).toHaveLength(3);
    expect(thread.nodes.find((n) => n.message.id === "a")?.message.body).toBe("first");
  });

  test("patches in the thread are not replies", () => {
    const thread = buildThread([
      root({ id: "cover", subject: "[PATCH 0/2] cover" }),
      message({ id: "p1", subject: "[PATCH 1/2] one", inReplyTo: "cover", isPatch: true }),
      message({ id: "r1", inReplyTo: "p1" }),
    ]);
    expect(replyNodes(thread).map((n) => n.message.id)).toEqual(["r1"]);
  });

  test("the tree does not depend on the input order", () => {
    const input = [
      root(),
      message({ id: "a", inReplyTo: "root@example.org", date: "2026-01-05T11:00:00Z" }),
      message({
        id: "b",
        inReplyTo: "a",
        references: ["root@example.org", "a"],
        date: "2026-01-05T12:00:00Z",
      }),
      message({ id: "c", references: ["root@example.org"], date: "2026-01-05T13:00:00Z" }),
      message({ id: "d", subject: `Re: ${ROOT_SUBJECT}`, date: "2026-01-05T14:00:00Z" }),
    ];
    const shape = (messages: typeof input) =>
      buildThread(messages).nodes.map((n) => `${n.message.id}<${n.parent?.message.id ?? "-"}`);
    const expected = shape(input);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(input, { minLength: input.length, maxLength: input.length }),
        (shuffled) => {
          expect(shape(shuffled)).toEqual(expected);
        },
      ),
    );
  });
});
