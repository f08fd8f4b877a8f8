// Splits a patch mail subject into its bracketed tags and its title, the way `git am` strips them.

export interface ParsedSubject {
  /** The subject without reply markers and without the leading bracket groups. */
  title: string;
  /** N of "vN"; 1 when there is none. */
  version: number;
  /** N of "N/M"; undefined for a single patch. */
  seriesIndex?: number;
  /** M of "N/M". */
  seriesTotal?: number;
  rfc: boolean;
  /** The words of the bracket groups other than "vN" and "N/M", in order: ["RFC", "PATCH", "net-next"]. */
  prefixes: string[];
  /** The subject starts with a reply marker ("Re:", "RE:", "AW:", "SV:"). */
  isReply: boolean;
}

const REPLY_MARKER = /^(re|aw|sv)(\[\d+\])?\s*:\s*/i;
const FORWARD_MARKER = /^(fwd?|fw)\s*:\s*/i;
const BRACKET_GROUP = /^\[([^\]]*)\]\s*/;
const VERSION = /^v(\d+)$/i;
/** "PATCHv2", "RFCv3": a tag glued to its version. */
const GLUED_VERSION = /^([a-z]+)v(\d+)$/i;
const SERIES_POSITION = /^(\d+)\/(\d+)$/;

export function parseSubject(subject: string): ParsedSubject {
  let rest = subject.replace(/\s+/g, " ").trim();
  const result: ParsedSubject = { title: "", version: 1, rfc: false, prefixes: [], isReply: false };

  for (;;) {
    const reply = REPLY_MARKER.exec(rest);
    if (reply) {
      result.isReply = true;
      rest = rest.slice(reply[0].length);
      continue;
    }
    const forward = FORWARD_MARKER.exec(rest);
    if (forward) {
      rest = rest.slice(forward[0].length);
      continue;
    }
    const group = BRACKET_GROUP.exec(rest);
    if (group) {
      readTags(group[1]!, result);
      rest = rest.slice(group[0].length);
      continue;
    }
    break;
  }

  result.title = rest;
  return result;
}

function readTags(group: string, into: ParsedSubject): void {
  for (const word of group.split(/[\s,]+/)) {
    if (word === "") continue;
    const version = VERSION.exec(word);
    if (version) {
      into.version = Number(version[1]);
      continue;
    }
    const position = SERIES_POSITION.exec(word);
    if (position) {
      into.seriesIndex = Number(position[1]);
      into.seriesTotal = Number(position[2]);
      continue;
    }
    const glued = GLUED_VERSION.exec(word);
    const tag = glued && /^(patch|rfc)$/i.test(glued[1]!) ? glued[1]! : word;
    if (glued && tag !== word) into.version = Number(glued[2]);
    if (/^rfc$/i.test(tag)) into.rfc = true;
    into.prefixes.push(tag);
  }
}
