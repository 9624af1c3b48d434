/**
 * Conformance with the national CHS-DRG 1.1 reference (conformance README,
 * "Grouping algorithm of the reference implementation"). Reads the tables from
 * ../shared at test time; nothing from there is in the repository.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileDefinitionSet, createGrouper, type Grouper } from "../../grouper/index.js";
import { CHS11_FILES, importChs11 } from "../../grouper/import/chs11.js";
import { readChs11Dir } from "../../grouper/node.js";
import { episode, neonate } from "./builders.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dir = path.resolve(repoRoot, "../shared/conformance/chs-drg-1.1");
const present = existsSync(path.join(dir, "derived/mdc.tsv"));
if (!present) console.warn(`skipping CHS-DRG 1.1 conformance: ${dir} is missing`);

const tsv = (f: string) => {
  const [head, ...rows] = readFileSync(path.join(dir, f), "utf8").trim().split("\n");
  const cols = head!.split("\t");
  return rows.map((r) => Object.fromEntries(r.split("\t").map((c, i) => [cols[i]!, c])) as Record<string, string>);
};
const dat = (f: string) => new Map(readFileSync(path.join(dir, f), "utf8").trim().split("\n").map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1).trim()] as const));

describe.skipIf(!present)("CHS-DRG 1.1 conformance", () => {
  let g: Grouper;
  // Table look-ups for building synthetic cases from the published lists.
  let adrgDx: Map<string, string[]>;
  let adrgSs: Map<string, { code: string; list: string; tag: string }[]>;
  let mdcsOf: Map<string, Set<string>>;
  let mdcList: Map<string, { code: string; region: string }[]>;
  let ssValid: Set<string>;
  let cc: Map<string, string>;
  let mcc: Map<string, string>;
  let cce: Map<string, string>;
  let drgsOf: Map<string, string[]>;
  let allAdrgProcs: Set<string>;

  const ss = (adrg: string, list = "ss", tag?: string) => (adrgSs.get(adrg) ?? []).filter((r) => r.list === list && (tag === undefined || r.tag === tag)).map((r) => r.code);
  const onlyIn = (code: string, mdc: string) => {
    const s = mdcsOf.get(code);
    return s !== undefined && s.size === 1 && s.has(mdc);
  };
  const first = <T>(xs: Iterable<T>, p: (x: T) => boolean): T => {
    for (const x of xs) if (p(x)) return x;
    throw new Error("no table row fits the test's needs");
  };
  const inAnyZd = (code: string, adrgs: string[]) => adrgs.some((a) => (adrgDx.get(a) ?? []).includes(code));

  beforeAll(() => {
    const imported = importChs11(readChs11Dir(dir, [...CHS11_FILES.required, ...CHS11_FILES.optional]));
    g = createGrouper(compileDefinitionSet(imported.files));
    adrgDx = new Map();
    for (const r of tsv("derived/adrg_dx.tsv")) (adrgDx.get(r.adrg!) ?? adrgDx.set(r.adrg!, []).get(r.adrg!)!).push(r.dx_code!);
    adrgSs = new Map();
    allAdrgProcs = new Set();
    for (const r of tsv("derived/adrg_proc.tsv")) {
      (adrgSs.get(r.adrg!) ?? adrgSs.set(r.adrg!, []).get(r.adrg!)!).push({ code: r.proc_code!, list: r.list!, tag: r.tag ?? "" });
      allAdrgProcs.add(r.proc_code!);
    }
    mdcsOf = new Map();
    mdcList = new Map();
    for (const r of tsv("derived/mdc_pdx.tsv")) {
      (mdcsOf.get(r.dx_code!) ?? mdcsOf.set(r.dx_code!, new Set()).get(r.dx_code!)!).add(r.mdc!);
      (mdcList.get(r.mdc!) ?? mdcList.set(r.mdc!, []).get(r.mdc!)!).push({ code: r.dx_code!, region: r.trauma_region ?? "" });
    }
    ssValid = new Set(dat("upstream/DATA/SS_VALID.dat").keys());
    cc = dat("upstream/DATA/CC.dat");
    mcc = dat("upstream/DATA/MCC.dat");
    cce = dat("upstream/DATA/CCE.dat");
    drgsOf = new Map(tsv("derived/adrg.tsv").map((r) => [r.adrg!, r.drgs_in_test_order!.split(" ")]));
  }, 120_000); // importing and compiling the national tables takes seconds, more on a busy machine

  describe("the 30 published samples", () => {
    const cases = present ? readFileSync(path.join(dir, "cases.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) : [];
    const ref = present ? new Map(tsv("reference-output.tsv").map((r) => [r.id!, r])) : new Map<string, Record<string, string>>();
    it.each(cases.map((c) => [c.id as string, c]))("sample %s gets the reference MDC, ADRG, DRG and exclusions", (id, c) => {
      const r = g.group(c as never);
      const want = ref.get(id)!;
      expect([r.mdc, r.adrg, r.drg]).toEqual([want.ref_mdc, want.ref_adrg, want.ref_drg]);
      if (c.expectedDrg) expect(r.drg).toBe(c.expectedDrg);
      expect(r.ccExcluded.map((e) => e.code).sort()).toEqual((want.excluded_by_principal ?? "").split(" ").filter(Boolean).sort());
      expect(r.principalExclusionTable).toBe(want.principal_exclusion_table);
    });
  });

  describe("pre-MDC (MDCA)", () => {
    it("a transplant as first procedure in SS_VALID groups to its MDCA ADRG", () => {
      const p = first(ss("AB1"), (c) => ssValid.has(c));
      expect(g.group(episode({ principalDx: "K22.301", procedures: [p] })).adrg).toBe("AB1");
    });
    it("MDCA looks only at the first procedure", () => {
      const p = first(ss("AB1"), (c) => ssValid.has(c));
      const notOr = first(allAdrgProcs, (c) => !ssValid.has(c) && !ss("AB1").includes(c));
      expect(g.group(episode({ principalDx: "K22.301", procedures: [notOr, p] })).mdc).not.toBe("MDCA");
    });
    it("an OR procedure that fits no MDCA ADRG falls through, and with QY off the surgical case lands in a medical ADRG", () => {
      const gAdrgs = [...drgsOf.keys()].filter((a) => a.startsWith("G"));
      const pdx = first(adrgDx.get("GZ1")!, (c) => onlyIn(c, "MDCG") && !inAnyZd(c, gAdrgs.filter((a) => a !== "GZ1")));
      const proc = first(ssValid, (c) => ![...adrgSs.entries()].some(([a, rows]) => (a.startsWith("A") || a.startsWith("G")) && rows.some((r) => r.code === c)));
      const r = g.group(episode({ principalDx: pdx, procedures: [proc] }));
      expect([r.mdc, r.adrg, r.status]).toEqual(["MDCG", "GZ1", "grouped"]);
    });
  });

  describe("newborns (MDCP)", () => {
    let pdxPlain: string;
    const bandDx = (a: string) => adrgDx.get(a)![0]!;
    beforeAll(() => {
      pdxPlain = first(mdcList.get("MDCP")!.map((r) => r.code), (c) => onlyIn(c, "MDCP") && !inAnyZd(c, ["PR1", "PS1", "PS2", "PS3", "PS4", "PU1"]));
    });
    it("a principal in PR1 with age 0 and at most 28 days groups to PR1; older infants go to PV1", () => {
      const pdx = first(adrgDx.get("PR1")!, (c) => onlyIn(c, "MDCP"));
      expect(g.group(neonate(5, 3000, { principalDx: pdx })).adrg).toBe("PR1");
      expect(g.group(neonate(29, 3000, { principalDx: pdx })).adrg).toBe("PV1");
      expect(g.group(neonate(5, 3000, { principalDx: pdx, ageYears: 1 })).mdc).not.toBe("MDCP");
    });
    it.each([
      [1000, "PS1"], [1499, "PS1"], [1500, "PS2"], [1999, "PS2"], [2000, "PS3"], [2499, "PS3"], [2500, "PS4"], [4000, "PS4"],
    ])("birth weight %i g with a band diagnosis among the secondaries gives %s", (w, adrg) => {
      expect(g.group(neonate(3, w, { principalDx: pdxPlain, secondaryDx: [bandDx(adrg)] })).adrg).toBe(adrg);
    });
    it("a missing age in days counts as 0, so the case is a neonate", () => {
      expect(g.group(neonate(3, 1000, { ageDays: null, principalDx: pdxPlain, secondaryDx: [bandDx("PS1")] })).adrg).toBe("PS1");
    });
    it("a neonate without a birth weight is rejected as in the Java reference (MDC 0000, ADRG 00, DRG 0000)", () => {
      const r = g.group(neonate(3, null, { principalDx: pdxPlain }));
      expect([r.status, r.mdc, r.adrg, r.drg]).toEqual(["rejected", "0000", "00", "0000"]);
      expect(r.flags.map((f) => f.edit)).toContain("NEWBORN_WEIGHT_MISSING");
    });
    it("a case with no ages and no weight is rejected as a newborn without weight", () => {
      expect(g.group(episode({ ageYears: null, ageDays: null, principalDx: "K22.301" })).status).toBe("rejected");
    });
    it("the neonatal surgery ADRGs need the first procedure and at most 28 days", () => {
      const mdcaProcs = new Set([...adrgSs.entries()].filter(([ad]) => ad.startsWith("A")).flatMap(([, rows]) => rows.map((r) => r.code)));
      const p = first(ss("PB1"), (c) => !mdcaProcs.has(c));
      expect(g.group(neonate(3, 3000, { principalDx: pdxPlain, procedures: [p] })).adrg).toBe("PB1");
      expect(g.group(neonate(40, 3000, { principalDx: pdxPlain, procedures: [p] })).adrg).not.toBe("PB1");
    });
  });

  describe("HIV (MDCY)", () => {
    it("a principal in the HIV list groups to YR1; with an OR first procedure to YC1", () => {
      const pdx = first(adrgDx.get("YR1")!, (c) => onlyIn(c, "MDCY") && (adrgDx.get("YC1") ?? []).includes(c));
      expect(g.group(episode({ principalDx: pdx })).adrg).toBe("YR1");
      const proc = first(ssValid, (c) => ![...adrgSs.entries()].some(([a, rows]) => a.startsWith("A") && rows.some((r) => r.code === c)));
      expect(g.group(episode({ principalDx: pdx, procedures: [proc] })).adrg).toBe("YC1");
    });
  });

  describe("multiple trauma (MDCZ)", () => {
    const pick = () => {
      const list = mdcList.get("MDCZ")!;
      const a = first(list, (r) => onlyIn(r.code, "MDCZ") || true);
      const b = first(list, (r) => r.region !== a.region);
      const same = first(list, (r) => r.region === a.region && r.code !== a.code);
      return { a: a.code, b: b.code, same: same.code };
    };
    it("two body regions among principal and secondaries enter MDCZ; without a procedure ZZ1", () => {
      const { a, b } = pick();
      expect(g.group(episode({ principalDx: a, secondaryDx: [b] })).adrg).toBe("ZZ1");
    });
    it("one region only does not enter MDCZ", () => {
      const { a, same } = pick();
      expect(g.group(episode({ principalDx: a, secondaryDx: [same] })).mdc).not.toBe("MDCZ");
    });
    it("a procedure outside SS_VALID still counts as no operation for ZZ1", () => {
      const { a, b } = pick();
      const notOr = first(allAdrgProcs, (c) => !ssValid.has(c));
      expect(g.group(episode({ principalDx: a, secondaryDx: [b], procedures: [notOr] })).adrg).toBe("ZZ1");
    });
    it("an OR procedure outside ZB1–ZJ1 makes ZZ1 fail and grouping falls through to the next MDC", () => {
      const { a, b } = pick();
      const proc = first(ssValid, (c) => ![...adrgSs.entries()].some(([ad, rows]) => (ad.startsWith("A") || ad.startsWith("Z")) && rows.some((r) => r.code === c)));
      expect(g.group(episode({ principalDx: a, secondaryDx: [b], procedures: [proc] })).mdc).not.toBe("MDCZ");
    });
  });

  describe("sex-specific MDCs and edits", () => {
    it("MDCM needs male sex", () => {
      const pdx = first(mdcList.get("MDCM")!.map((r) => r.code), (c) => onlyIn(c, "MDCM") && inAnyZd(c, ["MZ1", "MR1", "MS1"]));
      expect(g.group(episode({ sex: "M", principalDx: pdx })).mdc).toBe("MDCM");
      expect(g.group(episode({ sex: "F", principalDx: pdx })).mdc).not.toBe("MDCM");
    });
    it("a male pregnancy still groups under 1.1 and the flags say so", () => {
      const pdx = first(adrgDx.get("OR1") ?? adrgDx.get("OZ1")!, (c) => onlyIn(c, "MDCO"));
      const r = g.group(episode({ sex: "M", principalDx: pdx }));
      expect(r.mdc).toBe("MDCO");
      expect(r.flags).toContainEqual({ edit: "DX_SEX_CONFLICT", detail: pdx, rejects: false });
    });
    it("a missing sex rejects the case", () => {
      expect(g.group(episode({ sex: null, principalDx: "K22.301" })).status).toBe("rejected");
    });
    it("an unknown principal is flagged and ends ungroupable (0000)", () => {
      const r = g.group(episode({ principalDx: "ZZZ.999" }));
      expect([r.status, r.mdc, r.adrg, r.drg]).toEqual(["ungroupable", "0000", "00", "0000"]);
      expect(r.flags.map((f) => f.edit)).toContain("DX_UNKNOWN");
    });
    it("an MDC whose ADRGs do not take the principal falls through (README step 7)", () => {
      const oAdrgs = [...drgsOf.keys()].filter((a) => a.startsWith("O"));
      const pdx = first(mdcList.get("MDCO")!.map((r) => r.code), (c) => onlyIn(c, "MDCO") && !inAnyZd(c, oAdrgs));
      expect(g.group(episode({ sex: "F", principalDx: pdx })).mdc).not.toBe("MDCO");
    });
  });

  describe("procedure rule kinds", () => {
    const tagged = (adrg: string, tag: string) => first(ss(adrg, "ss", tag), (c) => (adrgSs.get(adrg) ?? []).filter((r) => r.code === c).length === 1);
    it("NA1 (tags 1 | 2&3): tag 1 alone or tags 2 and 3 in any positions", () => {
      const pdx = first(adrgDx.get("NA1")!, (c) => onlyIn(c, "MDCN"));
      const t = (n: string) => tagged("NA1", n);
      const na = (procs: string[]) => g.group(episode({ sex: "F", principalDx: pdx, procedures: procs })).adrg;
      expect(na([t("1")])).toBe("NA1");
      expect(na([t("2")])).not.toBe("NA1");
      expect(na([t("3"), t("2")])).toBe("NA1");
    });
    it("JA1 (tags 1&2 | 1&3&4)", () => {
      const pdx = first(adrgDx.get("JA1")!, (c) => onlyIn(c, "MDCJ"));
      const t = (n: string) => tagged("JA1", n);
      const ja = (procs: string[]) => g.group(episode({ sex: "F", principalDx: pdx, procedures: procs })).adrg;
      expect(ja([t("1"), t("2")])).toBe("JA1");
      expect(ja([t("1"), t("3")])).not.toBe("JA1");
      expect(ja([t("4"), t("1"), t("3")])).toBe("JA1");
    });
    it("two-list rule: AC1 needs one procedure from each list, in any positions", () => {
      const a = first(ss("AC1", "ss"), (c) => ssValid.has(c));
      const b = first(ss("AC1", "ss1"), (c) => ssValid.has(c));
      expect(g.group(episode({ principalDx: "K22.301", procedures: [b, a] })).adrg).toBe("AC1");
    });
    it("FF2 is tried before FF1", () => {
      const pdx = first(mdcList.get("MDCF")!.map((r) => r.code), (c) => onlyIn(c, "MDCF"));
      const earlier = ["FB1", "FB2", "FC1", "FD1", "FD2", "FD3", "FE1", "FE2"];
      const mdcaProcs = new Set([...adrgSs.entries()].filter(([ad]) => ad.startsWith("A")).flatMap(([, rows]) => rows.map((r) => r.code)));
      const usable = (c: string) => !mdcaProcs.has(c) && !earlier.some((e) => ss(e).includes(c) || ss(e, "ss1").includes(c));
      const a = first(ss("FF2", "ss"), (c) => usable(c) && ss("FF1").includes(c));
      const b = first(ss("FF2", "ss1"), usable);
      expect(g.group(episode({ principalDx: pdx, procedures: [a] })).adrg).toBe("FF1");
      expect(g.group(episode({ principalDx: pdx, procedures: [a, b] })).adrg).toBe("FF2");
    });
  });

  describe("severity split (README step 8)", () => {
    const mccOther = (table: string) => first(mcc.keys(), (c) => mcc.get(c) !== table);
    const ccOther = (table: string) => first(cc.keys(), (c) => cc.get(c) !== table);
    const findPdx = (pattern: string) => {
      for (const [adrg, drgs] of drgsOf) {
        if (drgs.map((d) => d[3]).join("") !== pattern) continue;
        for (const c of adrgDx.get(adrg) ?? []) {
          if (cce.has(c) && g.group(episode({ principalDx: c })).adrg === adrg) return { pdx: c, adrg, table: cce.get(c)! };
        }
      }
      throw new Error(`no ADRG split ${pattern} reachable by principal`);
    };
    it("1/3/5: unexcluded MCC → 1, CC → 3, neither → 5", () => {
      const { pdx, adrg, table } = findPdx("135");
      expect(g.group(episode({ principalDx: pdx, secondaryDx: [mccOther(table)] })).drg).toBe(`${adrg}1`);
      expect(g.group(episode({ principalDx: pdx, secondaryDx: [ccOther(table)] })).drg).toBe(`${adrg}3`);
      expect(g.group(episode({ principalDx: pdx })).drg).toBe(`${adrg}5`);
    });
    it("an MCC in the principal's exclusion table is excluded and reported with its table", () => {
      const { pdx, adrg, table } = findPdx("135");
      const same = [...mcc.keys()].find((c) => mcc.get(c) === table) ?? [...cc.keys()].find((c) => cc.get(c) === table);
      if (!same) return;
      const r = g.group(episode({ principalDx: pdx, secondaryDx: [same] }));
      expect(r.drg).toBe(`${adrg}5`);
      expect(r.ccExcluded).toEqual([expect.objectContaining({ code: same, exclusionTable: table })]);
    });
    it("1/5: a CC-only case goes to 5", () => {
      const { pdx, adrg, table } = findPdx("15");
      expect(g.group(episode({ principalDx: pdx, secondaryDx: [ccOther(table)] })).drg).toBe(`${adrg}5`);
    });
    it("3/5: an MCC case goes to 3", () => {
      const { pdx, adrg, table } = findPdx("35");
      expect(g.group(episode({ principalDx: pdx, secondaryDx: [mccOther(table)] })).drg).toBe(`${adrg}3`);
    });
    it("duplicate secondaries are kept", () => {
      const { pdx, table } = findPdx("135");
      const c = ccOther(table);
      expect(g.group(episode({ principalDx: pdx, secondaryDx: [c, c] })).cc).toHaveLength(2);
    });
  });
});
