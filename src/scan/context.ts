// The review context a scan thread works with, built the same way on the main thread and in each worker from
// plain data that can be sent to a worker.

import { compileWatch } from "../ingest/watch.js";
import { treeReviewOptions } from "../kconfig/tree-review.js";
import type { Rule } from "../rules/load.js";
import type { Limits } from "./limits.js";
import type { ReviewContext } from "./review-piece.js";

export interface ContextInit {
  rules: readonly Rule[];
  limits: Limits;
  /** A kernel source tree (--tree). */
  tree?: string;
  verifyPrefilter?: boolean;
}

export function createReviewContext(init: ContextInit): ReviewContext {
  const ctx: ReviewContext = { rules: init.rules, watch: compileWatch(init.rules), limits: init.limits };
  if (init.tree) Object.assign(ctx, treeReviewOptions(init.tree));
  if (init.verifyPrefilter) ctx.verifyPrefilter = true;
  return ctx;
}
