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
  return (
    named?.name ?? /^arch\/([^/]+)\//.exec(path)?.[1] ?? path.replace(/^.*\//, "").replace(/\.[ch]$/, "")
  );
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

/** The condition of an `if (...)` / `} else if (...)` line, without the keyword and the brace. */
function conditionText(text: string): string {
  const t = text.trim().replace(/\s+/g, " ");
  const m = /^(?:\}\s*)?(?:else\s+)?(?:if|while|switch)\s*\((.*)\)\s*\{?$/.exec(t);
  return m ? m[1]!.trim() : t.replace(/\s*\{$/, "");
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
  const conditionOf = (kind: "add" | "del") =>
    lines
      .filter((l) => l.line.kind === kind)
      .map((l) => (isCondition(l.line.text) ? l.line.text : isCondition(l.guard) ? l.guard : ""))
      .find((t) => t !== "");
  const added = conditionOf("add");
  const removed = conditionOf("del");
  const what = [
    now.length ? `can now return ${listWords(now)}` : "",
    gone.length ? `no longer returns ${listWords(gone)} where it did` : "",
  ].filter((s) => s !== "");
  const verb = what.length ? what.join(" and ") : "changes how it decides";
  const whom = added
    ? ` for devices where ${code(conditionText(added))}${removed && !now.length && !gone.length ? ` (was ${code(conditionText(removed))})` : ""}`
    : removed
      ? ` for devices where ${code(conditionText(removed))}`
      : "; which devices this reaches cannot be told from the hunk";
  return `${fn}(), which picks a device's default domain type, ${verb}${whom}`;
}

/** What the rule says the line means, if one of its `effects` matches. */
function meaning(rule: Rule, text: string): string | undefined {
  return rule.match.effects?.find((e) => new RegExp(e.when).test(text))?.says;
}

function patternSentence(rule: Rule, driver: string, first: CLine, all: CLine[]): string {
  const twin = all.find(
    (o) =>
      o !== first &&
      o.line.kind !== first.line.kind &&
      o.line.kind !== "context" &&
      o.line.text.trim() === first.line.text.trim(),
  );
  const said = meaning(rule, first.line.text);
  const where = (l: CLine) =>
    isCondition(l.guard) ? `when ${code(conditionText(l.guard))}` : l.fn ? `in ${l.fn}()` : "";
  if (twin) {
    const [from, to] = first.line.kind === "add" ? [twin, first] : [first, twin];
    const anchors = (rule.match.orderAnchors ?? []).map((a) => new RegExp(a));
    const anchor = all.find((l) => l.line.kind !== "del" && anchors.some((a) => a.test(l.line.text)));
    const target =
      where(from) !== where(to) || !anchor
        ? `from ${where(from) || "where it was"} to ${where(to) || "another place"}`
        : `to ${all.indexOf(to) > all.indexOf(anchor) ? "after" : "before"} ${code(anchor.line.text)}${where(to) ? ` ${where(to)}` : ""}`;
    const moved = `the patch moves ${code(first.line.text)} ${target}`;
    return `${driver}: ${moved}${said ? `; that line is where ${said}` : ""}`;
  }
  const place = where(first);
  const unknown = isCondition(first.guard)
    ? ""
    : `; the hunk shows no condition on it, so who it reaches cannot be told from the patch beyond ${driver}`;
  if (first.line.kind === "add")
    return `${driver}: the patch adds ${code(first.line.text)}${place ? ` ${place}` : ""}${said ? `, so ${said}` : ""}${unknown}`;
  return `${driver}: the patch removes ${code(first.line.text)}${place ? ` ${place}` : ""}${said ? `, the line by which ${said}` : ""}${unknown}`;
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
  return patternSentence(rule, driver, real.find((l) => l.line.kind === "add") ?? real[0]!, all);
}
