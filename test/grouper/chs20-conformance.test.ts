/**
 * Conformance with the CHS-DRG 2.0 reference grouper (conformance README,
 * "Grouping algorithm (as far as it can be stated)"). Imports the tables from
 * ../shared at test time; nothing from there is in the repository. Besides the
 * published samples, README statements are checked on cases built from the
 * tables themselves, so that the documented logic is tested, not just 70 rows.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { compileDefinitionSet, createGrouper, type Grouper, type GroupStatus } from "../../grouper/index.js";
import { CHS20_FILES, CHS20_NAMED_DIRS, importChs20 } from "../../grouper/import/chs20.js";
import { listFileNames, readChs11Dir } from "../../grouper/node.js";
import { episode, neonate } from "./builders.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dir = path.resolve(repoRoot, "../shared/conformance/chs-drg-2.0");
const present = existsSync(path.join(dir, "derived/adrg_rule.tsv"));
if (!present) console.warn(`skipping CHS-DRG 2.0 conformance: ${dir} is missing`);

const tsv = (f: string) => {
  const [head, ...rows] = readFileSync(path.join(dir, f), "utf8").trim().split("\n");
  const cols = head!.split("\t");
  return rows.map((r) => Object.fromEntries(r.split("\t").map((c, i) => [cols[i]!, c])) as Record<string, string>);
};

const STATUS: Record<string, GroupStatus> = { OK: "grouped", AMBIGUOUS: "qy", UNGROUPABLE: "ungroupable", CHECK_FAILED: "rejected" };

describe.skipIf(!present)("CHS-DRG 2.0 conformance", () => {
  let g: Grouper;
  let lists: Map<string, string[]>;
  let mdcsOf: Map<string, Set<string>>;
  let valid: Set<string>;
  let ssInvalid: string[];
  let zdInvalid: string[];
  const list = (adrg: string, name: string) => lists.get(`${adrg}\t${name}`) ?? [];
  const first = <T>(xs: Iterable<T>, p: (x: T) => boolean): T => {
    for (const x of xs) if (p(x)) return x;
    throw new Error("no table row fits the test's needs");
  };
  const onlyIn = (code: string, mdc: string) => mdcsOf.get(code)?.size === 1 && mdcsOf.get(code)!.has(mdc);

  beforeAll(() => {
    const imported = importChs20(readChs11Dir(dir, CHS20_FILES.required), { upstreamNames: CHS20_NAMED_DIRS.flatMap((d) => listFileNames(dir, d)) });
    g = createGrouper(compileDefinitionSet(imported.files));
    lists = new Map();
    for (const r of [...tsv("derived/adrg_dx.tsv"), ...tsv("derived/adrg_proc.tsv")]) {
      const k = `${r.adrg}\t${r.list}`;
      (lists.get(k) ?? lists.set(k, []).get(k)!).push(r.dx_code ?? r.proc_code!);
    }
    mdcsOf = new Map();
    for (const r of tsv("derived/mdc_pdx.tsv")) (mdcsOf.get(r.dx_code!) ?? mdcsOf.set(r.dx_code!, new Set()).get(r.dx_code!)!).add(r.mdc!);
    valid = new Set(tsv("derived/valid_proc.tsv").map((r) => r.proc_code!));
    const dat = (f: string) => readFileSync(path.join(dir, "upstream/CHS_DRG_20", f), "utf8").split("\n").filter(Boolean).map((l) => l.slice(0, l.indexOf(" ")));
    ssInvalid = dat("SS_INVALID.dat");
    zdInvalid = dat("ZD_INVALID.dat");
  }, 120_000); // importing and compiling the national tables takes a few seconds, more on a busy machine

  describe("the 70 published samples", () => {
    const cases = present ? readFileSync(path.join(dir, "cases.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>) : [];
    const ref = present ? new Map(tsv("reference-output.tsv").map((r) => [r.id!, r])) : new Map<string, Record<string, string>>();
    it.each(cases.map((c) => [c.id as string, c]))("sample %s gets the reference status, MDC, ADRG, DRG and CC evidence", (id, c) => {
      const r = g.group(c as never);
      const want = ref.get(id)!;
      expect([r.status, r.mdc, r.adrg, r.drg]).toEqual([STATUS[want.ref_status!], want.ref_mdc, want.ref_adrg, want.ref_drg]);
      expect(r.drg).toBe(c.expectedDrg);
      if (r.status === "rejected") return;
      const codes = (s: string | undefined) => (s ?? "").split(" ").filter(Boolean).map((x) => x.split(":")[0]).sort();
      expect(r.principalExclusionTable).toBe(want.principal_exclusion_table);
      expect(r.ccExcluded.map((e) => e.code).sort()).toEqual(codes(want.excluded_by_principal));
      expect(r.cc.filter((e) => e.level === "MCC").map((e) => e.code).sort()).toEqual(codes(want.mcc_secondaries));
      expect(r.cc.filter((e) => e.level === "CC").map((e) => e.code).sort()).toEqual(codes(want.cc_secondaries));
    });
    it("the trace names the imported table line and the 2.0 file behind each step", () => {
      const c = cases.find((x) => x.id === "S20-42")!;
      const r = g.group(c as never, { explain: true });
      const adrgStep = r.trace!.find((t) => t.step === "adrg" && t.decision.startsWith("IB1 matches"))!;
      expect(adrgStep.decision).toContain("condition 3 of 3: ANY_PROC_IN(proc3) & ANY_PROC_IN(proc4)");
      expect(adrgStep.source).toMatch(/^adrg\.tsv:\d+ \(derived\/adrg\.tsv:\d+, derived\/adrg_rule\.tsv:\d+-\d+, upstream\/CHS_DRG_20\/ADRG\/IB1_.*\.dat\)$/);
      expect(r.trace!.find((t) => t.step === "mdc" && t.decision.startsWith("MDCI entered"))!.source).toMatch(/derived\/mdc\.tsv:\d+, upstream\/CHS_DRG_20\/MDC\/MDCI_/);
      expect(r.trace!.at(-1)!.source).toMatch(/^drg\.tsv:\d+ \(derived\/drg\.tsv:\d+\)$/);
    });
  });

  describe("README statements on cases built from the tables", () => {
    it("step 3: a principal on ZD_INVALID is not rejected, only flagged", () => {
      const pdx = first(zdInvalid, (c) => mdcsOf.has(c));
      const r = g.group(episode({ principalDx: pdx }));
      expect(r.status).not.toBe("rejected");
      expect(r.flags).toContainEqual({ edit: "PRINCIPAL_INVALID", detail: pdx, rejects: false });
    });
    it("SS_INVALID: such a main procedure is flagged and is no operation (no QY, ZZ1 still takes the trauma case)", () => {
      const proc = ssInvalid[0]!;
      const pdx = first(list("GZ1", "pdx"), (c) => onlyIn(c, "MDCG"));
      const r = g.group(episode({ principalDx: pdx, procedures: [proc] }));
      expect(r.flags).toContainEqual({ edit: "MAIN_PROC_INVALID", detail: proc, rejects: false });
      expect(r.adrg).not.toBe("QY");
    });
    it("step 4: MDCY is entered by an HIV code among the secondaries", () => {
      const hiv = list("YR1", "anydx")[0]!;
      const pdx = first(list("ES3", "pdx"), (c) => onlyIn(c, "MDCE"));
      expect(g.group(episode({ principalDx: pdx, secondaryDx: [hiv] })).mdc).toBe("MDCY");
    });
    it("step 4: a neonate whose diagnoses do not qualify for MDCP gets PQY at once; an infant over 28 days goes on", () => {
      const pdx = first(list("ES3", "pdx"), (c) => onlyIn(c, "MDCE"));
      expect(g.group(neonate(10, 3000, { principalDx: pdx })).drg).toBe("PQY");
      expect(g.group(neonate(40, 3000, { principalDx: pdx })).mdc).toBe("MDCE");
    });
    it("step 4: MDCP is entered through a weight-band code among the secondaries, and the band decides", () => {
      const pdx = first(list("ES3", "pdx"), (c) => onlyIn(c, "MDCE"));
      const band = list("PS1", "anydx")[0]!;
      expect(g.group(neonate(3, 1499, { principalDx: pdx, secondaryDx: [band] })).adrg).toBe("PS1");
      expect(g.group(neonate(3, 2500, { principalDx: pdx, secondaryDx: [list("PS4", "anydx")[0]!] })).adrg).toBe("PS4");
    });
    it("step 5: an infant over 28 days with a PR1 principal gets PQY, a neonate PR1", () => {
      const pdx = list("PR1", "pdx")[0]!;
      expect(g.group(neonate(40, 3000, { principalDx: pdx })).drg).toBe("PQY");
      expect(g.group(neonate(20, 3000, { principalDx: pdx })).adrg).toBe("PR1");
    });
    it("step 5: only the first procedure decides QY", () => {
      const pdx = first(list("GZ1", "pdx"), (c) => onlyIn(c, "MDCG"));
      const gProcs = new Set([...lists.entries()].filter(([k]) => /^[AG]/.test(k)).flatMap(([, v]) => v));
      const op = first(valid, (c) => !gProcs.has(c));
      expect(g.group(episode({ principalDx: pdx, procedures: [op] })).drg).toBe("GQY");
      expect(g.group(episode({ principalDx: pdx, procedures: ["", op] })).adrg).toBe("GZ1");
    });
    it("step 5: in MDCI, ID1 is tried after IB1 and before IB3 and the IC/IE ADRGs", () => {
      const ib3 = new Set([...list("IB3", "main"), ...list("IC1", "main"), ...list("IE1", "main")]);
      const p = list("ID1", "main").find((c) => !ib3.has(c) && !list("IB1", "main2").includes(c));
      const pdx = list("ID1", "pdx").find((c) => onlyIn(c, "MDCI"));
      if (!p || !pdx) return;
      expect(g.group(episode({ principalDx: pdx, procedures: [p] })).adrg).toBe("ID1");
    });
    it("step 6: a male with an MDCN principal that groups nowhere else gets MQY (as for MDCM)", () => {
      const pdx = first(mdcsOf.keys(), (c) => onlyIn(c, "MDCN"));
      const r = g.group(episode({ sex: "M", principalDx: pdx }));
      expect([r.status, r.mdc, r.adrg, r.drg]).toEqual(["qy", "MDCM", "QY", "MQY"]);
      expect(r.flags.map((f) => f.edit)).toContain("DX_SEX_CONFLICT");
    });
    it("step 7: a CC whose exclusion table is the principal's does not count", () => {
      const r = g.group(episode({ principalDx: "K80.100", secondaryDx: ["K80.000x002"] }));
      if (r.principalExclusionTable === "") return;
      expect(r.cc.map((c) => c.code)).not.toContain("K80.000x002");
    });
    it("codes are compared exactly (no normalisation): a lower-case code is unknown", () => {
      const pdx = first(list("GZ1", "pdx"), (c) => onlyIn(c, "MDCG") && /[A-Z]/.test(c));
      expect(g.group(episode({ principalDx: pdx })).mdc).toBe("MDCG");
      expect(g.group(episode({ principalDx: pdx.toLowerCase() })).drg).toBe("0000");
    });
  });
});
