import { describe, expect, test } from "@jest/globals";
import type { FileDiff, HunkLine } from "../../src/model.js";
import {
  cLines,
  definedFunction,
  droppedArgument,
  renamedIdentifier,
} from "../../src/rules/kinds/c-hunks.js";

const line = (raw: string): HunkLine => ({
  kind: raw[0] === "+" ? "add" : raw[0] === "-" ? "del" : "context",
  text: raw.slice(1),
});

const file = (section: string, raws: string[]): FileDiff => ({
  oldPath: "drivers/iommu/x.c",
  newPath: "drivers/iommu/x.c",
  path: "drivers/iommu/x.c",
  status: "modified",
  hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, section, lines: raws.map(line) }],
});

describe("definedFunction", () => {
  test("a definition, with its return type on the line or the line above", () => {
    expect(definedFunction("static int amd_iommu_def_domain_type(struct device *dev)")).toBe(
      "amd_iommu_def_domain_type",
    );
    expect(definedFunction("qcom_smmu_client_data(struct device *dev)")).toBe("qcom_smmu_client_data");
  });
  test("not a call, a macro statement or a keyword", () => {
    expect(definedFunction("\tiommu_set_dma_strict();")).toBeUndefined();
    expect(
      definedFunction("DECLARE_PCI_FIXUP_HEADER(PCI_VENDOR_ID_INTEL, 0x1632, quirk_iommu_igfx);"),
    ).toBeUndefined();
    expect(definedFunction("if (x)")).toBeUndefined();
  });
});

describe("pairs of lines", () => {
  test("a renamed identifier", () => {
    expect(renamedIdentifier("\tdev->untrusted = true;", "\tdev->untrusted_dma = true;")).toEqual([
      "untrusted",
      "untrusted_dma",
    ]);
    expect(renamedIdentifier("return IOMMU_DOMAIN_DMA;", "return 0;")).toBeUndefined();
    expect(renamedIdentifier("a = b + c;", "x = y + c;")).toBeUndefined();
  });
  test("a dropped argument", () => {
    expect(droppedArgument("f(dev, startup);", "f(dev);")).toBe("startup");
    expect(droppedArgument("f(dev);", "f(dev, startup);")).toBe("startup");
    expect(droppedArgument("iommu_set_dma_strict(true);", "iommu_set_dma_strict();")).toBeUndefined();
  });
});

describe("cLines", () => {
  test("the enclosing function comes from the hunk header, the guard from the line above", () => {
    const lines = cLines(
      file("static int device_def_domain_type(struct device *dev)", [
        " \tif (dev_is_pci(dev)) {",
        "+\t\tif (IS_IPU(pdev))",
        "+\t\t\treturn IOMMU_DOMAIN_IDENTITY;",
        " \t}",
      ]),
    );
    const ret = lines.find((l) => l.line.text.includes("return"))!;
    expect(ret.fn).toBe("device_def_domain_type");
    expect(ret.fnAdded).toBe(false);
    expect(ret.guard).toBe("if (IS_IPU(pdev))");
  });
  test("a multi-line condition reads whole", () => {
    const lines = cLines(file("static void f(void)", [" \tif (a &&", " \t    b) {", "+\t\tx = 1;", " \t}"]));
    expect(lines.find((l) => l.line.kind === "add")!.guard).toBe("if (a && b) {");
  });
  test("a table entry knows its table, and a function the patch adds is marked added", () => {
    const lines = cLines(
      file("", [
        " static const struct of_device_id qcom_smmu_client_of_match[] __maybe_unused = {",
        '+\t{ .compatible = "qcom,x" },',
        " };",
        "+static int g(struct device *dev)",
        "+{",
        "+\treturn 0;",
        "+}",
      ]),
    );
    expect(lines[1]!.block).toBe("qcom_smmu_client_of_match");
    expect(lines.find((l) => l.line.text.includes("return"))!).toMatchObject({ fn: "g", fnAdded: true });
  });
  test("a definition added right after one removed is a rename, not a new function", () => {
    const lines = cLines(
      file("", [
        "-static int old_name(struct device *dev)",
        "+static int new_name(struct device *dev)",
        " {",
      ]),
    );
    expect(lines[1]).toMatchObject({ fn: "new_name", fnAdded: false });
  });
  test("lines inside #ifdef CONFIG_X know the symbol", () => {
    const lines = cLines(
      file("", [" #ifdef CONFIG_IOMMU_DEFAULT_PASSTHROUGH", "-int x = 1;", " #else", "-int x;", " #endif"]),
    );
    expect(lines[1]!.cppSymbols).toEqual(["CONFIG_IOMMU_DEFAULT_PASSTHROUGH"]);
    expect(lines[3]!.cppSymbols).toEqual(["CONFIG_IOMMU_DEFAULT_PASSTHROUGH"]);
  });
});
