// What may be said about a failure in logs and check runs: status, method, path and message. Octokit's errors
// also carry request headers and the response; those are never passed on, so tokens cannot leak through them.

export interface FailureDescription {
  message: string;
  status?: number;
  /** "GET /repos/o/r/pulls/1/files", without host or query. */
  request?: string;
  rateLimited?: boolean;
}

interface OctokitLikeError {
  status?: unknown;
  message?: unknown;
  request?: { method?: unknown; url?: unknown };
  response?: { headers?: Record<string, unknown> };
}

function requestLine(request: OctokitLikeError["request"]): string | undefined {
  if (typeof request?.method !== "string" || typeof request.url !== "string") return undefined;
  let path = request.url;
  try {
    path = new URL(request.url).pathname;
  } catch {
    path = request.url.split("?")[0]!;
  }
  return `${request.method} ${path}`;
}

export function describeFailure(err: unknown): FailureDescription {
  if (err instanceof AggregateError && err.errors.length > 0) return describeFailure(err.errors[0]);
  const e = (typeof err === "object" && err !== null ? err : {}) as OctokitLikeError;
  const status = typeof e.status === "number" ? e.status : undefined;
  const rawMessage = typeof e.message === "string" ? e.message : String(err);
  // Octokit appends " - https://docs.github.com/..." to messages; the link adds nothing here.
  const message = rawMessage.replace(/ - https:\/\/docs\.github\.com\S*$/, "").slice(0, 500);
  const remaining = e.response?.headers?.["x-ratelimit-remaining"];
  const rateLimited =
    status === 429 || (status === 403 && (remaining === "0" || /rate limit/i.test(rawMessage)));
  return {
    message,
    ...(status !== undefined ? { status } : {}),
    ...(requestLine(e.request) ? { request: requestLine(e.request) } : {}),
    ...(rateLimited ? { rateLimited } : {}),
  };
}

export function failureSentence(f: FailureDescription): string {
  const what = f.request ? `${f.request} failed` : "The review failed";
  const status = f.status !== undefined ? ` with HTTP ${f.status}` : "";
  const limit = f.rateLimited ? " (API rate limit)" : "";
  return `${what}${status}${limit}: ${f.message}`;
}

/** An HTTP status from GitHub, if the error has one. */
export function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | null)?.status;
  return typeof s === "number" ? s : undefined;
}
