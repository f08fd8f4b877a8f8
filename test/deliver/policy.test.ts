import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import {
  defaultPolicy,
  isListAddress,
  loadPolicy,
  PolicyError,
  parsePolicy,
  policyFor,
} from "../../src/deliver/policy.js";

const person = (email: string) => ({ name: "", email });

const POLICY = `
version: 1
from: "iommu-review bot <iommu-review@bots.example.org>"
defaults:
  reply_to: author
  embargo_minutes: 30
  rate_limit: { per_thread: 1, per_hour: 10 }
  digest: { interval_minutes: 720 }
lists:
  - address: iommu@lists.example.org
    reply_to: all
    cc_individuals: false
    rate_limit: { per_hour: 3 }
    digest: { enabled: true }
  - address: Media@Lists.Example.org
    muted: true
muted_addresses: ["*@private.example.org"]
`;

function policyError(text: string): PolicyError {
  try {
    parsePolicy(text, "policy.yml");
  } catch (e) {
    if (e instanceof PolicyError) return e;
    throw e;
  }
  throw new Error("no error");
}

describe("parsePolicy", () => {
  test("a list entry is laid over the defaults, field by field", () => {
    const p = parsePolicy(POLICY, "policy.yml");
    expect(p.from).toEqual({ name: "iommu-review bot", email: "iommu-review@bots.example.org" });
    expect(p.fromConfigured).toBe(true);
    expect(p.lists[0]).toEqual({
      key: "iommu@lists.example.org",
      replyTo: "all",
      ccIndividuals: false,
      cc: [],
      muted: false,
      replyWhenClean: false,
      replyMinSeverity: "warning",
      seriesRollup: false,
      embargoMinutes: 30,
      perThread: 1,
      perHour: 3,
      digest: { enabled: true, intervalMinutes: 720 },
    });
    expect(p.lists[1]!.key).toBe("media@lists.example.org");
    expect(p.lists[1]!.digest).toEqual({ enabled: false, intervalMinutes: 720 });
  });

  test("without a file, the built-in defaults answer the author only and are not allowed to mail", () => {
    const p = defaultPolicy();
    expect(p.fromConfigured).toBe(false);
    expect(p.defaults).toMatchObject({
      replyTo: "author",
      perThread: 1,
      muted: false,
      digest: { enabled: false, intervalMinutes: 1440 },
    });
  });

  test.each([
    ["defaults:\n  reply_to: everyone\n", "policy.yml: defaults.reply_to: "],
    ["defaults:\n  reply_too: all\n", "policy.yml: defaults: "],
    [
      "lists:\n  - address: a@lists.example.org\n  - address: b@lists.example.org\n    embargo_minutes: -1\n",
      "policy.yml: lists[1] (b@lists.example.org).embargo_minutes: ",
    ],
    ["lists:\n  - address: not an address\n", "policy.yml: lists[0] (not an address).address: "],
    ["defaults:\n  rate_limit: { per_hour: lots }\n", "policy.yml: defaults.rate_limit.per_hour: "],
    ["defaults:\n  digest: { interval_minutes: 0 }\n", "policy.yml: defaults.digest.interval_minutes: "],
    [
      "lists:\n  - address: a@lists.example.org\n    digest: { interval_minutes: 1.5 }\n",
      "policy.yml: lists[0] (a@lists.example.org).digest.interval_minutes: ",
    ],
    ["defaults:\n  digest: { enabled: yes }\n", "policy.yml: defaults.digest.enabled: "],
    ["from: nobody\n", "policy.yml: from: "],
    ["defaults: [\n", "policy.yml: line "],
    [
      "lists:\n  - address: a@x.org\n  - address: A@x.org\n",
      "policy.yml: lists[1].address: duplicate list a@x.org",
    ],
  ])("an error names the file and the field: %j", (text, prefix) => {
    expect(policyError(text).message.startsWith(prefix)).toBe(true);
  });
});

describe("policyFor", () => {
  const p = parsePolicy(POLICY, "policy.yml");

  test("a message to a configured list gets that list's settings", () => {
    expect(policyFor(p, [person("someone@example.org"), person("IOMMU@lists.example.org")]).key).toBe(
      "iommu@lists.example.org",
    );
  });

  test("a muted list wins over any other list the message went to", () => {
    const list = policyFor(p, [person("iommu@lists.example.org"), person("media@lists.example.org")]);
    expect(list).toMatchObject({ key: "media@lists.example.org", muted: true });
  });

  test("a message to no configured list gets the defaults", () => {
    expect(policyFor(p, [person("other@lists.example.org")]).key).toBe("default");
  });

  test("mailing lists are the configured ones and those matching list_patterns", () => {
    expect(isListAddress(p, "iommu@lists.example.org")).toBe(true);
    expect(isListAddress(p, "linux-kernel@vger.kernel.org")).toBe(true);
    expect(isListAddress(p, "bob@example.org")).toBe(false);
  });
});

test("examples/policy.yml is a valid policy", () => {
  const p = loadPolicy(fileURLToPath(new URL("../../examples/policy.yml", import.meta.url)));
  expect(p.fromConfigured).toBe(true);
  expect(p.lists.map((l) => l.key)).toEqual(["iommu@lists.example.org", "linux-media@lists.example.org"]);
  expect(p.lists[0]).toMatchObject({ replyTo: "all", ccIndividuals: false, perHour: 10, embargoMinutes: 60 });
});
