// The data that flows through the pipeline: ingest → parse → kconfig → rules → review → render → deliver.
// Every stage reads and writes these types; the JSON contract (render/json.ts) is derived from them.

export interface Person {
  name: string;
  email: string;
}

export interface HunkLine {
  kind: "context" | "add" | "del";
  /** The line without its leading diff marker (" ", "+", "-"). */
  text: string;
  /** Line number in the pre-image (context and del lines). */
  oldLine?: number;
  /** Line number in the post-image (context and add lines). */
  newLine?: number;
}

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Text after the closing "@@" of the hunk header (git's function/section context), may be empty. */
  section: string;
  lines: HunkLine[];
}

export type FileStatus = "added" | "deleted" | "modified" | "renamed" | "binary";

export interface FileDiff {
  /** Pre-image path without the "a/" prefix; null for a new file. */
  oldPath: string | null;
  /** Post-image path without the "b/" prefix; null for a deleted file. */
  newPath: string | null;
  /** newPath ?? oldPath: the path findings are reported against. */
  path: string;
  status: FileStatus;
  hunks: Hunk[];
}

/** One patch: a mail message carrying a diff, or a bare diff. */
export interface Patch {
  /** Where it came from: a file name, "-" for stdin, "github:owner/repo#12", a mirror URL. */
  source: string;
  /** Position of the message in its input, 0-based (mbox order). */
  position: number;
  /** Full subject as sent, e.g. "[RFC PATCH v2 1/3] iommu: Default to lazy DMA mode on ARM64". */
  subject: string;
  /** Subject without the bracketed prefixes and without "Re:". */
  title: string;
  /** 1 when the subject carries no "vN". */
  version: number;
  /** N of "[PATCH N/M]"; undefined for a single patch. */
  seriesIndex?: number;
  /** M of "[PATCH N/M]". */
  seriesTotal?: number;
  rfc: boolean;
  author?: Person;
  /** ISO 8601. */
  date?: string;
  /** Without angle brackets. */
  messageId?: string;
  /** Without angle brackets. */
  inReplyTo?: string;
  /** Message-Ids without angle brackets, oldest first. */
  references: string[];
  to: Person[];
  cc: Person[];
  /** The commit message: the body above the "---" separator, without the diff. */
  message: string;
  files: FileDiff[];
}

interface InputIdentity {
  source: string;
  position: number;
  subject?: string;
  messageId?: string;
  author?: Person;
}

/** One entry per input message or diff, whatever became of it. */
export type InputItem =
  | { kind: "patch"; patch: Patch }
  | (InputIdentity & { kind: "skipped"; reason: string })
  | (InputIdentity & { kind: "error"; error: string });

export type Severity = "info" | "warning" | "error";
export const SEVERITIES: readonly Severity[] = ["info", "warning", "error"];

export type ArgumentCategory =
  | "per-arch-divergence"
  | "security-vs-throughput"
  | "alternatives"
  | "evidence"
  | "process";
export const ARGUMENT_CATEGORIES: readonly ArgumentCategory[] = [
  "per-arch-divergence",
  "security-vs-throughput",
  "alternatives",
  "evidence",
  "process",
];

/** Which way a finding moves the default; "any" when it cannot be told (C code, a symbol's value). */
export const DIRECTIONS = ["lazy", "strict", "passthrough"] as const;
export type Direction = (typeof DIRECTIONS)[number];

/** What a finding is about, for matching arguments to it. */
export const FINDING_KINDS = [
  "kconfig-choice",
  "dma-arch-list",
  "kconfig-default",
  "config-setting",
  "c-strictness",
  "device-quirk",
  "flush-capability",
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

/** A known argument, as the rule records it. */
export interface Argument {
  id: string;
  category: ArgumentCategory;
  /** Our own paraphrase. */
  text: string;
  /** Who made it. */
  who?: string;
  /** Where: a Message-Id (without brackets) or a link. */
  where?: string;
  /** YYYY-MM-DD */
  date?: string;
  /** Our own explanation: the date from which it holds. */
  since?: string;
  /** Directions of change it answers; absent: any. */
  direction?: Direction[];
  /** Architectures it is about; absent: none in particular. */
  arches?: string[];
  /** Kinds of finding it fits; absent: every finding of its rule. */
  kinds?: FindingKind[];
  /** Message-Ids and addresses it was taken from (its `where` and its sources'). */
  sourceIds?: string[];
}

/** The effective default of one architecture before and after the patch. */
export interface ArchResult {
  /** arch/ directory name: x86, arm64, s390, ... */
  arch: string;
  /** Selected choice member or symbol value, or a conditional string such as "IOMMU_DEFAULT_DMA_LAZY if ARM_SMMU_V3, else IOMMU_DEFAULT_DMA_STRICT". */
  before: string;
  after: string;
  changed: boolean;
  /**
   * The configurations in which the value changes, in words ("INTEL_IOMMU=y"), when it changes only for some:
   * the decisions still depend on a driver or feature option. Absent when it changes for every configuration.
   */
  when?: string;
  /** The change said once, in words: "x86: IOMMU_DEFAULT_DMA_STRICT → IOMMU_DEFAULT_DMA_LAZY when INTEL_IOMMU=y". */
  summary?: string;
  /** With a kernel tree: what the change does to the architecture's defconfig files. */
  defconfigs?: ArchDefconfigs;
}

export interface ArchDefconfigs {
  /** Defconfig files of the architecture (arch/<arch>/configs/*defconfig). */
  total: number;
  /** Those whose value of the entry changes. */
  changed: number;
  /** Those for which a symbol the decision needs could not be told from the file. */
  undetermined: number;
  /** `make ARCH=<arch> defconfig`, from the recorded facts; absent when they do not cover the symbols. */
  default?: { before: string; after: string };
}

/** An architecture the change cannot affect, and why (the choice is hidden there, or has no effect). */
export interface ArchNote {
  arch: string;
  reason: string;
}

/** What the per-arch evaluation was based on, said in the review so the reader can judge it. */
export interface EvaluationBasis {
  /** "patch" (hunk context was enough), "tree" (pre-image read from --tree or the forge), "recorded" (the rule's recorded upstream state). */
  source: "patch" | "tree" | "recorded";
  /** Human-readable, e.g. "pre-image from /usr/src/linux (drivers/iommu/Kconfig)" or "upstream state recorded in the rule (v6.12)". */
  detail: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  title: string;
  /** The rule's message template, filled in. Plain text, may span lines. */
  message: string;
  path: string;
  /** Line the finding is anchored on, in the post-image when side is "new", else the pre-image. */
  line: number;
  side: "new" | "old";
  /** Kconfig entry the change belongs to, e.g. choice "IOMMU default domain type" or config IOMMU_DMA. */
  subject?: string;
  /** Every evaluated architecture, changed or not, in table order. */
  table: ArchResult[];
  /** Architectures left out of the table because the change cannot affect them, each with the reason. */
  unaffected?: ArchNote[];
  /** Architectures on which the entry's visibility changes (a choice shown or hidden where it was not). */
  visibility?: ArchNote[];
  basis?: EvaluationBasis;
  arguments: Argument[];
  /** The hunk lines a mail reply should quote (the changed lines and a little context). */
  quote: HunkLine[];
  /** Stable across re-runs of the same change: rule, path, and the normalised changed lines. */
  fingerprint: string;
}

export type ClaimKind = "arithmetic" | "wording" | "coverage";

export interface ClaimCheck {
  kind: ClaimKind;
  /** true when the claim holds (e.g. the ratio matches); false when it is wrong or misleading. */
  ok: boolean;
  /** The claim as found in the commit message, trimmed. */
  claim: string;
  /** What the bot says about it, one or two sentences. */
  note: string;
}

export interface PatchReview {
  source: string;
  position: number;
  subject?: string;
  messageId?: string;
  author?: Person;
  /** The reviewed patch (absent for skipped and error entries). */
  patch?: Patch;
  findings: Finding[];
  /** Commit-message checks; only run when the patch has findings. */
  claims: ClaimCheck[];
  skipped?: string;
  error?: string;
}

export interface Review {
  patches: PatchReview[];
}

/** Gives the whole pre- or post-image of a file when the caller has it (a kernel tree, the forge's contents API). */
export interface FileSource {
  /** Text of `path` as it was before the patch, or undefined if unknown. */
  before(path: string): string | undefined;
  /** Text of `path` after the patch, or undefined if unknown. */
  after?(path: string): string | undefined;
  /** Describes the source for the review's basis line, e.g. "kernel tree /usr/src/linux". */
  describe(): string;
}
