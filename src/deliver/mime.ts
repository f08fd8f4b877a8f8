// Header and body encoding for plain-text mail: RFC 2047 words for non-ASCII header text, folding of long
// header lines, and the transfer encoding of the body (8bit unless a line is too long for SMTP).

import mimeFuncs from "nodemailer/lib/mime-funcs/index.js";
import qp from "nodemailer/lib/qp/index.js";
import type { Person } from "../model.js";

const HEADER_LINE = 78;
/** RFC 5321 limit for a line of the body, without the CRLF. */
const SMTP_LINE = 998;
const ATEXT_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/;

const NON_ASCII = /[^\x00-\x7f]/;

/** "Name <addr>", with the name quoted or encoded as needed; "addr" alone when there is no name. */
export function formatAddress(person: Person): string {
  const name = person.name.trim();
  if (!name) return person.email;
  if (NON_ASCII.test(name)) return `${mimeFuncs.encodeWord(name, "Q", 52)} <${person.email}>`;
  if (ATEXT_PHRASE.test(name)) return `${name} <${person.email}>`;
  return `"${name.replace(/[\\"]/g, "\\$&")}" <${person.email}>`;
}

export function encodeHeaderText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, " ");
  return NON_ASCII.test(clean) ? mimeFuncs.encodeWords(clean, "Q", 52) : clean;
}

/** "Name: value", folded at spaces (or at ", " between addresses) so that lines stay within 78 columns. */
export function headerLine(name: string, value: string): string {
  const words = value.split(" ");
  const lines: string[] = [];
  let current = `${name}:`;
  for (const word of words) {
    if (word === "") continue;
    if (current.length + 1 + word.length > HEADER_LINE && current.trim().length > name.length + 1) {
      lines.push(current);
      current = ` ${word}`;
    } else {
      current += ` ${word}`;
    }
  }
  lines.push(current);
  return lines.join("\n");
}

/** "Tue, 14 Apr 2026 09:15:00 +0000" */
export function formatDate(date: Date): string {
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][date.getUTCDay()];
  const month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][
    date.getUTCMonth()
  ];
  const pad = (n: number) => String(n).padStart(2, "0");
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${day}, ${date.getUTCDate()} ${month} ${date.getUTCFullYear()} ${time} +0000`;
}

export interface EncodedBody {
  transferEncoding: "7bit" | "8bit" | "quoted-printable";
  text: string;
}

/** Plain text stays readable (7bit/8bit); only a line too long for SMTP forces quoted-printable. */
export function encodeBody(text: string): EncodedBody {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  const tooLong = body.split("\n").some((line) => Buffer.byteLength(line) > SMTP_LINE);
  if (tooLong) return { transferEncoding: "quoted-printable", text: qp.wrap(qp.encode(body), 76) };
  return { transferEncoding: NON_ASCII.test(body) ? "8bit" : "7bit", text: body };
}
