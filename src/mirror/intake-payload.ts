// A request body into the mail messages it carries, each checked to be a readable mail before anything is stored.
// Accepted: one raw message (message/rfc822), an mbox (application/mbox), or JSON carrying either.

import { createHash } from "node:crypto";
import { z } from "zod";
import { withoutLeadingBlank } from "../ingest/format.js";
import { splitMboxBuffer, unescapeMboxrd } from "../ingest/mbox.js";
import { parseMessage } from "../parse/mail.js";

/** A request the intake refuses; `status` is the HTTP status to answer with. */
export class IntakeError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "IntakeError";
  }
}

/** Ends the journal key of a message that has no Message-Id (such a message is reviewed but never answered). */
export const SYNTHETIC_ID_SUFFIX = "@no-message-id.invalid";

export interface IntakeMessage {
  /** Without angle brackets; a content hash under .invalid when the mail has none. */
  messageId: string;
  hasMessageId: boolean;
  raw: Buffer;
}

export interface IntakePayload {
  messages: IntakeMessage[];
  /** A label the sender chose (JSON "source"), e.g. "lore:iommu"; shown in the journal's origin. */
  source?: string;
}

const jsonPayload = z
  .object({
    message: z.string().min(1).optional(),
    mbox: z.string().min(1).optional(),
    encoding: z.enum(["utf8", "base64"]).default("utf8"),
    source: z.string().max(200).optional(),
  })
  .strict()
  .refine((p) => (p.message === undefined) !== (p.mbox === undefined), {
    message: 'exactly one of "message" or "mbox" is required',
  });

const PAYLOAD_TYPES = ["message/rfc822", "application/mbox", "application/json"] as const;
export type PayloadType = (typeof PAYLOAD_TYPES)[number];

/** The payload type a Content-Type header names; checked before the body is read. */
export function payloadType(contentType: string | undefined): PayloadType {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if ((PAYLOAD_TYPES as readonly string[]).includes(type)) return type as PayloadType;
  if (type === "") {
    throw new IntakeError(
      415,
      "Content-Type is required: message/rfc822, application/mbox or application/json",
    );
  }
  throw new IntakeError(
    415,
    `unsupported Content-Type '${type}': use message/rfc822, application/mbox or application/json`,
  );
}

export async function decodePayload(contentType: string | undefined, body: Buffer): Promise<IntakePayload> {
  switch (payloadType(contentType)) {
    case "message/rfc822":
      return { messages: await identifyAll([body]) };
    case "application/mbox":
      return { messages: await identifyAll(splitMbox(body)) };
    case "application/json":
      return decodeJson(body);
  }
}

async function decodeJson(body: Buffer): Promise<IntakePayload> {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    throw new IntakeError(400, "body is not valid JSON");
  }
  const parsed = jsonPayload.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new IntakeError(400, `JSON payload: ${field}${issue.message}`);
  }
  const { message, mbox, encoding, source } = parsed.data;
  const bytes = Buffer.from((message ?? mbox)!, encoding);
  const raws = message !== undefined ? [bytes] : splitMbox(bytes);
  return { messages: await identifyAll(raws), ...(source !== undefined && { source }) };
}

function splitMbox(body: Buffer): Buffer[] {
  const data = withoutLeadingBlank(body);
  if (data.length > 0 && data.toString("latin1", 0, 5) !== "From ") {
    throw new IntakeError(400, 'not an mbox: it must start with a "From " line');
  }
  return splitMboxBuffer(data).map(unescapeMboxrd);
}

async function identifyAll(raws: Buffer[]): Promise<IntakeMessage[]> {
  if (raws.length === 0 || raws.every((r) => withoutLeadingBlank(r).length === 0)) {
    throw new IntakeError(400, "no message in the request");
  }
  const messages: IntakeMessage[] = [];
  for (let i = 0; i < raws.length; i++) {
    try {
      messages.push(await identifyMessage(raws[i]!));
    } catch (error) {
      const where = raws.length > 1 ? `message ${i + 1}: ` : "";
      throw new IntakeError(400, `${where}${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return messages;
}

/** Checks that `raw` is a readable mail and finds its journal key. */
export async function identifyMessage(raw: Buffer): Promise<IntakeMessage> {
  const { headers } = await parseMessage(raw);
  if (headers.messageId) return { messageId: headers.messageId, hasMessageId: true, raw };
  const digest = createHash("sha256").update(raw).digest("hex").slice(0, 32);
  return { messageId: `${digest}${SYNTHETIC_ID_SUFFIX}`, hasMessageId: false, raw };
}
