// Which rules' known arguments a thread is expected to get to: the rules that fire on the thread's own patches.
// When none fires (a thread the bot was pointed at by hand), no known argument is expected: listing every rule's
// arguments as "not yet discussed" would mostly list what the thread is not about. The digest says so in a line.

import { messageToItem } from "../parse/patch.js";
import { reviewPatch } from "../review/review.js";
import type { Rule } from "../rules/load.js";
import type { RulesBasis } from "./digest.js";
import type { Thread } from "./model.js";

export interface RelevantRules {
  rules: Rule[];
  basis: RulesBasis;
}

function inRuleOrder(ids: ReadonlySet<string>, rules: readonly Rule[]): RelevantRules {
  if (ids.size === 0) return { rules: [], basis: "none" };
  return { rules: rules.filter((r) => ids.has(r.id)), basis: "findings" };
}

/** Reviews the thread's patch messages (by their raw mail) and keeps the rules that found something. */
export async function rulesFiredInThread(
  thread: Thread,
  raw: ReadonlyMap<string, Buffer>,
  rules: readonly Rule[],
): Promise<RelevantRules> {
  const fired = new Set<string>();
  for (const node of thread.nodes) {
    const bytes = raw.get(node.message.id);
    if (!node.message.isPatch || !bytes) continue;
    const item = await messageToItem(bytes, "thread", node.message.position);
    if (item.kind !== "patch") continue;
    for (const finding of reviewPatch(item.patch, { rules }).findings) fired.add(finding.rule);
  }
  return inRuleOrder(fired, rules);
}

/** The rules whose ids appear in a text the bot wrote (its review summary names the rules that fired). */
export function rulesNamedIn(text: string, rules: readonly Rule[]): RelevantRules {
  const named = new Set(
    rules.filter((r) => new RegExp(`(?<![\\w-])${r.id}(?![\\w-])`).test(text)).map((r) => r.id),
  );
  return inRuleOrder(named, rules);
}
