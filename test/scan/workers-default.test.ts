import { describe, expect, test } from "@jest/globals";
import { defaultWorkers } from "../../src/scan/workers.js";

describe("defaultWorkers", () => {
  test("one per core but the main thread's", () => {
    expect([1, 2, 3, 4, 8].map((cores) => defaultWorkers(cores))).toEqual([0, 1, 2, 3, 7]);
  });
});
