import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { addressParser } from "postal-mime";
import { firstPerson } from "../../src/ingest/prefilter.js";
import { FUZZ } from "./budget.js";

// The prefilter reads the commonest From values itself; for those and for anything else it must name the same
// person as postal-mime's addressParser, which the full path uses.

const word = fc.stringMatching(/^[A-Za-z0-9.'"(),:;<>@\\=?_ -]{0,8}$/);
const local = fc.stringMatching(/^[A-Za-z0-9._%+'-]{1,8}$/);
const domain = fc.stringMatching(/^[A-Za-z0-9-]{1,6}(\.[A-Za-z0-9-]{1,4}){0,2}$/);
const fromValue = fc
  .tuple(fc.array(word, { maxLength: 3 }), local, domain, fc.constantFrom("<>", "", "()"))
  .map(([words, user, host, form]) => {
    const name = words.join(" ");
    const address = `${user}@${host}`;
    if (form === "<>") return `${name} <${address}>`.trimStart();
    if (form === "()") return `${address} (${name})`;
    return address;
  });

function viaAddressParser(value: string) {
  const first = addressParser(value)[0];
  if (!first) return undefined;
  // As parse/mail.ts: a group's first member as it is; otherwise an entry with an address.
  if (first.group) return first.group[0] && { name: first.group[0].name, email: first.group[0].address };
  return first.address ? { name: first.name, email: first.address } : undefined;
}

describe("From values (fuzz)", () => {
  test("firstPerson names whom addressParser names", () => {
    fc.assert(
      fc.property(fromValue, (value) => {
        expect(firstPerson(value)).toEqual(viaAddressParser(value));
      }),
      FUZZ,
    );
  });

  test("plain forms and near misses", () => {
    for (const value of [
      "Joerg Roedel <joro@example.org>",
      "<joro@example.org>",
      "J. O'Brien-Smith <job@example.ie>",
      '"Roedel, Joerg" <joro@example.org>',
      "Joerg  Roedel <joro@example.org>",
      "=?UTF-8?Q?J=C3=B6rg?= <j@example.org>",
      "joro@example.org",
      "Joerg <joro@example.org>, Other <o@example.org>",
    ])
      expect(firstPerson(value)).toEqual(viaAddressParser(value));
  });
});
