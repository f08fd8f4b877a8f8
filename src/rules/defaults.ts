import { fileURLToPath } from "node:url";

/** The rules shipped with iommu-review (rules/ at the package root, beside lib/ and src/). */
export const DEFAULT_RULES_DIR = fileURLToPath(new URL("../../rules", import.meta.url));
