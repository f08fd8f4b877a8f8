// A small client for Patchwork's REST API (/api/): JSON lists across pages, Token authentication for writes, and
// one retry on a gateway error, as NIPA does.

export interface PatchworkClientOptions {
  /** The instance, e.g. https://patchwork.kernel.org */
  url: string;
  /** API token; needed only to post checks. */
  token?: string;
  fetch?: typeof fetch;
  /** Upper bound on pages read by one list call. */
  maxPages?: number;
}

export class PatchworkError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "PatchworkError";
  }
}

const RETRIED = new Set([502, 503, 504]);

export class PatchworkClient {
  readonly apiBase: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: PatchworkClientOptions) {
    this.apiBase = `${opts.url.replace(/\/+$/, "")}/api/`;
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  /** Every item of a list endpoint, following `Link: <...>; rel="next"` (or a JSON "next"). */
  async list<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T[]> {
    let url: string | undefined = this.url(path, query);
    const items: T[] = [];
    for (let page = 0; url && page < (this.opts.maxPages ?? 50); page++) {
      const res = await this.request(url, { headers: { Accept: "application/json" } });
      const body = (await res.json()) as T[] | { results: T[]; next?: string | null };
      if (Array.isArray(body)) {
        items.push(...body);
        url = nextLink(res.headers.get("link"));
      } else {
        items.push(...body.results);
        url = body.next ?? undefined;
      }
    }
    return items;
  }

  async getText(url: string): Promise<string> {
    const res = await this.request(url, {});
    return res.text();
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    if (!this.opts.token) throw new PatchworkError(0, "a Patchwork token is needed to post");
    const res = await this.request(this.url(path), {
      method: "POST",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        Authorization: `Token ${this.opts.token}`,
      },
      body: JSON.stringify(body),
    });
    return (await res.json()) as T;
  }

  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(path.replace(/^\/+/, ""), this.apiBase);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async request(url: string, init: RequestInit): Promise<Response> {
    let res = await this.fetch(url, init);
    if (RETRIED.has(res.status)) {
      await res.body?.cancel();
      res = await this.fetch(url, init);
    }
    if (!res.ok) {
      const text = (await res.text()).slice(0, 200);
      throw new PatchworkError(res.status, `Patchwork ${init.method ?? "GET"} ${url}: ${res.status} ${text}`);
    }
    return res;
  }
}

function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (match) return match[1];
  }
  return undefined;
}
