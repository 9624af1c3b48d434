import { describe, expect, it } from "vitest";
import { codeKey } from "../../grouper/index.js";

describe("codeKey (code normalisation, GROUPER.md input codes)", () => {
  it.each([
    ["J18.900", "J18900"],
    ["j18.900", "J18900"],
    [" J18.900\t", "J18900"],
    ["J18 .900", "J18900"],
    ["I10.x00x002", "I10X00X002"],
    ["I10.x", "I10"],
    ["K35.8XX", "K358"],
    ["92.2400x005", "922400X005"],
    ["N18.900x012+D63.8*", "N18900X012+D638*"],
    ["J18900", "J18900"],
    ["", ""],
  ])("%j → %j", (raw, key) => {
    expect(codeKey(raw)).toBe(key);
  });
});
