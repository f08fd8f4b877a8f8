// The digest as JSON. The ThreadDigest type is the contract: absent values are null, `version` changes with it.

import type { ThreadDigest } from "./digest.js";

export function renderDigestJson(digest: ThreadDigest): string {
  return `${JSON.stringify(digest, null, 2)}\n`;
}
