import { describe, expect, it } from "vitest";
import { bundledSets, searchDrgs } from "../../grouper/index.js";

const demo = bundledSets.demo!.compiled;

describe("DRG search (preview API searches by Chinese or English name)", () => {
  it("finds DRGs by Chinese name", () => {
    expect(searchDrgs(demo, "肺炎").map((e) => e.drg)).toEqual(["EW11", "EW13", "EW15"]);
  });
  it("finds DRGs by English words in any case, all terms required", () => {
    expect(searchDrgs(demo, "HEART failure").map((e) => e.drg)).toEqual(["FR21", "FR23", "FR25"]);
  });
  it("finds a DRG by code and reports its ADRG and MDC", () => {
    expect(searchDrgs(demo, "tr19")).toEqual([expect.objectContaining({ drg: "TR19", adrg: "TR1", mdc: "MDCT" })]);
  });
});
