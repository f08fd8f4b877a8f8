// Part of the build: validates the shipped rules and caches the result for the dry run (see src/rules/cache.ts).

import { writeRulesCache } from "../lib/rules/cache.js";
import { DEFAULT_RULES_DIR } from "../lib/rules/defaults.js";

const n = await writeRulesCache(DEFAULT_RULES_DIR);
console.log(`validated ${n} rules`);
