/**
 * The CHS-DRG 2.0 importer on a tiny hand-made folder in the published layout
 * (conformance README "Layout"): what it writes, that the result compiles and
 * groups, and that broken tables are reported with file, line and reason.
 */
import { describe, expect, it } from "vitest";
import { compileDefinitionSet, createGrouper } from "../../grouper/index.js";
import { importChs20 } from "../../grouper/import/chs20.js";
import { episode, neonate } from "./builders.js";
import { definitionIssues } from "./set-builder.js";

const UP = "upstream/CHS_DRG_20";
const table = (header: string, rows: string[]) => [header, ...rows].join("\n") + "\n";

/** Three MDCs (pre-MDC, newborns, one body system), each ADRG kind once, in the 2.0 folder layout. */
function layout(): Record<string, string> {
  return {
    "derived/mdc.tsv": table("order\tmdc\tmdc_name_zh\tentry_rule\tpdx_list_size\tadrgs_before_qy\tqy_check\tadrgs_after_qy", [
      "1\tMDCA\t先期分组\tNONE (ADRGs tested directly)\t0\tAH2\tno\t",
      "2\tMDCP\t新生儿\tAGE_YEARS_0_AND_P_DX\t2\tPB1\tyes\tPR1 PS1",
      "3\tMDCE\t呼吸\tPDX\t2\tEB1\tyes\tEZ1",
    ]),
    "derived/mdc_pdx.tsv": table("mdc\tdx_code\ttrauma_region_zh\ttrauma_region", ["MDCP\tP1.000\t\t", "MDCP\tP2.000\t\t", "MDCE\tE1.000\t\t", "MDCE\tE2.000\t\t"]),
    "derived/adrg.tsv": table("mdc\torder_in_mdc\tadrg\tadrg_name_zh\tsection\tkind\tentry_rule\tconditions\toracle_rule_label_zh\tdrgs_in_test_order", [
      "MDCA\t1\tAH2\t呼吸机\tBEFORE_QY\tSURGICAL\t-\t2\t-\tAH29",
      "MDCP\t1\tPB1\t新生儿手术\tBEFORE_QY\tSURGICAL\t-\t1\t-\tPB19",
      "MDCP\t2\tPR1\t呼吸窘迫\tAFTER_QY\tMEDICAL\t-\t1\t-\tPR19",
      "MDCP\t3\tPS1\t极低体重\tAFTER_QY\tMEDICAL\t-\t1\t-\tPS19",
      "MDCE\t1\tEB1\t胸部手术\tBEFORE_QY\tSURGICAL\t-\t1\t-\tEB19",
      "MDCE\t2\tEZ1\t其他呼吸\tAFTER_QY\tMEDICAL\t-\t1\t-\tEZ11 EZ13 EZ15",
    ]),
    "derived/adrg_rule.tsv": table("adrg\tcondition\tterm_no\tterm\tlist", [
      "AH2\t1\t1\tSECONDARY_DX_IN\tsdx", "AH2\t1\t2\tANY_PROC_IN\tproc2", "AH2\t2\t1\tANY_PROC_IN\tproc1", "AH2\t2\t2\tANY_PROC_IN\tproc2",
      "PB1\t1\t1\tMAIN_PROC_IN\tmain", "PB1\t1\t2\tNEONATE\t",
      "PR1\t1\t1\tPDX_IN\tpdx", "PR1\t1\t2\tNEONATE\t",
      "PS1\t1\t1\tANY_DX_IN\tanydx", "PS1\t1\t2\tNEONATE\t", "PS1\t1\t3\tBIRTH_WEIGHT_1_1499\t",
      "EB1\t1\t1\tMAIN_PROC_IN\tmain",
      "EZ1\t1\t1\tPDX_IN\tpdx",
    ]),
    "derived/adrg_dx.tsv": table("adrg\tlist\tdx_code", ["AH2\tsdx\tZ93.000", "PR1\tpdx\tP2.000", "PS1\tanydx\tP7.000", "EZ1\tpdx\tE1.000", "EZ1\tpdx\tE2.000"]),
    "derived/adrg_proc.tsv": table("adrg\tlist\tproc_code", ["AH2\tproc1\t31.1", "AH2\tproc2\t96.72", "PB1\tmain\t54.1", "EB1\tmain\t32.4"]),
    "derived/drg.tsv": table("drg\tadrg\tmdc\tsuffix\tsplit_rule\ttest_order_in_adrg\tdrg_name_zh", [
      "AH29\tAH2\tMDCA\t9\tALWAYS\t1\t呼吸机", "PB19\tPB1\tMDCP\t9\tALWAYS\t1\t新生儿手术", "PR19\tPR1\tMDCP\t9\tALWAYS\t1\t呼吸窘迫",
      "PS19\tPS1\tMDCP\t9\tALWAYS\t1\t极低体重", "EB19\tEB1\tMDCE\t9\tALWAYS\t1\t胸部手术",
      "EZ15\tEZ1\tMDCE\t5\tALWAYS\t3\t其他呼吸", "EZ11\tEZ1\tMDCE\t1\tMCC\t1\t其他呼吸伴重要并发症", "EZ13\tEZ1\tMDCE\t3\tMCC_OR_CC\t2\t其他呼吸伴并发症",
    ]),
    "derived/valid_proc.tsv": table("proc_code\tadrgs", ["31.1\tAH2", "96.72\tAH2", "54.1\tPB1", "32.4\tEB1"]),
    "derived/severity.tsv": table("dx_code\tlevel\texclusion_table\tnote", ["J96.000\tMCC\t7\t", "I50.900\tCC\t8\t"]),
    "derived/cce.tsv": table("dx_code\texclusion_table\tnote", ["E1.000\t7\t"]),
    [`${UP}/ZD_INVALID.dat`]: "V01.000 行人损伤\n",
    [`${UP}/SS_INVALID.dat`]: "88.0100 腹部CT\n",
    [`${UP}/DRG.dat`]: "AH29 有创呼吸机支持≥96小时\nEZ11 其他呼吸系统疾病，伴严重并发症或合并症",
  };
}
const names = [`${UP}/ADRG/AH2_有创呼吸机.dat`, `${UP}/ADRG/AH2_1_有创呼吸机.dat`, `${UP}/MDC/MDCE_呼吸.dat`];

const issuesOf = (files: Record<string, string>) => definitionIssues(() => importChs20(files));
const edit = (f: string, from: string, to: string) => {
  const files = layout();
  if (!files[f]!.includes(from)) throw new Error(`${from} not in ${f}`);
  files[f] = files[f]!.replace(from, to);
  return files;
};

describe("CHS-DRG 2.0 importer", () => {
  const { files } = importChs20(layout(), { upstreamNames: names });
  const g = createGrouper(compileDefinitionSet(files));

  it("writes every ADRG as a CONDITIONS rule with its 2.0 entry rule and provenance", () => {
    expect(files["adrg.tsv"]!.split("\n")[1]).toBe(
      "AH2\tMDCA\tSURGICAL\tCONDITIONS\t[SECONDARY_DX_IN(sdx) & ANY_PROC_IN(proc2)] | [ANY_PROC_IN(proc1) & ANY_PROC_IN(proc2)]\t呼吸机\t\tderived/adrg.tsv:2, derived/adrg_rule.tsv:2-5, upstream/CHS_DRG_20/ADRG/AH2_有创呼吸机.dat",
    );
    expect(files["adrg.tsv"]).toContain("\tANY_DX_IN(anydx) & NEONATE & BIRTH_WEIGHT(1-1499)\t");
  });
  it("writes the documented open choices into the set: QY rules, newborn PQY, any-position rows, the MQY fallback", () => {
    expect(files["mdc.tsv"]!.split("\n")[2]).toBe("MDCP\tPDX_AND_AGE_YEARS_0\tPQY\t\t[MAIN_PROC_IS_OR] | [NOT_NEONATE & PDX_IN(PR1.pdx)]\tNEONATE\t新生儿\t\tderived/mdc.tsv:3");
    expect(files["mdc_dx.tsv"]).toContain("MDCP\tP7.000\t\tany\n");
    expect(JSON.parse(files["set.json"]!).options).toMatchObject({ qy: "rule", qyAdrg: "QY", exactCodes: true, rejectOn: ["SEX_MISSING", "DX_MISSING"] });
    expect(files["dx_not_principal.tsv"]).toBe("dx_code\tname\nV01.000\t行人损伤\n");
    expect(files["proc_not_operation.tsv"]).toBe("proc_code\tname\n88.0100\t腹部CT\n");
  });
  it("the imported set compiles and groups by the 2.0 sequence", () => {
    const drg = (ep: Parameters<typeof g.group>[0]) => g.group(ep).drg;
    expect(drg(episode({ principalDx: "E1.000", secondaryDx: ["Z93.000"], procedures: ["32.4", "96.72"] }))).toBe("AH29");
    expect(drg(episode({ principalDx: "E1.000", procedures: ["32.4"] }))).toBe("EB19");
    expect(drg(episode({ principalDx: "E1.000", procedures: ["31.1"] }))).toBe("EQY");
    expect(drg(episode({ principalDx: "E2.000", secondaryDx: ["J96.000"] }))).toBe("EZ11");
    expect(drg(episode({ principalDx: "E1.000", secondaryDx: ["J96.000", "I50.900"] }))).toBe("EZ13"); // the MCC shares the principal's table
    expect(drg(neonate(3, 1200, { principalDx: "E1.000", secondaryDx: ["P7.000"] }))).toBe("PS19");
    expect(drg(neonate(3, 3000, { principalDx: "E1.000" }))).toBe("PQY");
    expect(drg(neonate(40, 3000, { principalDx: "P2.000" }))).toBe("PQY");
    expect(drg(episode({ principalDx: "V01.000" }))).toBe("0000");
    expect(g.group(episode({ principalDx: "V01.000" })).flags.map((f) => f.edit)).toEqual(["PRINCIPAL_INVALID"]);
    expect(g.group(episode({ sex: null, principalDx: "E1.000" })).status).toBe("rejected");
  });
  it("DRGs keep the 2.0 test order and take names from DRG.dat", () => {
    expect(files["drg.tsv"]!.split("\n").filter((l) => l.startsWith("EZ1")).map((l) => l.split("\t")[0])).toEqual(["EZ11", "EZ13", "EZ15"]);
    expect(files["drg.tsv"]).toContain("EZ11\tEZ1\t1\tMCC\t\t其他呼吸系统疾病，伴严重并发症或合并症\t\tderived/drg.tsv:8");
  });
});

describe("CHS-DRG 2.0 importer: broken tables are reported with file, line and reason", () => {
  it("a missing table", () => {
    const files = layout();
    delete files["derived/adrg_rule.tsv"];
    expect(issuesOf(files)).toEqual(["derived/adrg_rule.tsv:0: required file of the CHS-DRG 2.0 layout is missing"]);
  });
  it("an unknown term, a list term without its list", () => {
    expect(issuesOf(edit("derived/adrg_rule.tsv", "EB1\t1\t1\tMAIN_PROC_IN\tmain", "EB1\t1\t1\tMAIN_PROC_MAYBE\tmain"))).toEqual([
      `derived/adrg_rule.tsv:13: unknown term "MAIN_PROC_MAYBE" (one of PDX_IN, MAIN_PROC_IN, ANY_PROC_IN, SECONDARY_DX_IN, ANY_DX_IN, MAIN_PROC_VALID, NEONATE, NOT_NEONATE, ALWAYS, BIRTH_WEIGHT_lo_hi)`,
      "derived/adrg.tsv:6: ADRG EB1 has no rows in derived/adrg_rule.tsv",
    ]);
    expect(issuesOf(edit("derived/adrg_rule.tsv", "EZ1\t1\t1\tPDX_IN\tpdx", "EZ1\t1\t1\tPDX_IN\t"))).toContainEqual("derived/adrg_rule.tsv:14: PDX_IN needs a list");
  });
  it("an MDC naming an ADRG the ADRG table lacks, and an unknown entry rule", () => {
    expect(issuesOf(edit("derived/mdc.tsv", "\tEB1\tyes\tEZ1", "\tEB1\tyes\tEZ1 EZ9"))).toEqual(["derived/mdc.tsv:4: MDCE lists ADRG EZ9, which derived/adrg.tsv lacks"]);
    expect(issuesOf(edit("derived/mdc.tsv", "\tPDX\t2\tEB1", "\tPDX_SOMEHOW\t2\tEB1"))[0]).toMatch(/^derived\/mdc\.tsv:4: MDCE: unknown entry_rule "PDX_SOMEHOW"/);
  });
  it("a medical ADRG before the QY check", () => {
    expect(issuesOf(edit("derived/adrg.tsv", "EZ1\t其他呼吸\tAFTER_QY", "EZ1\t其他呼吸\tBEFORE_QY"))).toEqual([
      "derived/adrg.tsv:7: ADRG EZ1: MEDICAL in section BEFORE_QY; medpay checks QY before the first MEDICAL ADRG, so procedure ADRGs must be BEFORE_QY and medical ones AFTER_QY",
    ]);
  });
  it("rows for an ADRG that does not exist, a DRG outside every MDC, a missing column", () => {
    expect(issuesOf(edit("derived/adrg_proc.tsv", "EB1\tmain\t32.4", "EB9\tmain\t32.4"))).toContain("derived/adrg_proc.tsv:5: ADRG EB9 is not in derived/adrg.tsv");
    expect(issuesOf(edit("derived/drg.tsv", "EB19\tEB1\t", "EB19\tEB7\t"))).toEqual(["derived/drg.tsv:6: DRG EB19: ADRG EB7 is in no MDC of derived/mdc.tsv"]);
    expect(issuesOf(edit("derived/severity.tsv", "dx_code\tlevel", "code\tlevel"))).toEqual(["derived/severity.tsv:1: header lacks column(s) dx_code", "derived/severity.tsv:1: unknown column(s) code"]);
  });
  it("a malformed upstream .dat row (text fused before the code, as in the upstream CCE.dat)", () => {
    expect(issuesOf(edit(`${UP}/SS_INVALID.dat`, "88.0100 腹部CT", "变88.0100 腹部CT"))).toEqual([`${UP}/SS_INVALID.dat:1: "变88.0100" is not a code (expected code SP text)`]);
  });
  it("a list the imported rule names without rows fails at compilation with the imported file and line", () => {
    const { files } = importChs20(edit("derived/adrg_dx.tsv", "AH2\tsdx\tZ93.000\n", ""));
    expect(() => compileDefinitionSet(files)).toThrow(/adrg\.tsv:2: ADRG AH2: SECONDARY_DX_IN\(sdx\): no rows for list sdx in adrg_dx\.tsv/);
  });
});
