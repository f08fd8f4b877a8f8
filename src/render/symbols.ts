// Short names for the values of a per-arch table, exact thanks to a legend: when every value is a bare
// Kconfig symbol and all share a prefix up to an underscore (IOMMU_DEFAULT_DMA_LAZY, IOMMU_DEFAULT_DMA_STRICT),
// the prefix is dropped (LAZY, STRICT). Anything else (conditional strings, y/n values) is shown in full.

export interface SymbolNames {
  short(value: string): string;
  /** Short name → full symbol, in order of first appearance; empty when nothing was shortened. */
  legend: { short: string; full: string }[];
}

const BARE_SYMBOL = /^[A-Z][A-Z0-9_]*$/;

const FULL_NAMES: SymbolNames = { short: (value) => value, legend: [] };

export function shortSymbolNames(values: readonly string[]): SymbolNames {
  const distinct = [...new Set(values)];
  if (distinct.length === 0 || !distinct.every((v) => BARE_SYMBOL.test(v))) return FULL_NAMES;
  const prefix = sharedPrefixToUnderscore(distinct);
  if (!prefix || distinct.some((v) => v.length === prefix.length)) return FULL_NAMES;
  return {
    short: (value) => (distinct.includes(value) ? value.slice(prefix.length) : value),
    legend: distinct.map((full) => ({ short: full.slice(prefix.length), full })),
  };
}

function sharedPrefixToUnderscore(values: readonly string[]): string {
  let prefix = values[0] ?? "";
  for (const v of values) {
    let i = 0;
    while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++;
    prefix = prefix.slice(0, i);
  }
  return prefix.slice(0, prefix.lastIndexOf("_") + 1);
}
