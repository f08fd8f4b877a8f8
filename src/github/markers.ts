// Hidden HTML comments that let the bot find its own posts again on the next run (as reviewdog and Danger do).
// A marker only counts on a post written by a bot account: a human quoting one must never get edited or deleted.

const PREFIX = "iommu-review";

export const SUMMARY_MARKER = `<!-- ${PREFIX}:summary -->`;
export const FOLLOW_UP_MARKER = `<!-- ${PREFIX}:follow-up -->`;
export const RESOLVED_MARKER = `<!-- ${PREFIX}:resolved -->`;

const FINGERPRINT_RE = new RegExp(`<!-- ${PREFIX}:fingerprint=([0-9a-f]{1,64}) -->`);

export function fingerprintMarker(fingerprint: string): string {
  return `<!-- ${PREFIX}:fingerprint=${fingerprint} -->`;
}

export function fingerprintIn(body: string | null | undefined): string | undefined {
  return body ? FINGERPRINT_RE.exec(body)?.[1] : undefined;
}

export function isSummary(body: string | null | undefined): boolean {
  return !!body?.includes(SUMMARY_MARKER);
}

export function isResolved(body: string | null | undefined): boolean {
  return !!body?.includes(RESOLVED_MARKER);
}

export interface Author {
  type?: string | null;
}

/** GitHub App bots and github-actions[bot] both have type "Bot"; people have "User". */
export function isBot(user: Author | null | undefined): boolean {
  return user?.type === "Bot";
}
