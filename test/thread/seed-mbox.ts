// Builds an mbox at test time from ../shared/seed-thread.txt, a web-archive page of the 2026 ARM64 RFC and its
// replies. The page is not ours to copy: only this builder is committed, never the thread text or an mbox of it.
// Each "Posted by" block becomes a mail with synthesized headers; a reply's parent is the post its
// "On ..., <Name> wrote:" line names, else the RFC.

import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const SEED_THREAD_FILE = resolve(REPO_ROOT, "../shared/seed-thread.txt");

export function seedThreadAvailable(): boolean {
  return existsSync(SEED_THREAD_FILE);
}

/** Message-Ids: the RFC's and Pranjal Shrivastava's are the real ones; the others are made up and stable. */
export const SEED_IDS = {
  rfc: "20260402195913.32084-1-nafeabd@amazon.com",
  robin: "seed-reply-robin-murphy@iommu-review.invalid",
  pranjal: "ac8lwTT0oQNT-JaL@google.com",
  jason: "seed-reply-jason-gunthorpe@iommu-review.invalid",
} as const;

interface Sender {
  email: string;
  date: string;
  messageId: string;
}

// Dates as recorded in docs/domain.md and the rules (Robin Murphy's reply is archived as of 2026-04-07).
const SENDERS: Record<string, Sender> = {
  "Nafees Ahmed Abdul": {
    email: "nafeabd@amazon.com",
    date: "Thu, 02 Apr 2026 19:59:13 +0000",
    messageId: SEED_IDS.rfc,
  },
  "Robin Murphy": {
    email: "robin.murphy@arm.com",
    date: "Tue, 07 Apr 2026 12:00:00 +0100",
    messageId: SEED_IDS.robin,
  },
  "Pranjal Shrivastava": {
    email: "praan@google.com",
    date: "Fri, 03 Apr 2026 02:28:17 +0000",
    messageId: SEED_IDS.pranjal,
  },
  "Jason Gunthorpe": {
    email: "jgg@nvidia.com",
    date: "Fri, 03 Apr 2026 13:00:00 -0300",
    messageId: SEED_IDS.jason,
  },
};

export interface SeedPost {
  subject: string;
  author: string;
  body: string;
}

const POSTED_BY = /^Posted by (.+?)\s+\d+\s+(?:second|minute|hour|day|week|month|year)s?\b/;

/** The "Posted by" blocks: the line above is the subject, the body runs to the next block's subject line. */
export function parseSeedPosts(text: string): SeedPost[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const starts = lines.flatMap((line, i) => (POSTED_BY.test(line) && i > 0 ? [i] : []));
  return starts.map((at, n) => {
    const end = n + 1 < starts.length ? starts[n + 1]! - 1 : lines.length;
    return {
      subject: lines[at - 1]!.trim(),
      author: POSTED_BY.exec(lines[at]!)![1]!,
      body: `${lines
        .slice(at + 1, end)
        .join("\n")
        .replace(/\s+$/, "")}\n`,
    };
  });
}

function senderOf(author: string, index: number): Sender {
  return (
    SENDERS[author] ?? {
      email: `${author.toLowerCase().replace(/[^a-z]+/g, ".")}@example.invalid`,
      date: new Date(Date.UTC(2026, 3, 3, index)).toUTCString().replace("GMT", "+0000"),
      messageId: `seed-reply-${index}@iommu-review.invalid`,
    }
  );
}

function parentOf(post: SeedPost, earlier: readonly SeedPost[]): SeedPost {
  const attribution = /^On .*?,\s*([^,]+?) wrote:\s*$/m.exec(post.body)?.[1]?.trim();
  return earlier.find((p) => p.author === attribution) ?? earlier[0]!;
}

function mboxrdBody(body: string): string {
  return body.replace(/^(>*From )/gm, ">$1");
}

/** The seed thread as an mboxrd: headers From, Date, Subject, Message-Id, In-Reply-To and References. */
export function seedMbox(text: string): string {
  const posts = parseSeedPosts(text);
  const references = new Map<SeedPost, string[]>();
  const mails = posts.map((post, index) => {
    const sender = senderOf(post.author, index);
    const headers = [
      `From ${sender.email} Thu Jan  1 00:00:00 1970`,
      `From: ${post.author} <${sender.email}>`,
      `Date: ${sender.date}`,
      `Subject: ${post.subject}`,
      `Message-Id: <${sender.messageId}>`,
    ];
    if (index === 0) references.set(post, []);
    else {
      const parent = parentOf(post, posts.slice(0, index));
      const parentId = senderOf(parent.author, posts.indexOf(parent)).messageId;
      const chain = [...(references.get(parent) ?? []), parentId];
      references.set(post, chain);
      headers.push(`In-Reply-To: <${parentId}>`, `References: ${chain.map((id) => `<${id}>`).join(" ")}`);
    }
    headers.push(
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: 8bit",
    );
    return `${headers.join("\n")}\n\n${mboxrdBody(post.body)}\n`;
  });
  return mails.join("");
}

export function readSeedMbox(): string {
  return seedMbox(readFileSync(SEED_THREAD_FILE, "utf8"));
}
