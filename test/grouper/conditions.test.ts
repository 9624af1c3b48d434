/**
 * The CHS-DRG 2.0 rule kinds and edits, each on a small hand-made set
 * (set-builder.ts): CONDITIONS rules over named lists, MDC entry by any
 * position, QY rules, sex-conflict fallback, not-principal / not-an-operation
 * lists, exact codes; and the compiler's checks of all of them.
 */
import { describe, expect, it } from "vitest";
import { compileDefinitionSet, type EpisodeFields } from "../../grouper/index.js";
import { episode, neonate } from "./builders.js";
import { definitionIssues, grouperOf, sourceFiles, type SetSpec } from "./set-builder.js";

/** One body-system MDC with one ADRG under test and a medical catch-all, plus whatever the test adds. */
function oneAdrg(param: string, lists: { dx?: Record<string, string[]>; proc?: Record<string, string[]> }, extra: Partial<SetSpec> = {}) {
  return grouperOf({
    mdcs: [{ mdc: "MDCE", dx: ["E1", "E2"] }],
    adrgs: [
      { adrg: "EB1", mdc: "MDCE", kind: "SURGICAL", param, ...lists },
      { adrg: "EZ1", mdc: "MDCE", param: "PDX_IN(pdx)", dx: { pdx: ["E1", "E2"] } },
    ],
    ...extra,
  });
}
const adrgOf = (g: ReturnType<typeof grouperOf>, over: Partial<EpisodeFields>) => g.group(episode({ principalDx: "E1", ...over })).adrg;

describe("2.0 rule kinds as terms of CONDITIONS", () => {
  it("PDX_IN (主要诊断): the principal, not a secondary", () => {
    const g = oneAdrg("PDX_IN(pdx)", { dx: { pdx: ["E2"] } });
    expect(adrgOf(g, { principalDx: "E2" })).toBe("EB1");
    expect(adrgOf(g, { principalDx: "E1", secondaryDx: ["E2"] })).toBe("EZ1");
  });
  it("MAIN_PROC_IN (主要手术或操作): the first procedure only", () => {
    const g = oneAdrg("MAIN_PROC_IN(main)", { proc: { main: ["p1"] } });
    expect(adrgOf(g, { procedures: ["p1", "p9"] })).toBe("EB1");
    expect(adrgOf(g, { procedures: ["p9", "p1"] })).toBe("EZ1");
  });
  it("ANY_PROC_IN (手术或操作 n): any position", () => {
    const g = oneAdrg("ANY_PROC_IN(proc1)", { proc: { proc1: ["p1"] } });
    expect(adrgOf(g, { procedures: ["p9", "p8", "p1"] })).toBe("EB1");
    expect(adrgOf(g, { procedures: ["p9"] })).toBe("EZ1");
  });
  it("SECONDARY_DX_IN (其他诊断): a secondary, never the principal", () => {
    const g = oneAdrg("SECONDARY_DX_IN(sdx)", { dx: { sdx: ["E2", "S1"] } });
    expect(adrgOf(g, { secondaryDx: ["X", "S1"] })).toBe("EB1");
    expect(adrgOf(g, { principalDx: "E2" })).toBe("EZ1");
  });
  it("ANY_DX_IN (主要诊断或其他诊断): the principal or a secondary", () => {
    const g = oneAdrg("ANY_DX_IN(anydx)", { dx: { anydx: ["E2", "S1"] } });
    expect(adrgOf(g, { principalDx: "E2" })).toBe("EB1");
    expect(adrgOf(g, { secondaryDx: ["S1"] })).toBe("EB1");
    expect(adrgOf(g, {})).toBe("EZ1");
  });
  it("同时包含…和…: one procedure from each of two lists, in any positions", () => {
    const g = oneAdrg("ANY_PROC_IN(ss) & ANY_PROC_IN(ss1)", { proc: { ss: ["a1", "a2"], ss1: ["b1"] } });
    expect(adrgOf(g, { procedures: ["x", "b1", "a2"] })).toBe("EB1");
    expect(adrgOf(g, { procedures: ["a1", "a2"] })).toBe("EZ1");
  });
  it("multi-part entry conditions over procedure groups 1–5: any condition, all of its terms; the trace names the condition", () => {
    const param = "[PDX_IN(pdx) & ANY_PROC_IN(proc1) & ANY_PROC_IN(proc2)] | [PDX_IN(pdx) & ANY_PROC_IN(proc1) & ANY_PROC_IN(proc3) & ANY_PROC_IN(proc4)] | [PDX_IN(pdx) & ANY_PROC_IN(proc4) & ANY_PROC_IN(proc5)]";
    const g = oneAdrg(param, { dx: { pdx: ["E1"] }, proc: { proc1: ["g1"], proc2: ["g2"], proc3: ["g3"], proc4: ["g4"], proc5: ["g5"] } });
    expect(adrgOf(g, { procedures: ["g2", "g1"] })).toBe("EB1");
    expect(adrgOf(g, { procedures: ["g1", "g3", "g4"] })).toBe("EB1");
    expect(adrgOf(g, { procedures: ["g1", "g3"] })).toBe("EZ1");
    expect(adrgOf(g, { principalDx: "E2", procedures: ["g4", "g5"] })).toBe("EZ1");
    const r = g.group(episode({ principalDx: "E1", procedures: ["g5", "g4"] }), { explain: true });
    const step = r.trace!.find((t) => t.step === "adrg" && t.decision.startsWith("EB1"))!;
    expect(step.decision).toBe("EB1 matches (condition 3 of 3: PDX_IN(pdx) & ANY_PROC_IN(proc4) & ANY_PROC_IN(proc5))");
    expect(step.source).toBe("adrg.tsv:2 (upstream ADRG/EB1.dat)");
  });
  it("MAIN_PROC_IS_OR (包含全部手术或操作): the first procedure is an OR procedure", () => {
    const g = oneAdrg("MAIN_PROC_IS_OR", {}, { orProc: ["op"] });
    expect(adrgOf(g, { procedures: ["op"] })).toBe("EB1");
    expect(adrgOf(g, { procedures: ["x", "op"] })).toBe("EZ1");
  });
  it("NEONATE, NOT_NEONATE and BIRTH_WEIGHT bands with their boundaries; a missing weight is in no band", () => {
    const g = grouperOf({
      mdcs: [{ mdc: "MDCP", rule: "PDX_AND_AGE_YEARS_0", dx: ["P1"] }],
      adrgs: [
        { adrg: "PS1", mdc: "MDCP", param: "ANY_DX_IN(anydx) & NEONATE & BIRTH_WEIGHT(1-1499)", dx: { anydx: ["P1"] } },
        { adrg: "PS4", mdc: "MDCP", param: "ANY_DX_IN(anydx) & NEONATE & BIRTH_WEIGHT(2500-)", dx: { anydx: ["P1"] } },
        { adrg: "PU1", mdc: "MDCP", param: "PDX_IN(pdx) & NEONATE", dx: { pdx: ["P1"] } },
        { adrg: "PV1", mdc: "MDCP", param: "PDX_IN(pdx) & NOT_NEONATE", dx: { pdx: ["P1"] } },
      ],
    });
    const adrg = (days: number | null, grams: number | null) => g.group(neonate(days as number, grams, { principalDx: "P1" })).adrg;
    expect(adrg(3, 1499)).toBe("PS1");
    expect(adrg(3, 1500)).toBe("PU1");
    expect(adrg(3, 2500)).toBe("PS4");
    expect(adrg(3, null)).toBe("PU1");
    expect(adrg(28, 2499)).toBe("PU1");
    expect(adrg(29, 1000)).toBe("PV1");
    expect(adrg(null, 1000)).toBe("PS1"); // a missing age in days is read as 0
  });
  it("the candidate index never changes a result: explained (every ADRG tested) and fast paths agree", () => {
    const g = oneAdrg("[SECONDARY_DX_IN(sdx) & ANY_PROC_IN(proc2)] | [ANY_PROC_IN(proc1) & ANY_PROC_IN(proc2)] | [MAIN_PROC_IS_OR & PDX_IN(pdx)]", {
      dx: { sdx: ["S1"], pdx: ["E2"] }, proc: { proc1: ["g1"], proc2: ["g2"] },
    }, { orProc: ["op"] });
    const codes = ["S1", "E1", "E2", "X"];
    const procs = ["g1", "g2", "op", "x"];
    for (let i = 0; i < 256; i++) {
      const ep = episode({ principalDx: codes[i % 4], secondaryDx: [codes[(i >> 2) % 4]!], procedures: [procs[(i >> 4) % 4]!, procs[(i >> 6) % 4]!] });
      expect(g.group(ep).drg).toBe(g.group(ep, { explain: true }).drg);
    }
  });
});

describe("2.0 MDC entry and QY as data", () => {
  const spec: SetSpec = {
    options: { qy: "rule", qyAdrg: "QY", sexConflictFallback: { mdc: "MDCM", adrg: "QY", drg: "MQY" } },
    orProc: ["op", "pa"],
    mdcs: [
      { mdc: "MDCA", rule: "ALWAYS", dx: [] },
      { mdc: "MDCP", rule: "PDX_AND_AGE_YEARS_0", qyDrg: "PQY", qyRule: "[MAIN_PROC_IS_OR] | [NOT_NEONATE & PDX_IN(PR1.pdx)]", qyIfNotEntered: "NEONATE", dx: ["P1", "R1", "W1*"] },
      { mdc: "MDCY", dx: ["H1*"] },
      { mdc: "MDCM", rule: "PDX_AND_MALE", qyDrg: "MQY", qyRule: "MAIN_PROC_IS_OR", sexEdit: true, dx: ["M1"] },
      { mdc: "MDCE", qyDrg: "EQY", qyRule: "MAIN_PROC_IS_OR", dx: ["E1", "E3"] },
      { mdc: "MDCG", dx: ["E3"] },
    ],
    adrgs: [
      { adrg: "AA1", mdc: "MDCA", kind: "SURGICAL", param: "MAIN_PROC_IN(main)", proc: { main: ["tx"] } },
      { adrg: "PB1", mdc: "MDCP", kind: "SURGICAL", param: "MAIN_PROC_IN(main) & NEONATE", proc: { main: ["pa"] } },
      { adrg: "PR1", mdc: "MDCP", param: "PDX_IN(pdx) & NEONATE", dx: { pdx: ["R1"] } },
      { adrg: "PS1", mdc: "MDCP", param: "ANY_DX_IN(anydx) & NEONATE & BIRTH_WEIGHT(1-1499)", dx: { anydx: ["W1"] } },
      { adrg: "PU1", mdc: "MDCP", param: "PDX_IN(pdx) & NEONATE", dx: { pdx: ["P1"] } },
      { adrg: "YR1", mdc: "MDCY", param: "ANY_DX_IN(anydx)", dx: { anydx: ["H1"] } },
      { adrg: "MR1", mdc: "MDCM", param: "PDX_IN(pdx)", dx: { pdx: ["M1"] } },
      { adrg: "EB1", mdc: "MDCE", kind: "SURGICAL", param: "MAIN_PROC_IN(main)", proc: { main: ["eb"] } },
      { adrg: "EZ1", mdc: "MDCE", param: "PDX_IN(pdx)", dx: { pdx: ["E1"] } },
      { adrg: "GZ1", mdc: "MDCG", param: "PDX_IN(pdx)", dx: { pdx: ["E3"] } },
    ],
  };
  const g = grouperOf(spec);
  const codes = (ep: EpisodeFields) => {
    const r = g.group(ep);
    return [r.status, r.mdc, r.adrg, r.drg];
  };

  it("ALWAYS: the MDC is tried without an entry test, and a case that fits none of its ADRGs goes on", () => {
    expect(codes(episode({ principalDx: "E1", procedures: ["tx"] }))).toEqual(["grouped", "MDCA", "AA1", "AA19"]);
    expect(codes(episode({ principalDx: "E1" }))).toEqual(["grouped", "MDCE", "EZ1", "EZ19"]);
  });
  it("a row with position any also enters by a secondary (MDCY; MDCP's weight-band codes)", () => {
    expect(codes(episode({ principalDx: "E1", secondaryDx: ["H1"] }))[1]).toBe("MDCY");
    expect(codes(neonate(3, 1200, { principalDx: "E1", secondaryDx: ["W1"] }))).toEqual(["grouped", "MDCP", "PS1", "PS19"]);
    expect(codes(neonate(3, 1200, { principalDx: "E1", secondaryDx: ["P1"] }))[2]).toBe("QY"); // P1 counts as principal only
  });
  it("qy_if_not_entered: a neonate that does not qualify for the MDC gets its QY group at once", () => {
    expect(codes(neonate(10, 3000, { principalDx: "E1" }))).toEqual(["qy", "MDCP", "QY", "PQY"]);
    expect(codes(neonate(40, 3000, { principalDx: "E1" }))[1]).toBe("MDCE");
  });
  it("qy_rule: an OR main procedure that fits no procedure ADRG, or a condition on another ADRG's list (PR1.pdx)", () => {
    expect(codes(episode({ principalDx: "E1", procedures: ["op"] }))).toEqual(["qy", "MDCE", "QY", "EQY"]);
    expect(codes(episode({ principalDx: "E1", procedures: ["x", "op"] }))[2]).toBe("EZ1");
    expect(codes(neonate(40, 3000, { principalDx: "R1" }))).toEqual(["qy", "MDCP", "QY", "PQY"]);
    expect(codes(neonate(20, 3000, { principalDx: "R1" }))[2]).toBe("PR1");
    const r = g.group(neonate(40, 3000, { principalDx: "R1" }), { explain: true });
    expect(r.trace!.find((t) => t.step === "qy")).toEqual({
      step: "qy", decision: "no procedure ADRG of MDCP took the case and NOT_NEONATE & PDX_IN(PR1.pdx): PQY", source: "mdc.tsv:3 qy_rule (upstream MDC/MDCP.dat)",
    });
  });
  it("sex_edit: a principal of the other sex is flagged, and when nothing groups the set's fallback (MQY) is the result", () => {
    const r = g.group(episode({ sex: "F", principalDx: "M1" }));
    expect([r.status, r.mdc, r.adrg, r.drg]).toEqual(["qy", "MDCM", "QY", "MQY"]);
    expect(r.flags).toContainEqual({ edit: "DX_SEX_CONFLICT", detail: "M1", rejects: false });
    expect(g.group(episode({ sex: "M", principalDx: "M1" })).flags).toEqual([]);
    const plain = grouperOf({ ...spec, options: { qy: "rule" } });
    expect(plain.group(episode({ sex: "F", principalDx: "M1" })).drg).toBe("0000");
  });
  it("an MDC entered without a matching ADRG passes the case on (E3 → MDCE → MDCG)", () => {
    expect(codes(episode({ principalDx: "E3" }))).toEqual(["grouped", "MDCG", "GZ1", "GZ19"]);
  });
  it("without qyAdrg the QY result's ADRG is the QY group, as before", () => {
    expect(grouperOf({ ...spec, options: { qy: "rule" } }).group(episode({ principalDx: "E1", procedures: ["op"] })).adrg).toBe("EQY");
  });
});

describe("2.0 edits: not-principal and not-an-operation lists, no diagnosis", () => {
  const spec: SetSpec = {
    options: { qy: "rule" },
    orProc: ["op", "img"],
    notPrincipal: ["V1", "E2"],
    notOperation: ["img"],
    mdcs: [{ mdc: "MDCE", qyDrg: "EQY", qyRule: "MAIN_PROC_IS_OR", dx: ["E1", "E2"] }],
    adrgs: [
      { adrg: "EB1", mdc: "MDCE", kind: "SURGICAL", param: "MAIN_PROC_IN(main)", proc: { main: ["eb"] } },
      { adrg: "EZ1", mdc: "MDCE", param: "PDX_IN(pdx)", dx: { pdx: ["E1", "E2"] } },
    ],
  };
  it("PRINCIPAL_INVALID flags a principal on the list; it rejects only when the set says so", () => {
    const g = grouperOf(spec);
    const r = g.group(episode({ principalDx: "E2" }));
    expect([r.status, r.drg]).toEqual(["grouped", "EZ19"]);
    expect(r.flags).toEqual([{ edit: "PRINCIPAL_INVALID", detail: "E2", rejects: false }]);
    const strict = grouperOf({ ...spec, options: { qy: "rule", rejectOn: ["PRINCIPAL_INVALID"] } }).group(episode({ principalDx: "E2" }));
    expect([strict.status, strict.drg, strict.flags[0]!.rejects]).toEqual(["rejected", "0000", true]);
  });
  it("MAIN_PROC_INVALID flags such a main procedure, which then is no operation even if or_proc lists it (no QY)", () => {
    const g = grouperOf(spec);
    const r = g.group(episode({ principalDx: "E1", procedures: ["img"] }));
    expect([r.status, r.adrg]).toEqual(["grouped", "EZ1"]);
    expect(r.flags).toEqual([{ edit: "MAIN_PROC_INVALID", detail: "img", rejects: false }]);
    expect(g.group(episode({ principalDx: "E1", procedures: ["op"] })).drg).toBe("EQY");
    expect(g.group(episode({ principalDx: "E1", procedures: ["op", "img"] })).flags).toEqual([]);
  });
  it("DX_MISSING fires only when there is no diagnosis at all, and rejects where the set says", () => {
    const g = grouperOf({ ...spec, options: { qy: "rule", rejectOn: ["DX_MISSING"] } });
    const none = g.group(episode({ principalDx: null, secondaryDx: [] }));
    expect([none.status, none.drg]).toEqual(["rejected", "0000"]);
    expect(none.flags.map((f) => f.edit)).toEqual(["PRINCIPAL_MISSING", "DX_MISSING"]);
    const some = g.group(episode({ principalDx: "", secondaryDx: ["E1"] }));
    expect(some.status).toBe("ungroupable");
    expect(some.flags.map((f) => f.edit)).toEqual(["PRINCIPAL_MISSING"]);
  });
  it("exactCodes: a code spelled otherwise than in the tables is unknown; without it, the normalised key finds it", () => {
    expect(grouperOf({ ...spec, options: { qy: "rule", exactCodes: true } }).group(episode({ principalDx: "e1" })).drg).toBe("0000");
    expect(grouperOf(spec).group(episode({ principalDx: "e1" })).drg).toBe("EZ19");
  });
});

describe("compiler checks of the 2.0 pieces (file, line, reason)", () => {
  const base: SetSpec = {
    options: { qy: "rule" },
    mdcs: [{ mdc: "MDCE", qyDrg: "EQY", qyRule: "MAIN_PROC_IS_OR", dx: ["E1"] }],
    adrgs: [{ adrg: "EZ1", mdc: "MDCE", param: "PDX_IN(pdx)", dx: { pdx: ["E1"] } }],
  };
  const issuesOf = (files: Record<string, string>) => definitionIssues(() => compileDefinitionSet(files));
  const withAdrg = (over: Partial<SetSpec["adrgs"][number]>) => issuesOf(sourceFiles({ ...base, adrgs: [{ ...base.adrgs[0]!, ...over }] }));

  it("the base set compiles", () => {
    expect(issuesOf(sourceFiles(base))).toEqual([]);
  });
  it("an unknown term, a term without its list and a bad weight band", () => {
    expect(withAdrg({ param: "PDX_IN(pdx) & SOMETHING" })).toEqual([`adrg.tsv:2: ADRG EZ1: unknown term SOMETHING (one of PDX_IN, MAIN_PROC_IN, ANY_PROC_IN, SECONDARY_DX_IN, ANY_DX_IN, MAIN_PROC_IS_OR, NEONATE, NOT_NEONATE, BIRTH_WEIGHT, ALWAYS)`]);
    expect(withAdrg({ param: "PDX_IN" })).toContain("adrg.tsv:2: ADRG EZ1: PDX_IN needs an argument in parentheses");
    expect(withAdrg({ param: "PDX_IN(pdx) & BIRTH_WEIGHT(heavy)" })).toEqual([`adrg.tsv:2: ADRG EZ1: BIRTH_WEIGHT band must be lo-hi grams, got "heavy"`]);
  });
  it("a list the rule names without rows, and rows of a list the rule does not name", () => {
    expect(withAdrg({ param: "PDX_IN(pdx) | [SECONDARY_DX_IN(sdx)]" })).toEqual(["adrg.tsv:2: ADRG EZ1: SECONDARY_DX_IN(sdx): no rows for list sdx in adrg_dx.tsv"]);
    expect(withAdrg({ dx: { pdx: ["E1"], spare: ["E9"] } })).toEqual(["adrg_dx.tsv:3: ADRG EZ1: list spare is named by no term of its rule"]);
  });
  it("a diagnosis list used as a procedure list", () => {
    expect(withAdrg({ param: "PDX_IN(pdx) & MAIN_PROC_IN(pdx)" })).toEqual(["adrg.tsv:2: ADRG EZ1: MAIN_PROC_IN(pdx): list pdx holds diagnoses"]);
  });
  it("QY rules: a missing qy_rule under qy=rule, an unknown ADRG list, a QY rule without a QY group", () => {
    const mdc = (over: Partial<SetSpec["mdcs"][number]>) => issuesOf(sourceFiles({ ...base, mdcs: [{ ...base.mdcs[0]!, ...over }] }));
    expect(mdc({ qyRule: "" })).toEqual(["mdc.tsv:2: MDCE has a qy_drg but no qy_rule, which options.qy \"rule\" needs"]);
    expect(mdc({ qyRule: "PDX_IN(EZ1.sdx)" })).toEqual(["mdc.tsv:2: MDCE: qy_rule: PDX_IN(EZ1.sdx): ADRG EZ1 has no list sdx"]);
    expect(mdc({ qyDrg: "", qyIfNotEntered: "NEONATE" })).toContain("mdc.tsv:2: MDCE: qy_if_not_entered needs a qy_drg");
    expect(mdc({ sexEdit: true })).toEqual(["mdc.tsv:2: MDCE: sex_edit needs entry_rule PDX_AND_MALE or PDX_AND_FEMALE"]);
  });
  it("a bad position in mdc_dx.tsv, and a tag on a named list", () => {
    const files = sourceFiles(base);
    files["mdc_dx.tsv"] += "MDCE\tE5\t\tsomewhere\n";
    files["adrg_proc.tsv"] += "EZ1\tmain\tp1\t2\n";
    expect(issuesOf(files)).toEqual([
      `mdc_dx.tsv:3: position must be principal, any or empty, got "somewhere"`,
      "adrg_proc.tsv:2: ADRG EZ1 uses CONDITIONS: tags are not used, name the lists instead",
    ]);
  });
});
