// Records the Kconfig facts the rules need (rules/kconfig-facts.json) from a kernel source tree, using the
// kernel's own Kconfig tool: for each symbol an IOMMU default can depend on, the architectures on which it can be
// enabled at all, and its value in each architecture's default defconfig. Facts only: no kernel text is copied.
//
//   npm run record-kconfig -- --tree DIR [--out FILE] [--jobs N]
//
// "Can be enabled" is read from allyesconfig and allmodconfig with COMPILE_TEST off (a driver that builds
// anywhere for compile coverage is not one a real configuration of that architecture can use), and with IOMMUFD
// and VFIO off: both select IOMMU_API on every architecture, even where no IOMMU driver exists, so with them on
// every architecture would count as having an IOMMU.

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs, promisify } from "node:util";

const run = promisify(execFile);

/** Symbols outside drivers/iommu/ that IOMMU defaults and their drivers commonly depend on. */
const EXTRA_SYMBOLS = [
  "PCI",
  "PCI_MSI",
  "ACPI",
  "OF",
  "MMU",
  "HAS_DMA",
  "PPC_POWERNV",
  "PPC_PSERIES",
  "HYPERV",
];

/** Off while reading what can be enabled: compile coverage, and the user-space interfaces that select IOMMU_API. */
const OFF_FOR_POSSIBLE = ["COMPILE_TEST", "IOMMUFD", "VFIO"];

function usage(message) {
  process.stderr.write(
    `record-kconfig: ${message}\nusage: npm run record-kconfig -- --tree DIR [--out FILE]\n`,
  );
  process.exit(2);
}

function kernelVersion(tree) {
  const make = readFileSync(join(tree, "Makefile"), "utf8");
  const field = (name) => new RegExp(`^${name}[ \\t]*=[ \\t]*(\\S*)`, "m").exec(make)?.[1] ?? "";
  const extra = field("EXTRAVERSION");
  return `${field("VERSION")}.${field("PATCHLEVEL")}.${field("SUBLEVEL")}${extra}`;
}

/** Every symbol a Kconfig file under drivers/iommu/ defines. */
function iommuSymbols(tree) {
  const out = new Set();
  const walk = (dir) => {
    for (const d of readdirSync(join(tree, dir), { withFileTypes: true })) {
      const p = `${dir}/${d.name}`;
      if (d.isDirectory()) walk(p);
      else if (d.name.startsWith("Kconfig"))
        for (const m of readFileSync(join(tree, p), "utf8").matchAll(
          /^\s*(?:menu)?config\s+([A-Za-z0-9_]+)/gm,
        ))
          out.add(m[1]);
    }
  };
  walk("drivers/iommu");
  // Choice members are the defaults themselves, not what they depend on.
  for (const s of [...out]) if (/^IOMMU_DEFAULT_/.test(s)) out.delete(s);
  return [...out, ...EXTRA_SYMBOLS].sort();
}

function arches(tree) {
  return readdirSync(join(tree, "arch"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(tree, "arch", d.name, "Kconfig")))
    .map((d) => d.name)
    .sort();
}

function readConfig(file) {
  const values = new Map();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const set = /^CONFIG_([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (set) values.set(set[1], set[2]);
  }
  return values;
}

async function configsOf(tree, arch, work) {
  const out = join(work, arch);
  const offForPossible = join(work, `${arch}.allconfig`);
  writeFileSync(offForPossible, OFF_FOR_POSSIBLE.map((s) => `# CONFIG_${s} is not set\n`).join(""));
  const make = async (target, env = {}) => {
    await run("make", ["-s", `ARCH=${arch}`, `O=${out}`, target], {
      cwd: tree,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return readConfig(join(out, ".config"));
  };
  const allyes = await make("allyesconfig", { KCONFIG_ALLCONFIG: offForPossible });
  const allmod = await make("allmodconfig", { KCONFIG_ALLCONFIG: offForPossible });
  const defconfig = await make("defconfig");
  return { allyes, allmod, defconfig };
}

async function pool(items, jobs, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(jobs, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]);
      }
    }),
  );
  return results;
}

/** The facts of `tree`, as written to rules/kconfig-facts.json. */
export async function recordKconfigFacts(tree, { jobs = availableParallelism(), only } = {}) {
  const work = mkdtempSync(join(tmpdir(), "record-kconfig-"));
  try {
    const archList = only ?? arches(tree);
    const symbols = iommuSymbols(tree);
    const configs = await pool(archList, jobs, async (arch) => {
      try {
        return await configsOf(tree, arch, work);
      } catch (e) {
        throw new Error(`make ARCH=${arch} failed: ${String(e.stderr || e.message).split("\n")[0]}`);
      }
    });
    const facts = {};
    for (const s of symbols) {
      const possible = [];
      const defconfig = {};
      archList.forEach((arch, i) => {
        const c = configs[i];
        const on = (v) => v === "y" || v === "m";
        if (on(c.allyes.get(s)) || on(c.allmod.get(s))) possible.push(arch);
        const d = c.defconfig.get(s);
        if (on(d)) defconfig[arch] = d;
      });
      facts[s] = { possible, defconfig };
    }
    return {
      kernel: kernelVersion(tree),
      recordedWith: "npm run record-kconfig -- --tree DIR",
      method:
        "possible: y or m in make allyesconfig or allmodconfig with COMPILE_TEST, IOMMUFD and VFIO off; defconfig: value after make defconfig (n when absent)",
      arches: archList,
      symbols: facts,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { tree: { type: "string" }, out: { type: "string" }, jobs: { type: "string" } },
    }));
  } catch (e) {
    usage(e.message);
  }
  if (!values.tree) usage("--tree DIR is required");
  if (!existsSync(join(values.tree, "Kconfig")) || !existsSync(join(values.tree, "arch")))
    usage(`${values.tree}: not a kernel source tree (no top-level Kconfig or arch/)`);
  const out = values.out ?? new URL("../rules/kconfig-facts.json", import.meta.url).pathname;
  try {
    const facts = await recordKconfigFacts(values.tree, {
      jobs: Number(values.jobs) || availableParallelism(),
    });
    writeFileSync(out, `${JSON.stringify(facts, null, 1)}\n`);
    console.log(
      `recorded ${Object.keys(facts.symbols).length} symbols on ${facts.arches.length} arches of ${facts.kernel} in ${out}`,
    );
  } catch (e) {
    process.stderr.write(`record-kconfig: ${e.message}\n`);
    process.exit(1);
  }
}
