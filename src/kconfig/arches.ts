import type { SymbolLookup, Tristate } from "./evaluate.js";

// Architecture symbols are defined only in their own arch/<dir>/Kconfig, so on any other architecture they
// are undefined and evaluate to n (domain.md §4, §4.1). Within its architecture a symbol is either always y
// (X86 on x86) or depends on the sub-architecture or machine chosen (X86_64, PPC_POWERNV): such "variant"
// symbols stay unresolved, and results that depend on them are conditional.

export interface ArchInfo {
  /** arch/ directory name (SRCARCH). */
  dir: string;
  /** The main Kconfig symbol. */
  symbol: string;
  /** Symbols that are y whenever this architecture is built. */
  always: readonly string[];
  /** Symbols defined by this architecture whose value depends on the configuration. */
  variants: readonly string[];
}

export const ARCHES: readonly ArchInfo[] = [
  { dir: "x86", symbol: "X86", always: ["X86"], variants: ["X86_64", "X86_32", "64BIT"] },
  { dir: "arm64", symbol: "ARM64", always: ["ARM64", "64BIT"], variants: [] },
  { dir: "arm", symbol: "ARM", always: ["ARM"], variants: ["ARM_LPAE"] },
  { dir: "s390", symbol: "S390", always: ["S390", "64BIT"], variants: [] },
  {
    dir: "powerpc",
    symbol: "PPC",
    always: ["PPC"],
    variants: [
      "PPC64",
      "PPC32",
      "PPC_POWERNV",
      "PPC_PSERIES",
      "PPC_BOOK3S",
      "PPC_BOOK3S_64",
      "PPC_BOOK3E_64",
      "64BIT",
    ],
  },
  {
    dir: "riscv",
    symbol: "RISCV",
    always: ["RISCV"],
    variants: ["64BIT", "32BIT", "ARCH_RV64I", "ARCH_RV32I"],
  },
  { dir: "loongarch", symbol: "LOONGARCH", always: ["LOONGARCH", "64BIT"], variants: [] },
  { dir: "mips", symbol: "MIPS", always: ["MIPS"], variants: ["64BIT", "32BIT", "MACH_LOONGSON64"] },
  { dir: "sparc", symbol: "SPARC", always: ["SPARC"], variants: ["SPARC64", "SPARC32", "64BIT"] },
  { dir: "parisc", symbol: "PARISC", always: ["PARISC"], variants: ["64BIT", "PA20"] },
  { dir: "alpha", symbol: "ALPHA", always: ["ALPHA", "64BIT"], variants: [] },
  { dir: "sh", symbol: "SUPERH", always: ["SUPERH"], variants: [] },
  { dir: "m68k", symbol: "M68K", always: ["M68K"], variants: [] },
  { dir: "arc", symbol: "ARC", always: ["ARC"], variants: [] },
  { dir: "csky", symbol: "CSKY", always: ["CSKY"], variants: [] },
  { dir: "hexagon", symbol: "HEXAGON", always: ["HEXAGON"], variants: [] },
  { dir: "microblaze", symbol: "MICROBLAZE", always: ["MICROBLAZE"], variants: [] },
  { dir: "nios2", symbol: "NIOS2", always: ["NIOS2"], variants: [] },
  { dir: "openrisc", symbol: "OPENRISC", always: ["OPENRISC"], variants: [] },
  { dir: "xtensa", symbol: "XTENSA", always: ["XTENSA"], variants: [] },
  // UML reuses arch/x86/um/Kconfig, which defines X86_32/X86_64 but not X86.
  { dir: "um", symbol: "UML", always: ["UML"], variants: ["64BIT", "X86_64", "X86_32"] },
];

/**
 * Architectures removed from mainline that old patches still name: they get a row only when the patch's Kconfig
 * names their symbol. IA-64 went in v6.7 (cf8e8658100d).
 */
export const RETIRED_ARCHES: readonly ArchInfo[] = [
  { dir: "ia64", symbol: "IA64", always: ["IA64", "64BIT"], variants: [] },
];

/**
 * Symbols of architectures removed from mainline, still seen in older patches: n everywhere now.
 * IA64 went in v6.7 (cf8e8658100d); the others earlier.
 */
export const RETIRED_ARCH_SYMBOLS: readonly string[] = [
  "IA64",
  "H8300",
  "NDS32",
  "AVR32",
  "BLACKFIN",
  "CRIS",
  "FRV",
  "M32R",
  "METAG",
  "MN10300",
  "SCORE",
  "TILE",
  "UNICORE32",
];

/** Options no real (defconfig or distro) configuration enables: taken as n so results are not all conditional. */
export const BUILD_COVERAGE_SYMBOLS: readonly string[] = ["COMPILE_TEST"];

const ARCH_SYMBOLS = new Set<string>([
  ...ARCHES.flatMap((a) => [...a.always, ...a.variants]),
  ...RETIRED_ARCH_SYMBOLS,
]);

/** True when the symbol is defined by some architecture (or a retired one). */
export function isArchSymbol(name: string): boolean {
  return ARCH_SYMBOLS.has(name);
}

export function archByDir(dir: string): ArchInfo | undefined {
  return ARCHES.find((a) => a.dir === dir);
}

/**
 * The value of architecture symbols when building `arch`: y for its always-on symbols, unknown for its
 * variants, n for every other architecture's symbols; undefined (not an arch symbol) for anything else.
 */
export function archLookup(arch: ArchInfo): SymbolLookup {
  const always = new Set(arch.always);
  const variants = new Set(arch.variants);
  return (name): Tristate | undefined => {
    if (always.has(name)) return 2;
    if (variants.has(name)) return undefined;
    if (ARCH_SYMBOLS.has(name) || BUILD_COVERAGE_SYMBOLS.includes(name)) return 0;
    return undefined;
  };
}
