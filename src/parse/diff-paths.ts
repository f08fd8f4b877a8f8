// File names as they appear in diff headers: C-quoted names, a/ b/ prefixes, timestamps, /dev/null.

const DEV_NULL = "/dev/null";

/** git's C-style quoting ("a/caf\303\251"): escapes and octal bytes, decoded as UTF-8. */
export function unquoteCPath(quoted: string): string {
  const bytes: number[] = [];
  const end = quoted.endsWith('"') && quoted.length > 1 ? quoted.length - 1 : quoted.length;
  for (let i = 1; i < end; i++) {
    const c = quoted.charCodeAt(i);
    if (c !== 0x5c) {
      pushUtf8(bytes, quoted.codePointAt(i)!);
      if (c >= 0xd800 && c <= 0xdbff) i++;
      continue;
    }
    const next = quoted[++i];
    if (next === undefined) break;
    if (next >= "0" && next <= "7") {
      bytes.push(Number.parseInt(quoted.slice(i, i + 3), 8) & 0xff);
      i += 2;
      continue;
    }
    const escaped = ESCAPES[next];
    bytes.push(escaped ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString("utf8");
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

function pushUtf8(bytes: number[], codePoint: number): void {
  if (codePoint < 0x80) bytes.push(codePoint);
  else for (const b of Buffer.from(String.fromCodePoint(codePoint), "utf8")) bytes.push(b);
}

/** Reads one name token: a quoted name, or everything up to a tab (git and diff(1) put timestamps after one). */
export function readName(text: string): string {
  if (text.startsWith('"')) {
    const close = findClosingQuote(text);
    return unquoteCPath(text.slice(0, close + 1));
  }
  const tab = text.indexOf("\t");
  return (tab >= 0 ? text.slice(0, tab) : text).trimEnd();
}

function findClosingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i;
  }
  return text.length - 1;
}

function stripPrefix(name: string, prefix: "a/" | "b/"): string {
  return name.startsWith(prefix) ? name.slice(2) : name;
}

/** The name on a "--- " or "+++ " line (the four-character marker already removed); null for /dev/null. */
export function nameFromFileLine(value: string, prefix: "a/" | "b/"): string | null {
  const name = readName(value);
  return name === DEV_NULL ? null : stripPrefix(name, prefix);
}

/** The two names of "diff --git a/X b/Y" (the "diff --git " already removed). */
export function namesFromGitHeader(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const close = findClosingQuote(rest);
    const oldName = unquoteCPath(rest.slice(0, close + 1));
    const newName = readName(rest.slice(close + 1).trimStart());
    return [stripPrefix(oldName, "a/"), stripPrefix(newName, "b/")];
  }
  const quotedNew = rest.indexOf(' "');
  if (quotedNew >= 0) {
    return [
      stripPrefix(rest.slice(0, quotedNew), "a/"),
      stripPrefix(readName(rest.slice(quotedNew + 1)), "b/"),
    ];
  }
  // Unquoted names may contain spaces: when both sides name the same file, the line splits in the middle.
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const oldName = stripPrefix(rest.slice(0, half), "a/");
    const newName = stripPrefix(rest.slice(half + 1), "b/");
    if (rest[half] === " " && oldName === newName) return [oldName, newName];
  }
  const split = rest.indexOf(" b/");
  if (split < 0) return undefined;
  return [stripPrefix(rest.slice(0, split), "a/"), rest.slice(split + 3)];
}

/**
 * For a diff that is not git's (quilt, diff -ru): "linux.orig/x" and "linux/x" name the same file x, as
 * `patch -p1` reads them. Strips the first directory when both names have one and they differ.
 */
export function stripDifferingTopDirectories(
  oldName: string | null,
  newName: string | null,
): [string | null, string | null] {
  if (oldName === null || newName === null) return [oldName, newName];
  const oldSlash = oldName.indexOf("/");
  const newSlash = newName.indexOf("/");
  if (oldSlash <= 0 || newSlash <= 0) return [oldName, newName];
  if (oldName.slice(0, oldSlash) === newName.slice(0, newSlash)) return [oldName, newName];
  return [oldName.slice(oldSlash + 1), newName.slice(newSlash + 1)];
}
