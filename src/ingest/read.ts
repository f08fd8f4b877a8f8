// Input files (or stdin) into InputItems: one per mbox message, mail message or bare diff, in input order.

import { readFile } from "node:fs/promises";
import type { InputItem } from "../model.js";
import { errorMessage } from "../parse/errors.js";
import { diffToItem, messageToItem } from "../parse/patch.js";
import { detectFormat, withoutLeadingBlank } from "./format.js";
import { splitMboxBuffer, unescapeMboxrd } from "./mbox.js";

export interface ReadOptions {
  /** Read for the path "-"; process.stdin by default. */
  stdin?: NodeJS.ReadableStream;
}

export async function readInputs(paths: string[], opts: ReadOptions = {}): Promise<InputItem[]> {
  const items: InputItem[] = [];
  for (const path of paths) {
    let data: Buffer;
    try {
      data = path === "-" ? await readStream(opts.stdin ?? process.stdin) : await readFile(path);
    } catch (error) {
      items.push({
        kind: "error",
        source: path,
        position: 0,
        error: `cannot read file: ${errorMessage(error)}`,
      });
      continue;
    }
    for (const item of await bufferToItems(data, path)) items.push(item);
  }
  return items;
}

/** The items of one input already in memory; `source` names it in the items. */
export async function bufferToItems(input: Buffer, source: string): Promise<InputItem[]> {
  const data = withoutLeadingBlank(input);
  switch (detectFormat(data)) {
    case "empty":
      return [{ kind: "error", source, position: 0, error: "empty input" }];
    case "mbox": {
      const items: InputItem[] = [];
      const messages = splitMboxBuffer(data);
      for (let position = 0; position < messages.length; position++) {
        items.push(await messageToItem(unescapeMboxrd(messages[position]!), source, position));
      }
      return items;
    }
    case "mail":
      return [await messageToItem(data, source, 0)];
    case "diff":
      return [diffToItem(data.toString("utf8"), source, 0)];
    case "unknown":
      return [
        {
          kind: "error",
          source,
          position: 0,
          error: "unrecognised input: not an mbox, a mail message or a diff",
        },
      ];
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  }
  return Buffer.concat(chunks);
}
