import { describe, expect, test } from "@jest/globals";
import { conclusionFor, countsTitle } from "../../src/github/check-run.js";
import { DEFAULT_CONFIG, parseConfig, rulesFor } from "../../src/github/config.js";
import { KeyedQueue, RecentDeliveries } from "../../src/github/dedupe.js";
import { describeFailure } from "../../src/github/errors.js";
import { preImage } from "../../src/github/gather.js";
import { DiffLines, placeFindings } from "../../src/github/inline.js";
import {
  fingerprintIn,
  fingerprintMarker,
  isBot,
  isSummary,
  SUMMARY_MARKER,
} from "../../src/github/markers.js";
import { truncate } from "../../src/github/summary.js";
import { isKconfigOrConfigFile, watchedFiles } from "../../src/github/watch.js";
import type { Finding } from "../../src/model.js";
import { parseHunkOnly } from "../../src/parse/diff.js";
import { DEFAULT_RULES_DIR } from "../../src/rules/defaults.js";
import { loadRules } from "../../src/rules/load.js";

const RULES = loadRules(DEFAULT_RULES_DIR);

function finding(over: Partial<Finding>): Finding {
  return {
    rule: "r",
    severity: "warning",
    title: "t",
    message: "m",
    path: "drivers/iommu/Kconfig",
    line: 2,
    side: "new",
    table: [],
    arguments: [],
    quote: [],
    fingerprint: "f0",
    ...over,
  };
}

describe("markers", () => {
  test("a fingerprint marker round-trips, and only a bot counts", () => {
    expect(fingerprintIn(`x\n${fingerprintMarker("0123abcd")}\ny`)).toBe("0123abcd");
    expect(fingerprintIn("<!-- iommu-review:fingerprint=NOT-HEX -->")).toBeUndefined();
    expect(isSummary(`${SUMMARY_MARKER}\n## iommu-review`)).toBe(true);
    expect([isBot({ type: "Bot" }), isBot({ type: "User" }), isBot(null)]).toEqual([true, false, false]);
  });
});

describe("config", () => {
  test("no file gives the defaults", () => {
    expect(parseConfig(null, RULES)).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(DEFAULT_CONFIG).toEqual({
      rules: { disabled: [] },
      severity: {},
      conclusion: { warning: "action_required", error: "failure" },
      ignorePaths: [],
      mode: "review",
      drafts: false,
      maxInlineComments: 30,
    });
  });

  test("enabled, disabled and severity shape the rule list; rules themselves are not modified", () => {
    const result = parseConfig(
      {
        rules: {
          enabled: ["iommu-default-domain-choice", "iommu-default-in-config"],
          disabled: ["iommu-default-in-config"],
        },
        severity: { "iommu-default-domain-choice": "error" },
      },
      RULES,
    );
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const rules = rulesFor(result.config, RULES);
    expect(rules.map((r) => [r.id, r.severity])).toEqual([["iommu-default-domain-choice", "error"]]);
    expect(RULES.find((r) => r.id === "iommu-default-domain-choice")!.severity).toBe("warning");
  });
});

describe("inline placement", () => {
  const diff = parseHunkOnly("drivers/iommu/Kconfig", "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c");
  const lines = new DiffLines([diff]);

  test("right side: added and context lines; left side: removed and context lines", () => {
    expect(lines.obstacle(finding({ line: 2 }))).toBeUndefined();
    expect(lines.obstacle(finding({ line: 2, side: "old" }))).toBeUndefined();
    expect(lines.obstacle(finding({ line: 9 }))).toBe("not on a line of the diff");
    expect(new DiffLines([diff], new Set([diff.path])).obstacle(finding({ line: 2 }))).toBe(
      "GitHub shows no diff for this file",
    );
  });

  test("the cap keeps the most severe findings inline, folds the rest, and skips ones already commented", () => {
    const findings = [
      finding({ fingerprint: "a", severity: "info", line: 1 }),
      finding({ fingerprint: "b", severity: "error", line: 3 }),
      finding({ fingerprint: "c", severity: "warning", line: 2 }),
      finding({ fingerprint: "d", severity: "error", line: 40 }),
      finding({ fingerprint: "e", severity: "error", line: 1 }),
    ];
    const placed = placeFindings(findings, lines, new Set(["e"]), 2);
    expect(placed.post.map((f) => f.fingerprint)).toEqual(["b", "c"]);
    expect(placed.folded.map((f) => [f.finding.fingerprint, f.reason])).toEqual([
      ["d", "not on a line of the diff"],
      ["a", "over the limit of 2 inline comments per run"],
    ]);
  });
});

describe("pre-image", () => {
  const diff = parseHunkOnly("K", "@@ -2,2 +2,2 @@\n x\n-old\n+new");
  const base = "top\nx\nold\nend\n";
  const head = "top\nx\nnew\nend\n";

  test("the base text when the hunks turn it into the head text", () => {
    expect(preImage(diff, base, head)).toBe(base);
  });

  test("when the base branch moved on, the head text with the hunks taken back out", () => {
    const movedBase = "top\nx\nold\nend\nadded on master since\n";
    expect(preImage(diff, movedBase, head)).toBe(base);
  });
});

describe("watched files", () => {
  test("a rename counts when either name is watched; ignored paths never count", () => {
    const files = [
      {
        filename: "drivers/iommu/Kconfig.renamed",
        previous_filename: "drivers/iommu/Kconfig",
        status: "renamed",
      },
      { filename: "README", status: "modified" },
    ];
    expect(watchedFiles(files, RULES).map((f) => f.filename)).toEqual(["drivers/iommu/Kconfig.renamed"]);
    expect(watchedFiles(files, RULES, ["drivers/**"])).toEqual([]);
    expect(
      [
        "drivers/iommu/Kconfig",
        "arch/arm64/configs/defconfig",
        "kernel/configs/debug.config",
        "mm/slub.c",
      ].map(isKconfigOrConfigFile),
    ).toEqual([true, true, true, false]);
  });
});

describe("events of one pull request", () => {
  test("run one after another; other pull requests are not held up", async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const first = queue.run("pr#1", async () => {
      await gate;
      order.push("pr#1 first");
    });
    const second = queue.run("pr#1", async () => {
      order.push("pr#1 second");
    });
    await queue.run("pr#2", async () => {
      order.push("pr#2");
    });
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(["pr#2", "pr#1 first", "pr#1 second"]);
  });

  test("a failing task does not block the next one of the same key", async () => {
    const queue = new KeyedQueue();
    await expect(queue.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(queue.run("k", async () => 7)).resolves.toBe(7);
  });

  test("remembered deliveries are bounded, oldest forgotten first", () => {
    const seen = new RecentDeliveries(2);
    for (const id of ["a", "b", "c"]) seen.add(id);
    expect(["a", "b", "c"].map((id) => seen.has(id))).toEqual([false, true, true]);
  });
});

describe("check run and failure texts", () => {
  const policy = DEFAULT_CONFIG.conclusion;

  test("conclusion follows the highest severity", () => {
    expect(conclusionFor([], policy)).toBe("success");
    expect(conclusionFor([finding({ severity: "info" })], policy)).toBe("neutral");
    expect(conclusionFor([finding({ severity: "info" }), finding({ severity: "warning" })], policy)).toBe(
      "action_required",
    );
    expect(conclusionFor([finding({ severity: "error" })], { ...policy, error: "failure" })).toBe("failure");
    expect(
      countsTitle([
        finding({ severity: "error" }),
        finding({ severity: "info" }),
        finding({ severity: "info" }),
      ]),
    ).toBe("1 error, 2 info");
  });

  test("a failure description keeps status, method and path, and drops headers, host and query", () => {
    const err = Object.assign(new Error("Bad credentials - https://docs.github.com/rest"), {
      status: 401,
      request: {
        method: "GET",
        url: "https://ghe.example.com/api/v3/repos/o/r/pulls/1/files?per_page=100",
        headers: { authorization: "token ghs_secret" },
      },
      response: { headers: {} },
    });
    const described = describeFailure(new AggregateError([err]));
    expect(described).toEqual({
      message: "Bad credentials",
      status: 401,
      request: "GET /api/v3/repos/o/r/pulls/1/files",
    });
    expect(JSON.stringify(described)).not.toContain("ghs_secret");
  });

  test("long bodies are cut under GitHub's limit with a note", () => {
    const cut = truncate("x".repeat(70_000));
    expect(cut.length).toBeLessThanOrEqual(65_000);
    expect(cut).toContain("GitHub limits the length");
  });
});
