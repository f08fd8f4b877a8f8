import type { FileSource } from "../model.js";
import { type DefconfigSource, treeDefconfigs } from "./defconfigs.js";
import type { SymbolResolver } from "./effective.js";
import { bundledFacts, type KconfigFacts } from "./facts.js";
import { treeFileSource, treeKernelVersion, treeResolver } from "./tree.js";

/**
 * What reviewing against a kernel tree uses: its whole files, its `depends on` per architecture, and the
 * bundled Kconfig facts only when they were recorded from the same major.minor release (null otherwise).
 */
export function treeReviewOptions(dir: string): {
  files: FileSource;
  resolver: SymbolResolver;
  facts: KconfigFacts | null;
  defconfigs: DefconfigSource;
} {
  const release = (v: string | undefined) => v?.split(".").slice(0, 2).join(".");
  const facts = bundledFacts();
  const same = facts && release(facts.kernel) === release(treeKernelVersion(dir));
  const matching = same ? facts : null;
  return {
    files: treeFileSource(dir),
    resolver: treeResolver(dir),
    facts: matching,
    defconfigs: treeDefconfigs(dir, matching),
  };
}
