import { listWords } from "../context.js";
import { matchesAny } from "../glob.js";
import type { Rule } from "../load.js";
import type { CLine } from "./c-hunks.js";

// The one sentence a c-code finding opens with: what the hunk changes and for whom, said only from what the
// patch shows. Where the devices it reaches cannot be told from the hunk, the sentence says so.

const code = (text: string) => `\`${text.trim().replace(/\s+/g, " ")}\``;
const isCondition = (text: string) => /^(?:\}\s*)?(?:if|else|switch|case)\b/.test(text.trim());

/** The driver or subsystem a path belongs to, as the rule names it (match.drivers), else the file name. */
export function driverOf(rule: Rule, path: string): string {
  const named = rule.match.drivers?.find((d) => matchesAny(path, [d.path]));
  return named?.name ?? path.replace(/^.*\//, "").replace(/\.[ch]$/, "");
}

/** What a table entry names: compatible strings, else PCI/USB ids, else the entry as written. */
function entryName(text: string): string {
  const quoted = /"([^"]+)"/.exec(text);
  if (quoted) return `"${quoted[1]}"`;
  const ids = text.match(/0x[0-9A-Fa-f]+/g);
  return ids ? ids.join(":") : code(text.replace(/,\s*$/, ""));
}

function tableSentence(table: string, lines: CLine[]): string {
  const added = lines.filter((l) => l.line.kind === "add").map((l) => entryName(l.line.text));
  const removed = lines.filter((l) => l.line.kind === "del").map((l) => entryName(l.line.text));
  const parts: string[] = [];
  if (added.length)
    parts.push(
      `devices matching ${listWords(added.slice(0, 4))}${added.length > 4 ? " and others" : ""} are added to ${table}`,
    );
  if (removed.length)
    parts.push(`${listWords(removed.slice(0, 4))}${removed.length > 4 ? " and others" : ""} leave ${table}`);
  return `${parts.join(", and ")}, the table that gives matching devices their default domain type`;
}

function decisionSentence(fn: string, lines: CLine[]): string {
  const types = (kind: "add" | "del") => [
    ...new Set(
      lines
        .filter((l) => l.line.kind === kind)
        .flatMap((l) => l.line.text.match(/\bIOMMU_DOMAIN_\w+/g) ?? []),
    ),
  ];
  const now = types("add");
  const gone = types("del").filter((t) => !now.includes(t));
  const condition = lines
    .map((l) => (isCondition(l.line.text) ? l.line.text : isCondition(l.guard) ? l.guard : ""))
    .find((t) => t !== "");
  const what = [
    now.length ? `can now return ${listWords(now)}` : "",
    gone.length ? `no longer returns ${listWords(gone)} where it did` : "",
  ].filter((s) => s !== "");
  const verb = what.length ? what.join(" and ") : "changes how it decides";
  const whom = condition
    ? `for devices where ${code(condition)}`
    : "; which devices this reaches cannot be told from the hunk";
  return `${fn}(), which picks a device's default domain type, ${verb} ${whom}`.replace(" ;", ";");
}

export function describeEffect(rule: Rule, path: string, real: CLine[], all: CLine[]): string {
  const driver = driverOf(rule, path);
  const tables = new Set(rule.match.tables ?? []);
  const inTable = real.filter((l) => l.block && tables.has(l.block));
  if (inTable.length) return `${driver}: ${tableSentence(inTable[0]!.block!, inTable)}`;
  const hooks = (rule.match.hooks ?? []).map((h) => new RegExp(h));
  const hook = real
    .map((l) => ({ l, m: hooks.map((h) => h.exec(l.line.text)).find((m) => m) }))
    .find((x) => x.m);
  if (hook)
    return `${driver}: ${hook.m![1]}() now also picks the default domain type of the devices behind ${hook.l.block ?? "a new ops structure"}`;
  const functions = (rule.match.functions ?? []).map((f) => new RegExp(f));
  const decision = real.find((l) => l.fn && functions.some((f) => f.test(l.fn!)));
  if (decision)
    return `${driver}: ${decisionSentence(
      decision.fn!,
      real.filter((l) => l.fn === decision.fn),
    )}`;
  const first = real.find((l) => l.line.kind === "add") ?? real[0]!;
  const moved = all.some(
    (o) =>
      o !== first &&
      o.line.kind !== first.line.kind &&
      o.line.kind !== "context" &&
      o.line.text.trim() === first.line.text.trim(),
  );
  const verb = moved ? "moves" : first.line.kind === "add" ? "adds" : "removes";
  const where = isCondition(first.guard)
    ? ` under ${code(first.guard)}`
    : first.fn
      ? ` in ${first.fn}()`
      : "";
  return `${driver}: the patch ${verb} ${code(first.line.text)}${where}; which systems or devices it reaches depends on that path`;
}
