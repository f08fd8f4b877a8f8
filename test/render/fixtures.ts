import type { ArchResult, Argument, Finding, HunkLine, Patch, PatchReview, Review } from "../../src/model.js";

// A hand-built review of a small mbox: the arm64 lazy-default RFC (with findings and claims), a reply that was
// skipped, a patch with no findings, a message that failed to parse, and a patch with a C-code finding (no table).
// Argument texts are our own paraphrases.

const NAFEES = { name: "Nafees Ahmed Abdul", email: "nafeabd@amazon.com" };
const ROBIN = { name: "Robin Murphy", email: "robin.murphy@arm.com" };

const LAZY = "IOMMU_DEFAULT_DMA_LAZY";
const STRICT = "IOMMU_DEFAULT_DMA_STRICT";

function row(arch: string, before: string, after: string): ArchResult {
  return { arch, before, after, changed: before !== after };
}

export const ARM64_TABLE: ArchResult[] = [
  row("x86", LAZY, LAZY),
  row("arm64", STRICT, LAZY),
  row("s390", LAZY, LAZY),
  row("arm", STRICT, STRICT),
  row("riscv", STRICT, STRICT),
  row("powerpc", STRICT, STRICT),
];

const ctx = (n: number, text: string): HunkLine => ({ kind: "context", text, oldLine: n, newLine: n });

export const ARM64_HUNK: HunkLine[] = [
  ctx(96, "choice"),
  ctx(97, '\tprompt "IOMMU default domain type"'),
  ctx(98, "\tdepends on IOMMU_API"),
  { kind: "del", text: "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390", oldLine: 99 },
  { kind: "add", text: "\tdefault IOMMU_DEFAULT_DMA_LAZY if X86 || S390 || ARM64", newLine: 99 },
  ctx(100, "\tdefault IOMMU_DEFAULT_DMA_STRICT"),
  ctx(101, "\thelp"),
  ctx(102, "\t  Choose the type of IOMMU domain used to manage DMA API usage by"),
];

const ROBIN_RFC_REPLY = "https://lkml.iu.edu/2604.0/09688.html";
const PRAAN_RFC_REPLY = "ac8lwTT0oQNT-JaL@google.com";

export const ARM64_ARGUMENTS: Argument[] = [
  {
    id: "single-arch-independent-default",
    category: "per-arch-divergence",
    text: "Per-arch exceptions in this choice are unwelcome; one arch-independent default that tries to be strict would be preferable to adding another arch to the list.",
    who: "Jason Gunthorpe",
    date: "2026-04-03",
  },
  {
    id: "split-is-historical",
    category: "per-arch-divergence",
    text: "The x86/arm64 split is historical: the x86 drivers have been lazy since 2008, while most Arm IOMMU drivers only ever supported strict invalidation.",
    who: "Robin Murphy",
    date: "2021-09-06",
    where: "11f8773b-1440-a94a-220b-9f994241d0b4@arm.com",
  },
  {
    id: "strict-closes-window",
    category: "security-vs-throughput",
    text: "Strict invalidation closes the window in which a device can still reach memory that was just unmapped; keeping it as the default and letting users opt in to lazy is the safer path.",
    who: "Pranjal Shrivastava",
    date: "2026-04-03",
    where: PRAAN_RFC_REPLY,
  },
  {
    id: "embedded-majority",
    category: "security-vs-throughput",
    text: "Most arm64 systems are embedded or mobile, where lazy mode brings no measurable gain while strict keeps its robustness benefit; machines with 50GbE NICs are a small minority.",
    who: "Robin Murphy",
    date: "2026-04-07",
    where: ROBIN_RFC_REPLY,
  },
  {
    id: "boot-parameter",
    category: "alternatives",
    text: "Lazy mode is one boot parameter away (iommu.strict=0), and distributions can set it in their bootloader configuration.",
    who: "Pranjal Shrivastava",
    date: "2026-04-03",
    where: PRAAN_RFC_REPLY,
  },
  {
    id: "distro-config",
    category: "alternatives",
    text: "defconfig is not a distribution config: a distribution that wants lazy on arm64 can select IOMMU_DEFAULT_DMA_LAZY in its own config, whereas flipping upstream moves the override burden onto distributions that prefer strict.",
    who: "Robin Murphy",
    date: "2026-04-07",
    where: ROBIN_RFC_REPLY,
  },
  {
    id: "not-a-regression",
    category: "evidence",
    text: 'arm64 has been strict since its IOMMU support began, so "regression" misdescribes the current behaviour.',
    who: "Robin Murphy",
    date: "2026-04-07",
    where: ROBIN_RFC_REPLY,
  },
  {
    id: "arch-maintainer-acks",
    category: "process",
    text: "A change to one architecture's default needs an ack from that architecture's maintainers, and such changes should be split per arch.",
    who: "Joerg Roedel",
    date: "2019-05-27",
    where: "20190527142140.GH8420@8bytes.org",
  },
];

export const ARM64_FINDING: Finding = {
  rule: "iommu-default-domain-type",
  severity: "warning",
  title: "Architecture-conditional IOMMU default domain type changed",
  message:
    'ARM64 is added to the condition of the first default of choice "IOMMU default domain type". Configs that select a member of the choice explicitly keep their selection.',
  path: "drivers/iommu/Kconfig",
  line: 99,
  side: "new",
  subject: 'choice "IOMMU default domain type"',
  table: ARM64_TABLE,
  basis: { source: "patch", detail: "per-arch results computed from the hunk context" },
  arguments: ARM64_ARGUMENTS,
  // The rule quotes the choice and its prompt, snips "depends on", then the changed default and the fallback.
  quote: [ARM64_HUNK[0]!, ARM64_HUNK[1]!, ARM64_HUNK[3]!, ARM64_HUNK[4]!, ARM64_HUNK[5]!],
  fingerprint: "iommu-default-domain-type/drivers/iommu/Kconfig/5c1f0e9a7d3b2846",
};

export const C_CODE_FINDING: Finding = {
  rule: "dma-strictness-in-c",
  severity: "info",
  title: "DMA strictness set from C code",
  message:
    "An added line calls iommu_set_dma_strict(), which overrides the Kconfig default and iommu.strict= for every device behind this IOMMU.",
  path: "drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c",
  line: 4412,
  side: "new",
  table: [],
  arguments: [
    {
      id: "drivers-do-not-choose-strictness",
      category: "alternatives",
      text: "Drivers should not pick their own strictness; it is a platform and user decision made in Kconfig or on the command line.",
      who: "Joerg Roedel",
      date: "2021-07-08",
      where: "YOaymBHc4g2cIfRn@8bytes.org",
    },
  ],
  quote: [
    {
      kind: "context",
      text: "\tif (smmu->features & ARM_SMMU_FEAT_COHERENCY)",
      oldLine: 4409,
      newLine: 4409,
    },
    { kind: "context", text: "\t\tsmmu->dev->dma_coherent = true;", oldLine: 4410, newLine: 4410 },
    { kind: "add", text: "\tiommu_set_dma_strict();", newLine: 4412 },
  ],
  fingerprint: "dma-strictness-in-c/drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c/91d2b07c44e8a1f3",
};

function patch(fields: Partial<Patch> & Pick<Patch, "subject" | "title" | "position">): Patch {
  return {
    source: "seed.mbox",
    version: 1,
    rfc: false,
    references: [],
    to: [],
    cc: [],
    message: "",
    files: [],
    ...fields,
  };
}

const ARM64_PATCH = patch({
  position: 0,
  subject: "[RFC PATCH] iommu: Default to lazy DMA mode on ARM64",
  title: "iommu: Default to lazy DMA mode on ARM64",
  rfc: true,
  author: NAFEES,
  date: "2026-04-02T19:59:13Z",
  messageId: "20260402195913.32084-1-nafeabd@amazon.com",
  message:
    "ARM64 currently falls through to IOMMU_DEFAULT_DMA_STRICT, while\nX86 defaults to IOMMU_DEFAULT_DMA_LAZY.",
  files: [
    {
      oldPath: "drivers/iommu/Kconfig",
      newPath: "drivers/iommu/Kconfig",
      path: "drivers/iommu/Kconfig",
      status: "modified",
      hunks: [
        {
          oldStart: 96,
          oldLines: 7,
          newStart: 96,
          newLines: 7,
          section: "config IOMMU_DEBUGFS",
          lines: ARM64_HUNK,
        },
      ],
    },
  ],
});

const KERNEL_DOC_PATCH = patch({
  position: 2,
  subject: "[PATCH] iommu/dma: Fix kernel-doc of iommu_dma_init_fq()",
  title: "iommu/dma: Fix kernel-doc of iommu_dma_init_fq()",
  author: { name: "Ann Example", email: "ann@example.org" },
  date: "2026-04-08T09:12:00Z",
  messageId: "20260408091200.1234-1-ann@example.org",
});

const SMMU_PATCH = patch({
  position: 4,
  subject: "[PATCH 2/2] iommu/arm-smmu-v3: Force strict invalidation",
  title: "iommu/arm-smmu-v3: Force strict invalidation",
  seriesIndex: 2,
  seriesTotal: 2,
  author: { name: "Bob Example", email: "bob@example.org" },
  date: "2026-04-09T10:00:00Z",
  messageId: "20260409100000.5678-3-bob@example.org",
});

function reviewed(p: Patch, findings: Finding[], claims: PatchReview["claims"] = []): PatchReview {
  return {
    source: p.source,
    position: p.position,
    subject: p.subject,
    messageId: p.messageId,
    author: p.author,
    patch: p,
    findings,
    claims,
  };
}

export const ARM64_ENTRY: PatchReview = reviewed(
  ARM64_PATCH,
  [ARM64_FINDING],
  [
    {
      kind: "arithmetic",
      ok: true,
      claim: "This is a 2.67x throughput improvement",
      note: "39.8 / 14.9 = 2.67, as stated.",
    },
    {
      kind: "wording",
      ok: false,
      claim: "silently get STRICT on ARM64, causing this regression on bare-metal systems",
      note: "Before this patch arm64 already falls through to IOMMU_DEFAULT_DMA_STRICT; a default that has not changed is not a regression.",
    },
  ],
);

export const SKIPPED_ENTRY: PatchReview = {
  source: "seed.mbox",
  position: 1,
  subject: "Re: [RFC PATCH] iommu: Default to lazy DMA mode on ARM64",
  author: ROBIN,
  findings: [],
  claims: [],
  skipped: "reply without a diff",
};

export const ERROR_ENTRY: PatchReview = {
  source: "seed.mbox",
  position: 3,
  findings: [],
  claims: [],
  error: 'malformed hunk header "@@ -96,7 +96 @@"',
};

export const REVIEW: Review = {
  patches: [
    ARM64_ENTRY,
    SKIPPED_ENTRY,
    reviewed(KERNEL_DOC_PATCH, []),
    ERROR_ENTRY,
    reviewed(SMMU_PATCH, [C_CODE_FINDING]),
  ],
};

export const RULES = [
  {
    id: "iommu-default-domain-type",
    title: "Architecture-conditional IOMMU default domain type changed",
    severity: "warning",
    description:
      'A change to the defaults of choice "IOMMU default domain type" that moves some architecture between strict, lazy and passthrough.',
  },
  { id: "dma-strictness-in-c", title: "DMA strictness set from C code", severity: "info" },
];
