import { describe, expect, test } from "@jest/globals";
import { BATCH_INTERRUPT_BUDGET, batchTieringFlag } from "../../src/cli/batch-run.js";

describe("batchTieringFlag", () => {
  test("a batch run raises V8's interrupt budget", () => {
    expect(batchTieringFlag([])).toBe(`--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`);
    expect(batchTieringFlag(["--enable-source-maps", "--max-old-space-size=512"])).toBe(
      `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`,
    );
  });

  test("a budget given to node on its command line is left as it is", () => {
    expect(batchTieringFlag(["--interrupt-budget=5000"])).toBeUndefined();
    expect(batchTieringFlag(["--interrupt_budget=5000"])).toBeUndefined();
    expect(batchTieringFlag(["--interrupt-budget-factor-for-feedback-allocation=4"])).toBe(
      `--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`,
    );
  });
});
