// format=flowed text (RFC 3676) into fixed lines. postal-mime's decoder joins a flowed line with the next one
// whatever their quote depths, so a quoted line ending in a space swallowed the author's own first line below
// it; here only lines of the same quote depth are joined (RFC 3676 4.5), and the quote marks are kept.

/** The Content-Type parameters that say how a text/plain body is flowed, or undefined when it is not. */
export interface FlowedParams {
  delSp: boolean;
}

const SIGNATURE_SEPARATOR = "-- ";

interface FlowedLine {
  depth: number;
  text: string;
  /** Ends with a soft line break: the next line of the same depth continues it. */
  flowed: boolean;
}

function readLine(raw: string): FlowedLine {
  let depth = 0;
  while (raw[depth] === ">") depth++;
  let text = raw.slice(depth);
  // Space-stuffing (RFC 3676 4.4): one space after the quote marks, or at the start of an unquoted line.
  if (text.startsWith(" ")) text = text.slice(1);
  const flowed = text.endsWith(" ") && text !== SIGNATURE_SEPARATOR;
  return { depth, text, flowed };
}

function quotePrefix(depth: number): string {
  return depth === 0 ? "" : `${">".repeat(depth)} `;
}

/** `text` (lines ending in "\n" or "\r\n") unflowed: each paragraph on one line, quoted ones with "> " marks. */
export function decodeFlowed(text: string, { delSp }: FlowedParams): string {
  const lines = text.split(/\r?\n/);
  const trailingNewline = lines.at(-1) === "";
  if (trailingNewline) lines.pop();
  const out: string[] = [];
  let open: { depth: number; parts: string[] } | undefined;
  const close = () => {
    if (!open) return;
    const joined = open.parts.join("");
    out.push(joined === "" ? quotePrefix(open.depth).trimEnd() : quotePrefix(open.depth) + joined);
    open = undefined;
  };
  for (const raw of lines) {
    const line = readLine(raw);
    // A flowed line followed by one of another depth is improperly flowed: it ends where it is.
    if (open && open.depth !== line.depth) close();
    const part = line.flowed && delSp ? line.text.slice(0, -1) : line.text;
    if (open) open.parts.push(part);
    else open = { depth: line.depth, parts: [part] };
    if (!line.flowed) close();
  }
  close();
  return out.join("\n") + (trailingNewline ? "\n" : "");
}

/** The flowed parameters of a Content-Type value ("text/plain; format=flowed; delsp=yes"), if it is flowed. */
export function flowedParams(contentType: string | undefined): FlowedParams | undefined {
  if (!contentType) return undefined;
  const params = new Map<string, string>();
  for (const param of contentType.split(";").slice(1)) {
    const at = param.indexOf("=");
    if (at < 0) continue;
    params.set(
      param.slice(0, at).trim().toLowerCase(),
      param
        .slice(at + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .toLowerCase(),
    );
  }
  if (params.get("format") !== "flowed") return undefined;
  return { delSp: params.get("delsp") === "yes" };
}
