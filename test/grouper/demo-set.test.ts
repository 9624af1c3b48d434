import { describe, expect, it } from "vitest";
import { bundledSets, createGrouper, type CompiledSet } from "../../grouper/index.js";
import { episode, neonate } from "./builders.js";

const demo = bundledSets.demo!.compiled;
const g = createGrouper(demo);
const withOptions = (o: Partial<CompiledSet["options"]>) => createGrouper({ ...demo, options: { ...demo.options, ...o } });

describe("demo set: severity split (GROUPER.md step 6)", () => {
  it("an unexcluded MCC secondary gives suffix 1", () => {
    expect(g.group(episode({ principalDx: "J18.900", secondaryDx: ["J96.000"] })).drg).toBe("EW11");
  });
  it("a CC secondary gives suffix 3 and no CC gives 5", () => {
    expect(g.group(episode({ principalDx: "J18.900", secondaryDx: ["I50.900"] })).drg).toBe("EW13");
    expect(g.group(episode({ principalDx: "J18.900", secondaryDx: ["K29.700"] })).drg).toBe("EW15");
  });
  it("a CC in the principal's exclusion table does not count, and the result names the table", () => {
    const r = g.group(episode({ principalDx: "J18.900", secondaryDx: ["J15.900"] }));
    expect(r.drg).toBe("EW15");
    expect(r.ccExcluded).toEqual([{ code: "J15.900", level: "CC", exclusionTable: "E3" }]);
    expect(r.principalExclusionTable).toBe("E3");
  });
  it("an ADRG split only 1/5 sends a CC-only case to 5", () => {
    expect(g.group(episode({ principalDx: "C61.x00", secondaryDx: ["I50.900"] })).drg).toBe("MR15");
  });
  it("an ADRG split only 3/5 sends an MCC case to 3", () => {
    expect(g.group(episode({ principalDx: "I10.x00", secondaryDx: ["J96.000"] })).drg).toBe("FV13");
  });
  it("an unsplit ADRG gets 9 whatever the secondaries", () => {
    expect(g.group(episode({ principalDx: "F20.900", secondaryDx: ["J96.000"] })).drg).toBe("TR19");
  });
  it("duplicate secondaries are kept and each is reported", () => {
    const r = g.group(episode({ principalDx: "J18.900", secondaryDx: ["I50.900", "I50.900"] }));
    expect(r.cc).toHaveLength(2);
  });
  it("the set's own suffix 7 (death within 2 days) is tried before severity", () => {
    expect(g.group(episode({ principalDx: "I21.900", dischargeStatus: "5", losDays: 1 })).drg).toBe("FR17");
    expect(g.group(episode({ principalDx: "I21.900", dischargeStatus: "5", losDays: 4 })).drg).toBe("FR15");
  });
});

describe("demo set: MDC and ADRG order (GROUPER.md steps 2–5)", () => {
  it("an OR main procedure enters pre-MDC and falls through to the body system when no transplant matches", () => {
    const r = g.group(episode({ principalDx: "K35.800", procedures: ["47.0100"] }));
    expect(r.drg).toBe("GD15");
  });
  it("a transplant main procedure groups in MDCA regardless of the principal", () => {
    expect(g.group(episode({ principalDx: "N18.500", procedures: ["55.6900"] })).adrg).toBe("AE1");
  });
  it("two-list rule: valve plus bypass in any positions gives FB1; valve alone FB2", () => {
    expect(g.group(episode({ principalDx: "I35.000", procedures: ["36.1100", "35.2100"] })).adrg).toBe("FB1");
    expect(g.group(episode({ principalDx: "I35.000", procedures: ["35.2100"] })).adrg).toBe("FB2");
  });
  it("the set's row order decides overlaps: FF2 (generator + lead) before FF1", () => {
    expect(g.group(episode({ principalDx: "I44.200", procedures: ["37.8300", "37.7200"] })).adrg).toBe("FF2");
    expect(g.group(episode({ principalDx: "I44.200", procedures: ["37.8300"] })).adrg).toBe("FF1");
  });
  it("ANY_PROC matches a procedure in a later position", () => {
    expect(g.group(episode({ principalDx: "I21.900", procedures: ["88.5600", "36.0700"] })).adrg).toBe("FM1");
  });
  it("diagnosis-plus-procedure rule needs both", () => {
    expect(g.group(episode({ principalDx: "C22.000", procedures: ["54.9100", "99.2500"] })).adrg).toBe("HK1");
    expect(g.group(episode({ principalDx: "C22.000" })).adrg).toBe("HR1");
  });
  it("tag rule: mastectomy with sentinel biopsy and reconstruction is JA1, with sentinel biopsy only is not", () => {
    expect(g.group(episode({ sex: "F", principalDx: "C50.900", procedures: ["85.4300", "40.1100", "85.5300"] })).adrg).toBe("JA1");
    expect(g.group(episode({ sex: "F", principalDx: "C50.900", procedures: ["85.4300", "40.1100"] })).adrg).not.toBe("JA1");
  });
  it("male-only MDC needs male sex", () => {
    expect(g.group(episode({ sex: "M", principalDx: "N40.x00" })).mdc).toBe("MDCM");
    expect(g.group(episode({ sex: null, principalDx: "N40.x00" })).drg).toBe("0000");
  });
  it("multiple trauma needs injuries in two regions, counting the secondaries", () => {
    expect(g.group(episode({ principalDx: "S06.000", secondaryDx: ["S72.000"] })).drg).toBe("ZZ15");
    expect(g.group(episode({ principalDx: "S06.000", secondaryDx: ["S06.500"] })).mdc).toBe("MDCB");
  });
  it("multiple trauma with an OR procedure outside ZB1–ZD1 takes ZJ1", () => {
    expect(g.group(episode({ principalDx: "S06.000", secondaryDx: ["S72.000"], procedures: ["86.2200"] })).adrg).toBe("ZJ1");
  });
  it("HIV: any diagnosis in the list plus an OR main procedure gives YC1", () => {
    expect(g.group(episode({ principalDx: "B20.000", procedures: ["54.1100"] })).adrg).toBe("YC1");
  });
  it("psychiatric and rehabilitation ADRGs (paid per diem) are reachable", () => {
    expect(g.group(episode({ principalDx: "F32.900" })).adrg).toBe("TR2");
    expect(g.group(episode({ principalDx: "Z50.100" })).adrg).toBe("XR1");
    expect(g.group(episode({ principalDx: "I69.300" })).adrg).toBe("BX1");
  });
});

describe("demo set: QY option (GROUPER.md step 5)", () => {
  it("with QY on, a surgical case whose operation fits no procedure ADRG of its MDC goes to QY", () => {
    const r = g.group(episode({ principalDx: "K64.900", procedures: ["81.5100"] }));
    expect(r).toMatchObject({ status: "qy", mdc: "MDCG", adrg: "GQY", drg: "GQY" });
  });
  it("with QY off, the same case falls through to the medical ADRG", () => {
    expect(withOptions({ qy: "off" }).group(episode({ principalDx: "K64.900", procedures: ["81.5100"] })).drg).toBe("GZ15");
  });
  it("mainProc QY looks only at the first procedure", () => {
    const q = withOptions({ qy: "mainProc" });
    expect(q.group(episode({ principalDx: "K64.900", procedures: ["88.5600", "81.5100"] })).drg).toBe("GZ15");
    expect(q.group(episode({ principalDx: "K64.900", procedures: ["81.5100"] })).drg).toBe("GQY");
  });
});

describe("demo set: newborns (GROUPER.md step 3)", () => {
  it("weight bands pick PS1–PS4 from any diagnosis", () => {
    expect(g.group(neonate(3, 1200, { principalDx: "P59.900", secondaryDx: ["P07.000"] })).adrg).toBe("PS1");
    expect(g.group(neonate(3, 1999.5, { principalDx: "P59.900", secondaryDx: ["P07.100"] })).adrg).toBe("PS2");
    expect(g.group(neonate(3, 2000, { principalDx: "P59.900", secondaryDx: ["P07.100"] })).adrg).toBe("PS3");
    expect(g.group(neonate(3, 2600, { principalDx: "P59.900", secondaryDx: ["P05.900"] })).adrg).toBe("PS4");
  });
  it("a principal-diagnosis ADRG of MDCP comes before the weight bands", () => {
    expect(g.group(neonate(3, 1200, { principalDx: "P22.000", secondaryDx: ["P07.000"] })).adrg).toBe("PR1");
  });
  it("an infant older than 28 days goes to PV1", () => {
    expect(g.group(neonate(60, 3000, { principalDx: "P22.000" })).adrg).toBe("PV1");
  });
  it("missing ages are read as 0, so a missing weight is flagged as a newborn without weight", () => {
    const r = g.group(episode({ ageYears: null, ageDays: null, principalDx: "J18.900" }));
    expect(r.flags.map((f) => f.edit)).toEqual(expect.arrayContaining(["AGE_MISSING", "NEWBORN_WEIGHT_MISSING"]));
    expect(r.drg).toBe("EW15");
  });
});

describe("demo set: edits (GROUPER.md step 1)", () => {
  it("a male pregnancy is rejected by the demo set and says why", () => {
    const r = g.group(episode({ sex: "M", principalDx: "O80.000" }));
    expect(r).toMatchObject({ status: "rejected", drg: "0000" });
    expect(r.flags).toEqual([{ edit: "DX_SEX_CONFLICT", detail: "O80.000", rejects: true }]);
  });
  it("a set that only flags sex conflicts still groups the male pregnancy", () => {
    const r = withOptions({ rejectOn: [] }).group(episode({ sex: "M", principalDx: "O80.000" }));
    expect(r.drg).toBe("OR15");
    expect(r.flags[0]).toMatchObject({ edit: "DX_SEX_CONFLICT", rejects: false });
  });
  it("a missing principal rejects the case", () => {
    expect(g.group(episode({ principalDx: "" })).status).toBe("rejected");
  });
  it("an unknown code is flagged and matches nothing", () => {
    const r = g.group(episode({ principalDx: "J18.900", secondaryDx: ["ZZZ.999"], procedures: ["99.9999"] }));
    expect(r.flags.map((f) => `${f.edit}:${f.detail}`)).toEqual(["DX_UNKNOWN:ZZZ.999", "PROC_UNKNOWN:99.9999"]);
    expect(r.drg).toBe("EW15");
  });
  it("an age conflict is flagged", () => {
    expect(g.group(episode({ ageYears: 30, principalDx: "J18.900", secondaryDx: ["P22.000"] })).flags[0]?.edit).toBe("DX_AGE_CONFLICT");
  });
  it("nothing matched gives the set's ungroupable group", () => {
    expect(g.group(episode({ principalDx: "R69.x00" }))).toMatchObject({ status: "ungroupable", mdc: "0000", adrg: "00", drg: "0000" });
  });
});

describe("code normalisation", () => {
  it.each([["j18.900"], [" J18.900 "], ["J18900"], ["J18.900X"], ["j18.900x "]])("%j is read as J18.900", (code) => {
    expect(g.group(episode({ principalDx: code })).adrg).toBe("EW1");
  });
  it("procedure codes are normalised the same way", () => {
    expect(g.group(episode({ principalDx: "K35.800", procedures: ["470100"] })).adrg).toBe("GD1");
  });
});

describe("explanation (issue: every step names its rule or row)", () => {
  it("the trace ends in the chosen DRG row and names the entered MDC's row", () => {
    const r = g.group(episode({ principalDx: "J18.900", secondaryDx: ["J96.000"] }), { explain: true });
    expect(r.trace?.at(-1)).toMatchObject({ step: "result", source: expect.stringMatching(/^drg\.tsv:\d+$/) });
    expect(r.trace?.some((t) => t.step === "mdc" && t.decision.startsWith("MDCE entered"))).toBe(true);
  });
  it("the fast path carries no trace", () => {
    expect(g.group(episode()).trace).toBeUndefined();
  });
});

describe("list positions", () => {
  it("an empty first procedure still holds the main-procedure position", () => {
    expect(g.group(episode({ principalDx: "N18.500", procedures: ["", "55.6900"] })).mdc).not.toBe("MDCA");
    expect(g.group(episode({ principalDx: "N18.500", procedures: ["55.6900", ""] })).adrg).toBe("AE1");
  });
});
