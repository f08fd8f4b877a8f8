import { describe, expect, test } from "@jest/globals";
import { keyPhrase } from "../../src/thread/key-phrase.js";
import { normaliseProse, splitSentences } from "../../src/thread/sentences.js";

describe("splitSentences", () => {
  test("splits at sentence ends but not after abbreviations, inside parameters or before lower case", () => {
    expect(
      splitSentences("Use iommu.strict=0 instead. It works, e.g. on arm64 (i.e. SMMUv3). Why not?"),
    ).toEqual(["Use iommu.strict=0 instead.", "It works, e.g. on arm64 (i.e. SMMUv3).", "Why not?"]);
    expect(splitSentences("It costs 2.5x. and more")).toEqual(["It costs 2.5x. and more"]);
  });

  test("folds emphasis, code marks, curly quotes and line breaks", () => {
    expect(normaliseProse("distros *should* keep\n  their `own` configs, “really”")).toBe(
      'distros should keep their own configs, "really"',
    );
    expect(normaliseProse("IOMMU_DEFAULT_DMA_LAZY and _this_")).toBe("IOMMU_DEFAULT_DMA_LAZY and this");
  });
});

describe("keyPhrase", () => {
  const sentence = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen";

  test("keeps a short sentence whole", () => {
    expect(keyPhrase("short and sweet", { index: 6, length: 3 })).toBe("short and sweet");
  });

  test("cuts a window around the hit, marking both cuts", () => {
    const at = sentence.indexOf("eight");
    const phrase = keyPhrase(sentence, { index: at, length: "eight".length }, 5);
    expect(phrase.startsWith("…")).toBe(true);
    expect(phrase.endsWith("…")).toBe(true);
    expect(phrase).toContain("eight");
    expect(phrase.replace(/…/g, "").split(" ")).toHaveLength(5);
  });

  test("a hit at the start keeps the start without an ellipsis", () => {
    expect(keyPhrase(sentence, { index: 0, length: 3 }, 4)).toBe("one two three four…");
  });
});
