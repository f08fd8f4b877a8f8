/**
 * The message of a thrown value, without a stack. Duck-typed: errors from another realm (Node's fs under
 * jest's VM modules) are not `instanceof Error`.
 */
export function errorMessage(error: unknown): string {
  if (
    typeof error === "object" &&
    error !== null &&
    "message" in error &&
    typeof error.message === "string"
  ) {
    return error.message;
  }
  return String(error);
}

/** A file given by the user that cannot be used (a rule file, a delivery policy): names the file and the field. */
export class FileFieldError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    readonly problem: string,
  ) {
    super(field ? `${file}: ${field}: ${problem}` : `${file}: ${problem}`);
  }
}
