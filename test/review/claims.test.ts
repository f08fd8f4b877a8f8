import { describe, expect, test } from "@jest/globals";
import type { ClaimCheck } from "../../src/model.js";
import { checkClaims, extractBenchmarkEvidence } from "../../src/review/claims.js";

// Our own paraphrase of the 2026 arm64 lazy-default RFC: same figures, same claims, different words.
const RFC_LIKE = `arm64 builds end up with IOMMU_DEFAULT_DMA_STRICT because only x86 and s390 pick
the lazy default. With an Arm SMMU every DMA unmap then waits for a TLB invalidation
and a sync, which costs a lot of network throughput.

Numbers from iperf3 on an AWS m8g.metal-24xl (bare-metal, Debian 13, kernel 6.12.74):

  STRICT (default): 14.9 Gbps
  LAZY:             39.8 Gbps

So switching the default domain mode gives a 2.67x throughput improvement.

Distributions that keep the upstream Kconfig choice quietly get strict mode on arm64 and
suffer this regression on bare-metal machines. Fix it upstream instead of in every distro.

Signed-off-by: A Developer <dev@example.org>
`;

const ofKind = (checks: ClaimCheck[], kind: ClaimCheck["kind"]) => checks.filter((c) => c.kind === kind);
const arithmetic = (message: string) => ofKind(checkClaims(message), "arithmetic");
const wording = (message: string) => ofKind(checkClaims(message), "wording");
const coverageNotes = (message: string, changedArches?: string[]) =>
  ofKind(checkClaims(message, { changedArches }), "coverage").map((c) => c.note);

describe("benchmark extraction", () => {
  test("reads labelled figures, workload, machine and kernel from the RFC-like message", () => {
    const evidence = extractBenchmarkEvidence(RFC_LIKE);
    expect(evidence.measurements.map((m) => [m.label, m.text, m.mode, m.family])).toEqual([
      ["STRICT (default)", "14.9 Gbps", "strict", "throughput"],
      ["LAZY", "39.8 Gbps", "lazy", "throughput"],
    ]);
    expect(evidence.pairs).toHaveLength(1);
    expect(evidence.ratios.map((r) => [r.kind, r.value])).toEqual([["times", 2.67]]);
    expect(evidence.context.workloads).toEqual([{ name: "iperf3", category: "network" }]);
    expect(evidence.context.platforms).toEqual(["m8g.metal-24xl"]);
    expect(evidence.context.kernels).toEqual(["6.12.74"]);
    expect(evidence.context.bareMetal).toBe(true);
  });

  test("a K multiplier scales IOPS, and a bare labelled figure takes the unit of its neighbour", () => {
    const { measurements } = extractBenchmarkEvidence(
      "With fio on a SAS controller, strict 600K IOPS, while non-strict reaches 1750K.",
    );
    expect(measurements.map((m) => [m.mode, m.text, m.value])).toEqual([
      ["strict", "600K IOPS", 600_000],
      ["lazy", "1750K IOPS", 1_750_000],
    ]);
  });

  test("versions, instance names, hex and setting values are not figures", () => {
    const { measurements, ratios } = extractBenchmarkEvidence(
      "Tested on kernel 6.12.74 on m8g.metal-24xl with iommu.strict=1 and mask 0x1f, 4 x 25GbE ports.",
    );
    expect(measurements).toEqual([]);
    expect(ratios).toEqual([]);
  });
});

describe("arithmetic", () => {
  test("the RFC's 2.67x holds for 39.8 / 14.9", () => {
    const [check, ...rest] = arithmetic(RFC_LIKE);
    expect(rest).toEqual([]);
    expect(check).toMatchObject({ kind: "arithmetic", ok: true });
    expect(check!.claim).toBe("So switching the default domain mode gives a 2.67x throughput improvement.");
    expect(check!.note).toBe(
      "LAZY 39.8 Gbps / STRICT (default) 14.9 Gbps = 2.671, so the stated 2.67× holds.",
    );
  });

  test("a wrong ratio is reported with the correct figure", () => {
    const [check] = arithmetic("iperf3, strict: 14.9 Gbps, lazy: 39.8 Gbps. Lazy gives 3x the throughput.");
    expect(check).toMatchObject({ ok: false, claim: "Lazy gives 3x the throughput." });
    expect(check!.note).toBe("lazy 39.8 Gbps / strict 14.9 Gbps = 2.67×, not 3×.");
  });

  test("ratio spellings: ×, times, N-fold", () => {
    for (const stated of ["2.67× faster", "2.67 times higher throughput", "2.67-fold speed-up"]) {
      const [check] = arithmetic(`Throughput goes from 14.9 Gbps (strict) to 39.8 Gbps (lazy), ${stated}.`);
      expect(check).toMatchObject({ ok: true });
      expect(check!.note).toContain("2.67× holds");
    }
  });

  test("a percentage improvement is (after - before) / before", () => {
    const [check] = arithmetic(
      "Throughput goes from 14.9 Gbps (strict) to 39.8 Gbps (lazy), a 167% improvement.",
    );
    expect(check).toMatchObject({ ok: true });
    expect(check!.note).toBe(
      "lazy 39.8 Gbps is 167.1% above strict 14.9 Gbps, so the stated 167% increase holds.",
    );
  });

  test("a ratio written as a percentage is caught and explained", () => {
    const [check] = arithmetic("Throughput goes from 14.9 to 39.8 Gbps, a 267% improvement.");
    expect(check).toMatchObject({ ok: false });
    expect(check!.note).toContain("167.1% above");
    expect(check!.note).toContain("267% is the ratio (2.67×) written as a percentage");
  });

  test("a percentage drop is 1 - lower / higher", () => {
    const [holds] = arithmetic("iperf3: 14.9 Gbps strict vs 39.8 Gbps lazy, 62% lower with strict.");
    expect(holds).toMatchObject({ ok: true });
    expect(holds!.note).toContain("62.6% below");
    const [wrong] = arithmetic("iperf3: 14.9 Gbps strict vs 39.8 Gbps lazy; strict is 167% slower.");
    expect(wrong).toMatchObject({ ok: false });
    expect(wrong!.note).toContain("167% is the increase measured from the lower figure");
  });

  test("IOPS with a K suffix", () => {
    const [check] = arithmetic("fio on a SAS HBA: strict 600K IOPS, non-strict 1750K; about 2.9x the IOPS.");
    expect(check).toMatchObject({ ok: true });
    expect(check!.note).toBe(
      "non-strict 1750K IOPS / strict 600K IOPS = 2.917, so the stated about 2.9× holds.",
    );
  });

  test("qualifiers: 'more than' and 'nearly' are checked as bounds", () => {
    const figures = "iperf3: strict 14.9 Gbps, lazy 39.8 Gbps";
    expect(arithmetic(`${figures}, more than 2x better.`)[0]).toMatchObject({ ok: true });
    expect(arithmetic(`${figures}, more than 3x better.`)[0]).toMatchObject({ ok: false });
    expect(arithmetic(`${figures}, nearly 3x better.`)[0]).toMatchObject({ ok: false });
    expect(arithmetic(`${figures}, nearly 2.7x better.`)[0]).toMatchObject({ ok: true });
  });

  test("figures in different units are compared after conversion", () => {
    const [check] = arithmetic("netperf: strict 950 Mbps, lazy 2.1 Gbps.");
    expect(check).toMatchObject({ ok: true });
    expect(check!.note).toBe("No ratio is stated; lazy 2.1 Gbps / strict 950 Mbps = 2.21× (121.1% higher).");
  });

  test("two figures and no stated ratio: the ratio is given as information", () => {
    const [check, ...rest] = arithmetic("iperf3 results: STRICT 14.9 Gbps, LAZY 39.8 Gbps.");
    expect(rest).toEqual([]);
    expect(check).toMatchObject({ ok: true, claim: "STRICT 14.9 Gbps, LAZY 39.8 Gbps" });
    expect(check!.note).toContain("No ratio is stated");
    expect(check!.note).toContain("= 2.67×");
  });

  test("no numbers: nothing about arithmetic (and no evidence to judge)", () => {
    const message = "Switch arm64 to the lazy default to align with x86.\n\nSigned-off-by: X <x@y.z>\n";
    expect(arithmetic(message)).toEqual([]);
    expect(coverageNotes(message)).toEqual([]);
  });

  test("multipliers that are not about performance are not ratios", () => {
    expect(checkClaims("The flush queue uses 2x the memory of a single queue.")).toEqual([]);
  });

  test("a ratio with no figures behind it is not checked, but the missing figures are noted", () => {
    const checks = checkClaims("Lazy mode is 2.5x faster on our servers.");
    expect(ofKind(checks, "arithmetic")).toEqual([]);
    expect(ofKind(checks, "coverage")[0]!.note).toContain("without the measurements behind it");
  });
});

describe("wording", () => {
  test("calling the long-standing strict default a regression is flagged", () => {
    const [check, ...rest] = wording(RFC_LIKE);
    expect(rest).toEqual([]);
    expect(check).toMatchObject({ kind: "wording", ok: false });
    expect(check!.claim).toContain("suffer this regression on bare-metal machines");
    expect(check!.note).toContain("A regression is behaviour that became worse than it was");
    expect(check!.note).toContain("arm64 has defaulted to strict");
  });

  test("the note stays general when arm64 is not involved", () => {
    const [check] = wording("Keeping strict as the default is a regression for these servers.");
    expect(check!.note).toContain("a default that has been this way all along");
    expect(check!.note).not.toContain("arm64");
  });

  test("a real regression (introduced by a commit, a Fixes: tag, a bisect) is not flagged", () => {
    expect(wording("This fixes a regression introduced by commit abc in strict mode.")).toEqual([]);
    expect(wording("Strict mode regressed after commit 0123456789ab changed the default.")).toEqual([]);
    expect(
      wording('Restore lazy mode, the default regressed.\n\nFixes: 0123456789ab ("iommu: x")\n'),
    ).toEqual([]);
    expect(wording("Bisected the strict default regression to the IOVA allocator change.")).toEqual([]);
  });

  test("negated or unrelated uses are not flagged", () => {
    expect(wording("There is no regression in lazy mode.")).toEqual([]);
    expect(wording("The default must not regress x86 behaviour.")).toEqual([]);
    expect(wording("Ran the strict mode regression tests.")).toEqual([]);
    expect(wording("A regression in the NVMe driver is unrelated.")).toEqual([]);
  });

  test("denying the cost of lazy mode is flagged; admitting it is not", () => {
    const [check] = wording("Make lazy the default. It has no downside for anyone.");
    expect(check).toMatchObject({ ok: false, claim: "It has no downside for anyone." });
    expect(check!.note).toContain("not free");
    expect(wording("Lazy mode is always faster on our machines.")).toHaveLength(1);
    expect(wording("Lazy mode is not a free lunch; there is no free lunch.")).toEqual([]);
  });

  test("'simply' and 'silently' are left alone", () => {
    expect(wording("Users simply get lazy mode by default, and distros silently get strict.")).toEqual([]);
  });
});

describe("coverage", () => {
  test("a single iperf3 run on one machine: every gap is reported", () => {
    const notes = coverageNotes(RFC_LIKE, ["arm64"]);
    expect(notes).toHaveLength(6);
    expect(notes[0]).toBe(
      "Only iperf3 is measured; nothing on storage/block I/O or latency/small-packet traffic.",
    );
    expect(notes[1]).toContain("No CPU-utilisation figures");
    expect(notes[2]).toBe(
      "The change applies to all arm64 systems, but the measurement is one machine (m8g.metal-24xl); nothing on " +
        "slower links (10GbE or below) or embedded/mobile systems.",
    );
    expect(notes[3]).toContain("untrusted/external-facing PCI devices");
    expect(notes[3]).toContain("deferred-flush support");
    expect(notes[4]).toMatch(/^Measured on bare metal only; nothing on virtualised guests/);
    expect(notes[5]).toContain("No security analysis of the lazy window");
  });

  test("the coverage claim is the sentence that sets up the benchmark", () => {
    const claims = ofKind(checkClaims(RFC_LIKE), "coverage").map((c) => c.claim);
    expect(new Set(claims)).toEqual(
      new Set(["Numbers from iperf3 on an AWS m8g.metal-24xl (bare-metal, Debian 13, kernel 6.12.74):"]),
    );
  });

  test("gaps the message already discusses are not reported", () => {
    const thorough = `Measured with iperf3 and fio (4K random reads, 1.2M IOPS lazy vs 0.9M IOPS strict)
and netperf TCP_RR latency, on a Graviton3 c7g.16xlarge and an Ampere Altra box, with 10GbE
and 100GbE NICs; phones and other embedded SoCs see no change. CPU utilisation drops
from 60% to 35%. Untrusted external-facing devices stay strict, and so do drivers without
IOMMU_CAP_DEFERRED_FLUSH. KVM guests with virtio-iommu were tested too. Security: the lazy
window lets a device access unmapped memory for up to 10 ms; we accept that for trusted devices.`;
    expect(coverageNotes(thorough, ["arm64"])).toEqual([]);
  });

  test("only the missing items are listed", () => {
    const notes = coverageNotes("fio on NVMe: strict 600K IOPS, lazy 1750K IOPS; CPU usage 40% vs 25%.");
    expect(notes[0]).toBe(
      "Only fio is measured; nothing on network traffic or latency/small-packet traffic.",
    );
    expect(notes.some((n) => n.includes("CPU-utilisation"))).toBe(false);
    expect(notes.some((n) => n.startsWith("Measured on bare metal"))).toBe(false);
    expect(notes.some((n) => n.startsWith("Nothing on virtualised guests"))).toBe(true);
  });
});

describe("robustness", () => {
  // Deterministic pseudo-random text (mulberry32), so a failure can be reproduced.
  function randomText(length: number, seed: number): string {
    let state = seed;
    const next = () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet = " \n\t0123456789.,%x×µ:()-/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const chars = new Array<string>(length);
    for (let i = 0; i < length; i++) chars[i] = alphabet[Math.floor(next() * alphabet.length)]!;
    return chars.join("");
  }

  test("a 1 MB random string is handled in under 100 ms", () => {
    checkClaims(RFC_LIKE); // warm up the regular expressions and the JIT
    const text = randomText(1 << 20, 42);
    const started = performance.now();
    const checks = checkClaims(text, { changedArches: ["arm64"] });
    const elapsed = performance.now() - started;
    expect(Array.isArray(checks)).toBe(true);
    expect(elapsed).toBeLessThan(100);
  });

  test("pathological shapes stay fast and do not throw", () => {
    const size = 1 << 20;
    const shapes = [
      "",
      "1".repeat(size),
      " ".repeat(size),
      "\r\n \r\n".repeat(size / 5),
      "2.5x faster ".repeat(size / 12),
      "strict 1.5 Gbps lazy 2 Gbps ".repeat(size / 28),
      "strict 1 lazy 2 vs 3 Gbps ".repeat(size / 26),
      "a 20% improvement by 10% ".repeat(size / 25),
      "regression of the strict default. ".repeat(size / 34),
    ];
    for (const shape of shapes) {
      const started = performance.now();
      expect(() => checkClaims(shape)).not.toThrow();
      expect(performance.now() - started).toBeLessThan(500);
    }
  });

  test("CRLF line endings give the same checks", () => {
    expect(checkClaims(RFC_LIKE.replace(/\n/g, "\r\n"))).toEqual(checkClaims(RFC_LIKE));
  });

  test("output is capped on text full of claims", () => {
    const checks = checkClaims(
      "strict 1 Gbps, lazy 2 Gbps, 2x faster. It has no downside in lazy mode. ".repeat(500),
    );
    expect(ofKind(checks, "arithmetic").length).toBeLessThanOrEqual(12);
    expect(ofKind(checks, "wording").length).toBeLessThanOrEqual(5);
  });
});
