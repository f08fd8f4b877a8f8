// The "Discussion so far" section inside the bot's summary comment, between hidden markers of its own, so it
// can be replaced in place without touching the rest of the summary (which other code writes).

export const DISCUSSION_START = "<!-- iommu-review:discussion:start -->";
export const DISCUSSION_END = "<!-- iommu-review:discussion:end -->";

/** GitHub rejects comment and review bodies longer than this. */
export const GITHUB_BODY_LIMIT = 65_536;

const NOTE_CUT = "\n\n… (the discussion digest was cut here: GitHub limits the length of a comment)\n";

function span(body: string): { start: number; end: number } | undefined {
  const start = body.indexOf(DISCUSSION_START);
  if (start < 0) return undefined;
  const endMarker = body.indexOf(DISCUSSION_END, start);
  if (endMarker < 0) return undefined;
  return { start, end: endMarker + DISCUSSION_END.length };
}

/** The section as stored (markers included), or undefined. */
export function discussionSectionOf(body: string): string | undefined {
  const at = span(body);
  return at && body.slice(at.start, at.end);
}

/** The body without the section. */
export function withoutDiscussionSection(body: string): string {
  const at = span(body);
  if (!at) return body;
  const before = body.slice(0, at.start).replace(/\s+$/, "");
  const after = body.slice(at.end).replace(/^\s+/, "");
  return `${[before, after].filter(Boolean).join("\n\n")}\n`;
}

/** Wraps rendered markdown in the markers, cut so that `room` characters are not exceeded. */
export function discussionSection(markdown: string, room = GITHUB_BODY_LIMIT): string {
  const wrapped = (text: string) => `${DISCUSSION_START}\n${text.trimEnd()}\n${DISCUSSION_END}`;
  const full = wrapped(markdown);
  if (full.length <= room) return full;
  const overhead = wrapped("").length + NOTE_CUT.length;
  if (room <= overhead) return "";
  return wrapped(markdown.slice(0, room - overhead) + NOTE_CUT);
}

/** The body with the section replaced (or appended at the end when it has none yet). */
export function withDiscussionSection(body: string, markdown: string, limit = GITHUB_BODY_LIMIT): string {
  const rest = withoutDiscussionSection(body).replace(/\n+$/, "");
  const room = limit - rest.length - 2;
  const section = discussionSection(markdown, room);
  return section ? `${rest}\n\n${section}\n` : `${rest}\n`;
}

/**
 * For the code that rewrites the summary on each push: keeps the discussion section of the previous body, so
 * that a new review of the code does not wipe the digest until the next comment event rebuilds it.
 */
export function carryDiscussionSection(
  previous: string | undefined,
  next: string,
  limit = GITHUB_BODY_LIMIT,
): string {
  const section = previous === undefined ? undefined : discussionSectionOf(previous);
  if (!section) return next;
  const inner = section.slice(DISCUSSION_START.length, section.length - DISCUSSION_END.length).trim();
  return withDiscussionSection(next, inner, limit);
}
