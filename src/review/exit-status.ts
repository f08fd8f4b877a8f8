import { SEVERITIES, type Severity } from "../model.js";

/**
 * The exit status of every command that prints reviews: 2 when some input could not be read, 1 when a finding's
 * severity reaches `failOn`, else 0. `severities` are those of the findings (repeats allowed).
 */
export function exitStatus(
  inputErrors: number,
  severities: Iterable<Severity>,
  failOn: Severity | "never",
): number {
  if (inputErrors > 0) return 2;
  if (failOn === "never") return 0;
  const threshold = SEVERITIES.indexOf(failOn);
  for (const severity of severities) if (SEVERITIES.indexOf(severity) >= threshold) return 1;
  return 0;
}
