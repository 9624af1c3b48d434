/**
 * Differential test: the conformance README's reference algorithm written out
 * literally (exact strings, no interning, no compilation) against the
 * imported and compiled national set, on seeded random cases weighted toward
 * the special MDCs and rule kinds. Tables are read from ../shared at test time.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compileDefinitionSet, createGrouper, type EpisodeFields } from "../../grouper/index.js";
import { CHS11_FILES, importChs11 } from "../../grouper/import/chs11.js";
import { readChs11Dir } from "../../grouper/node.js";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const dir = path.resolve(repoRoot, "../shared/conformance/chs-drg-1.1");
const present = existsSync(path.join(dir, "derived/mdc.tsv"));
if (!present) console.warn(`skipping CHS-DRG 1.1 differential test: ${dir} is missing`);

type Row = Record<string, string>;
const tsv = (f: string): Row[] => {
  const [head, ...rows] = readFileSync(path.join(dir, f), "utf8").trim().split("\n");
  const cols = head!.split("\t");
  return rows.map((l) => Object.fromEntries(l.split("\t").map((v, i) => [cols[i]!, v])));
};
const dat = (f: string) =>
  new Map(readFileSync(path.join(dir, f), "utf8").split("\n").filter(Boolean).map((l) => [l.slice(0, l.indexOf(" ")), l.slice(l.indexOf(" ") + 1)] as const));
const group = <K, V>(m: Map<K, V>, k: K, make: () => V): V => m.get(k) ?? m.set(k, make()).get(k)!;

/** README "Grouping algorithm of the reference implementation", steps 3–10, Java edition reading of missing numbers. */
function makeReference() {
  const mdcs = tsv("derived/mdc.tsv").sort((a, b) => Number(a.order) - Number(b.order));
  const adrgs = new Map(tsv("derived/adrg.tsv").map((r) => [r.adrg!, r]));
  const mdcList = new Map<string, Map<string, string>>();
  for (const r of tsv("derived/mdc_pdx.tsv")) group(mdcList, r.mdc!, () => new Map()).set(r.dx_code!, r.trauma_region ?? "");
  const zd = new Map<string, Set<string>>();
  for (const r of tsv("derived/adrg_dx.tsv")) group(zd, r.adrg!, () => new Set()).add(r.dx_code!);
  const ss = new Map<string, Map<string, string>>();
  const ss1 = new Map<string, Set<string>>();
  for (const r of tsv("derived/adrg_proc.tsv")) {
    if (r.list === "ss") group(ss, r.adrg!, () => new Map()).set(r.proc_code!, r.tag ?? "");
    else group(ss1, r.adrg!, () => new Set()).add(r.proc_code!);
  }
  const splitRule = new Map(tsv("derived/drg.tsv").map((r) => [r.drg!, r.split_rule!]));
  const valid = dat("upstream/DATA/SS_VALID.dat");
  const cc = dat("upstream/DATA/CC.dat");
  const mcc = dat("upstream/DATA/MCC.dat");
  const cce = dat("upstream/DATA/CCE.dat");

  const groupCase = (e: EpisodeFields): string => {
    const sex = e.sex === "M" ? 1 : e.sex === "F" ? 2 : 0;
    const age = e.ageYears ?? 0;
    const days = e.ageDays ?? 0;
    const w = e.birthWeightGrams ?? 0;
    const dx = [e.principalDx, ...(e.secondaryDx ?? [])].filter((x): x is string => x != null && x !== "");
    const pr = e.procedures ?? [];
    if (sex === 0 || (age === 0 && days <= 28 && w === 0) || dx.length === 0) return "0000";
    const pdx = dx[0]!;
    const neonate = days <= 28;
    const main = pr[0];
    const mainIsOr = main !== undefined && valid.has(main);
    for (const m of mdcs) {
      const list = mdcList.get(m.mdc!) ?? new Map<string, string>();
      const inList = list.has(pdx);
      const entered =
        m.entry_rule === "MAIN_PROC_IS_OR" ? mainIsOr
        : m.entry_rule === "PDX" ? inList
        : m.entry_rule === "PDX_AND_MALE" ? inList && sex === 1
        : m.entry_rule === "PDX_AND_FEMALE" ? inList && sex === 2
        : m.entry_rule === "PDX_AND_AGE_YEARS_0" ? inList && age === 0
        : inList && new Set(dx.filter((d) => list.has(d)).map((d) => list.get(d))).size >= 2;
      if (!entered) continue;
      for (const code of [...m.adrgs_before_qy!.split(" "), ...m.adrgs_after_qy!.split(" ")].filter(Boolean)) {
        const zdList = zd.get(code) ?? new Set<string>();
        const ssList = ss.get(code) ?? new Map<string, string>();
        const ss1List = ss1.get(code) ?? new Set<string>();
        const p = zdList.has(pdx);
        const anyDx = dx.some((d) => zdList.has(d));
        const anySs = pr.some((x) => ssList.has(x));
        const anySs1 = pr.some((x) => ss1List.has(x));
        const mainSs = main !== undefined && ssList.has(main);
        const tags = new Set(pr.filter((x) => ssList.has(x)).map((x) => ssList.get(x)));
        const band = (lo: number, hi: number) => anyDx && neonate && w !== 0 && w >= lo && w < hi;
        const ok = {
          PDX: p,
          MAIN_PROC: mainSs,
          PDX_AND_MAIN_PROC: p && mainSs,
          MAIN_PROC_AND_NEONATE: mainSs && neonate,
          PDX_AND_NEONATE: p && neonate,
          ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1: anySs && anySs1,
          PDX_AND_ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1: p && anySs && anySs1,
          PDX_AND_TAGS_1_OR_2AND3: p && (tags.has("1") || (tags.has("2") && tags.has("3"))),
          PDX_AND_TAGS_1AND2_OR_1AND3AND4: p && tags.has("1") && (tags.has("2") || (tags.has("3") && tags.has("4"))),
          MAIN_PROC_IS_OR: mainIsOr,
          ANY_DX_AND_MAIN_PROC_IS_OR: anyDx && mainIsOr,
          NO_OR_PROC: !pr.some((x) => valid.has(x)),
          ANY_DX_AND_NEONATE_WEIGHT_LT_1500: band(0, 1500),
          ANY_DX_AND_NEONATE_WEIGHT_1500_1999: band(1500, 2000),
          ANY_DX_AND_NEONATE_WEIGHT_2000_2499: band(2000, 2500),
          ANY_DX_AND_NEONATE_WEIGHT_GE_2500: band(2500, Infinity),
          ALWAYS: true,
        }[adrgs.get(code)!.entry_rule!];
        if (ok === undefined) throw new Error(`rule ${adrgs.get(code)!.entry_rule} not covered`);
        if (!ok) continue;
        const table = cce.get(pdx);
        const secs = dx.slice(1);
        const hasMcc = secs.some((s) => mcc.has(s) && !(table !== undefined && mcc.get(s) === table));
        const hasCc = secs.some((s) => cc.has(s) && !(table !== undefined && cc.get(s) === table));
        for (const drg of adrgs.get(code)!.drgs_in_test_order!.split(" ")) {
          const rule = splitRule.get(drg);
          if (rule === "ALWAYS" || (rule === "MCC" && secs.length > 0 && hasMcc) || (rule === "MCC_OR_CC" && secs.length > 0 && (hasMcc || hasCc))) return drg;
        }
      }
    }
    return "0000";
  };

  // Pools for random cases.
  const allPdx = [...mdcList.values()].flatMap((m) => [...m.keys()]);
  const byMdc = (m: string) => [...(mdcList.get(m)?.keys() ?? [])];
  const ccPool = [...cc.keys(), ...mcc.keys()];
  const orPool = [...valid.keys()];
  const procPool = [...ss.values()].flatMap((m) => [...m.keys()]).concat([...ss1.values()].flatMap((s) => [...s]));
  const zdPool = [...zd.values()].flatMap((s) => [...s]);
  return { groupCase, allPdx, byMdc, ccPool, orPool, procPool, zdPool };
}

describe.skipIf(!present)("CHS-DRG 1.1 differential check against the README algorithm", () => {
  it("20,000 seeded random cases group identically", () => {
    const ref = makeReference();
    const g = createGrouper(compileDefinitionSet(importChs11(readChs11Dir(dir, [...CHS11_FILES.required, ...CHS11_FILES.optional])).files));
    let seed = 12345;
    const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
    const diffs: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const r = rnd();
      const focus = r < 0.1 ? "MDCA" : r < 0.25 ? "MDCP" : r < 0.32 ? "MDCY" : r < 0.45 ? "MDCZ" : r < 0.52 ? "MDCM" : r < 0.6 ? "MDCN" : r < 0.66 ? "MDCJ" : "";
      const newborn = focus === "MDCP" || rnd() < 0.03;
      const secondaryPool = focus && focus !== "MDCA" ? ref.byMdc(focus) : ref.byMdc("MDCZ");
      const e: EpisodeFields = {
        id: String(i),
        sex: rnd() < 0.02 ? null : rnd() < 0.5 ? "M" : "F",
        ageYears: newborn ? (rnd() < 0.9 ? 0 : null) : Math.floor(rnd() * 90),
        ageDays: newborn ? (rnd() < 0.85 ? Math.floor(rnd() * 60) : null) : rnd() < 0.5 ? null : Math.floor(rnd() * 30000),
        birthWeightGrams: newborn && rnd() < 0.9 ? 500 + Math.floor(rnd() * 4000) : null,
        principalDx: focus && focus !== "MDCA" ? pick(ref.byMdc(focus)) : pick(ref.allPdx),
        secondaryDx: Array.from({ length: Math.floor(rnd() * 6) }, () => {
          const q = rnd();
          return q < 0.4 ? pick(ref.ccPool) : q < 0.6 ? pick(secondaryPool) : q < 0.8 ? pick(ref.zdPool) : pick(ref.allPdx);
        }),
        procedures: rnd() < 0.35 ? [] : Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
          const q = rnd();
          return q < 0.5 ? pick(ref.procPool) : q < 0.9 ? pick(ref.orPool) : "00.0000";
        }),
      };
      const ours = g.group(e).drg;
      const theirs = ref.groupCase(e);
      if (ours !== theirs && diffs.length < 5) diffs.push(`${ours} vs reference ${theirs}: ${JSON.stringify(e)}`);
    }
    expect(diffs).toEqual([]);
  }, 60_000);
});
