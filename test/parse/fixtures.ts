import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const FIXTURES = fileURLToPath(new URL("../fixtures/mail/", import.meta.url));

export function fixturePath(name: string): string {
  return FIXTURES + name;
}

export function fixture(name: string): string {
  return readFileSync(fixturePath(name), "utf8");
}
