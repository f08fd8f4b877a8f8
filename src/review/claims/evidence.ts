// What a benchmark ran (workloads) and on what (platforms, link speeds, kernel), and which topics the message
// discusses at all. Topics are matched as words: a message that mentions storage, even to dismiss it, is
// taken to have considered it.

import { oneLine, sentenceAround } from "./text.js";

export type WorkloadCategory = "network" | "latency" | "storage" | "application";

export interface Workload {
  name: string;
  category: WorkloadCategory;
}

const WORKLOADS: ReadonlyArray<[RegExp, WorkloadCategory]> = [
  [
    /\b(?:iperf3?|netperf|sockperf|qperf|pktgen|testpmd|TCP_STREAM|UDP_STREAM|TCP_MAERTS|ib_(?:write|read|send)_bw)\b/gi,
    "network",
  ],
  [/\b(?:TCP_RR|UDP_RR|TCP_CRR|ib_(?:write|read|send)_lat)\b/gi, "latency"],
  [/\b(?:fio|hdparm|blktests|vdbench|diskspd)\b/gi, "storage"],
  [
    /\b(?:redis-benchmark|memtier_benchmark|memcached|memtier|nginx|wrk|pgbench|sysbench|mysqlslap|redis)\b/gi,
    "application",
  ],
];

const PLATFORM_RES: readonly RegExp[] = [
  // Cloud instance types: AWS m8g.metal-24xl / c7gn.16xlarge, GCP c4a-standard-8, Azure Standard_D4ps_v5.
  /\b[a-z]{1,3}\d{1,2}[a-z]{0,4}\.(?:metal(?:-\d{1,3}xl)?|\d{0,3}x?large|medium|small|micro|nano)\b/gi,
  /\b[a-z]\d[a-z]?-(?:standard|highmem|highcpu)-\d{1,3}\b/gi,
  /\bStandard_[A-Z][A-Za-z0-9_]{1,20}\b/g,
  // SoCs and server CPUs.
  /\b(?:Graviton[ ]?\d?|AmpereOne|Ampere Altra(?: Max)?|Altra(?: Max)?|Kunpeng[ ]?\d{0,4}|ThunderX\d?|Neoverse[- ]?[NVE]\d|Grace Hopper|Snapdragon[ ]?\w{0,8}|(?:sc|sm|sdm|msm|qcs|qcm|x1e)\d{3,5}|RK\d{4}|i\.MX[ ]?\d\w{0,4}|Tegra\w{0,6}|Jetson[ ]?\w{0,8}|Exynos[ ]?\d{0,4}|Dimensity[ ]?\d{0,5}|Cortex-A\d{2,3}|EPYC[ ]?\d{0,4}\w?|Xeon\b(?:[ ][A-Z][a-z]+)?|Apple M\d|BCM\d{4}|Raspberry Pi[ ]?\d?|Yitian[ ]?\d{0,3}|Cobalt[ ]?\d{0,3}|Juno)\b/gi,
];

const KERNEL_RE =
  /\b(?:(?:kernel|linux)[ \t](?:version[ \t])?v?|v)(\d{1,2}\.\d{1,2}(?:\.\d{1,3})?(?:-rc\d{1,2})?)(?![\w.])/gi;
const BARE_METAL_RE = /\bbare[- ]metal\b/i;

/** A link of 25GbE or slower, or words about slower links. */
const SLOWER_LINK_RE =
  /\b(?:(?:1|2\.5|5|10|25)[ \t]?(?:GbE|GigE|G(?:b(?:it)?)?[ \t]Ethernet|Gigabit)\b|gigabit|slower links?|lower[- ]speed|low[- ]bandwidth)/i;
const EMBEDDED_RE =
  /\b(?:embedded|mobile|phones?|handsets?|laptops?|chromebooks?|tablets?|IoT|automotive|SoCs?|Android|client devices?)\b/i;

const TOPICS = {
  network: /\b(?:network\w*|NICs?|Ethernet|GbE|TCP|UDP|packets?|iperf3?|netperf|RDMA)\b/i,
  storage:
    /\b(?:storage|block (?:I\/O|IO|device|layer)|NVMe|SSDs?|disks?|fio|IOPS|SAS|SATA|eMMC|UFS|HDDs?|RAID)\b/i,
  latency:
    /\b(?:latenc(?:y|ies)|small[- ](?:packets?|messages?|I\/O|IO|requests?)|TCP_RR|UDP_RR|request[/-]response|round[- ]trip|RTT|pps|packets per second|64[- ]?bytes?|p99)\b/i,
  cpu: /\bCPU[- ]?(?:utili[sz]ation|usage|load|time|cost|overhead|cycles|consumption|util|%)|\b(?:utili[sz]ation|mpstat|softirq|sys(?:tem)? time|cycles per)\b|%[ \t]?CPU\b/i,
  forcedStrict:
    /\b(?:untrusted|external[- ]facing|thunderbolt|USB4|hot-?plug\w*|IOMMU_CAP_DEFERRED_FLUSH|deferred[- ]flush (?:support|capabilit\w*)|forced? (?:to )?strict|always (?:use )?strict|stay strict|remain strict|def_domain_type|bounce buffer\w*|swiotlb)\b/i,
  virtualised:
    /\b(?:VMs?|virtual machines?|guests?|virtuali[sz](?:ed|ation)|hypervisors?|KVM|Xen|Hyper-V|virtio-iommu|vIOMMU|caching mode|nested translation|stage-?2)\b/i,
  security:
    /\b(?:secur\w*|isolation|protect\w*|attack\w*|malicious|exploit\w*|threats?|robust\w*|use-after-(?:free|unmap)|stale (?:TLB|IOTLB|translations?|entries|mappings?)|lazy window|flush[- ]queue (?:delay|window|timeout)|vulnerab\w*|TOCTOU)\b/i,
} as const;

export type Topic = keyof typeof TOPICS;

export interface BenchmarkContext {
  workloads: Workload[];
  /** Distinct machines or SoCs named, as written the first time. */
  platforms: string[];
  kernels: string[];
  bareMetal: boolean;
  mentionsSlowerLinks: boolean;
  mentionsEmbedded: boolean;
  topics: Record<Topic, boolean>;
  /** The sentence that sets up the benchmark (names the workload or the machine), trimmed. */
  setup?: string;
}

const MAX_NAMES = 20;

/** Distinct matches (case-insensitive), first spelling kept, with the position of the first. */
function distinctMatches(text: string, re: RegExp): Array<{ name: string; index: number }> {
  const seen = new Map<string, { name: string; index: number }>();
  for (const m of text.matchAll(re)) {
    if (seen.size >= MAX_NAMES) break;
    const name = (m[1] ?? m[0]).trim();
    const key = name.toLowerCase();
    if (!seen.has(key)) seen.set(key, { name, index: m.index });
  }
  return [...seen.values()];
}

function findWorkloads(text: string): Array<Workload & { index: number }> {
  return WORKLOADS.flatMap(([re, category]) =>
    distinctMatches(text, re).map(({ name, index }) => ({ name, category, index })),
  ).sort((a, b) => a.index - b.index);
}

function findPlatforms(text: string): Array<{ name: string; index: number }> {
  return PLATFORM_RES.flatMap((re) => distinctMatches(text, re)).sort((a, b) => a.index - b.index);
}

function topicsOf(text: string): Record<Topic, boolean> {
  const entries = Object.entries(TOPICS).map(([topic, re]) => [topic, re.test(text)] as const);
  return Object.fromEntries(entries) as Record<Topic, boolean>;
}

export function readBenchmarkContext(text: string): BenchmarkContext {
  const workloads = findWorkloads(text);
  const platforms = findPlatforms(text);
  const firstMention = Math.min(workloads[0]?.index ?? Infinity, platforms[0]?.index ?? Infinity);
  const setupSpan = Number.isFinite(firstMention)
    ? sentenceAround(text, firstMention, firstMention)
    : undefined;
  return {
    workloads: workloads.map(({ name, category }) => ({ name, category })),
    platforms: platforms.map((p) => p.name),
    kernels: distinctMatches(text, KERNEL_RE).map((k) => k.name),
    bareMetal: BARE_METAL_RE.test(text),
    mentionsSlowerLinks: SLOWER_LINK_RE.test(text),
    mentionsEmbedded: EMBEDDED_RE.test(text),
    topics: topicsOf(text),
    setup: setupSpan ? oneLine(text.slice(setupSpan.start, setupSpan.end)) : undefined,
  };
}
