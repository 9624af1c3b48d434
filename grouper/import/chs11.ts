/**
 * Importer for the national CHS-DRG 1.1 tables in the layout described by
 * ../shared/conformance/chs-drg-1.1/README.md ("Files"): `derived/*.tsv`
 * (MDC / ADRG / DRG rules taken out of the reference source) and
 * `upstream/DATA/*.dat` (CC, MCC, CCE, DRG names, SS_VALID), optionally
 * `upstream/ICD/{ZD,SS}_INFO.dat` as code catalogues. Pure: takes the files'
 * texts (keyed by their path relative to the folder) and returns the source
 * tables of medpay's own format, which are then compiled like any set.
 */
import { codeKey } from "../core/normalise.js";
import { SOURCE_FORMAT, SOURCE_FORMAT_VERSION } from "../core/compile.js";

export const CHS11_FILES = {
  required: [
    "derived/mdc.tsv", "derived/mdc_pdx.tsv", "derived/adrg.tsv", "derived/adrg_dx.tsv", "derived/adrg_proc.tsv", "derived/drg.tsv",
    "upstream/DATA/CC.dat", "upstream/DATA/MCC.dat", "upstream/DATA/CCE.dat", "upstream/DATA/DRG.dat", "upstream/DATA/SS_VALID.dat",
  ],
  optional: ["upstream/ICD/ZD_INFO.dat", "upstream/ICD/SS_INFO.dat"],
} as const;

export interface Chs11Import {
  files: Record<string, string>;
  /** what was dropped or derived, for the CLI to print */
  notes: string[];
}

/** Rule names of the README that our format expresses with a parameter. */
const PARAM_RULES: Record<string, [string, string]> = {
  PDX_AND_TAGS_1_OR_2AND3: ["PDX_AND_TAGS", "1|2&3"],
  PDX_AND_TAGS_1AND2_OR_1AND3AND4: ["PDX_AND_TAGS", "1&2|1&3&4"],
  // README: `<1500`, `1500–1999`, `2000–2499`, `>=2500` grams.
  ANY_DX_AND_NEONATE_WEIGHT_LT_1500: ["ANY_DX_AND_NEONATE_WEIGHT", "0-1499"],
  ANY_DX_AND_NEONATE_WEIGHT_1500_1999: ["ANY_DX_AND_NEONATE_WEIGHT", "1500-1999"],
  ANY_DX_AND_NEONATE_WEIGHT_2000_2499: ["ANY_DX_AND_NEONATE_WEIGHT", "2000-2499"],
  ANY_DX_AND_NEONATE_WEIGHT_GE_2500: ["ANY_DX_AND_NEONATE_WEIGHT", "2500-"],
};

function tsvRows(text: string): Record<string, string>[] {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, "")).filter((l) => l !== "");
  const header = (lines.shift() ?? "").split("\t");
  return lines.map((l) => {
    const cells = l.split("\t");
    const r: Record<string, string> = {};
    header.forEach((h, i) => {
      r[h] = cells[i] ?? "";
    });
    return r;
  });
}

/** `.dat` rows: key and value split at the first single space (README "Files"). */
function datRows(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") continue;
    const i = line.indexOf(" ");
    out.push(i < 0 ? [line, ""] : [line.slice(0, i), line.slice(i + 1)]);
  }
  return out;
}

const clean = (s: string) => s.replace(/[\t\n\r]/g, " ").trim();

/** Keeps the first row per normalised key (upstream lists repeat some codes; a repeat never changes membership). */
function dedupe<T>(rows: T[], key: (r: T) => string, what: string, notes: string[]): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const r of rows) {
    const k = key(r);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  if (out.length < rows.length) notes.push(`${what}: ${rows.length - out.length} repeated row(s) dropped`);
  return out;
}

export function importChs11(input: Readonly<Record<string, string>>): Chs11Import {
  const missing = CHS11_FILES.required.filter((f) => input[f] === undefined);
  if (missing.length > 0) throw new Error(`CHS-DRG 1.1 import: missing file(s) ${missing.join(", ")}`);
  const get = (f: string) => input[f] ?? "";
  const notes: string[] = [];

  const mdcRows = tsvRows(get("derived/mdc.tsv")).sort((a, b) => Number(a.order) - Number(b.order));
  const adrgRows = tsvRows(get("derived/adrg.tsv"));
  const adrgByCode = new Map(adrgRows.map((r) => [r.adrg!, r]));

  let mdc = "mdc\tentry_rule\tqy_drg\tname_zh\tname_en\n";
  let adrg = "adrg\tmdc\tkind\trule\tparam\tname_zh\tname_en\n";
  for (const m of mdcRows) {
    // 1.1 has QY switched off in every MDC (README step 6): no QY group.
    mdc += `${m.mdc}\t${m.entry_rule}\t\t\t\n`;
    const order = [...(m.adrgs_before_qy ?? "").split(" "), ...(m.adrgs_after_qy ?? "").split(" ")].filter((a) => a !== "");
    for (const code of order) {
      const a = adrgByCode.get(code);
      if (!a) throw new Error(`CHS-DRG 1.1 import: ${m.mdc} lists ADRG ${code} that derived/adrg.tsv lacks`);
      const [rule, param] = PARAM_RULES[a.entry_rule!] ?? [a.entry_rule!, ""];
      adrg += [code, m.mdc, a.kind, rule, param, clean(a.adrg_name_zh ?? ""), ""].join("\t") + "\n";
    }
  }

  let mdcDx = "mdc\tdx_code\ttrauma_region\n";
  const pdxRows = dedupe(tsvRows(get("derived/mdc_pdx.tsv")), (r) => `${r.mdc}\t${codeKey(r.dx_code!)}`, "mdc_pdx", notes);
  const mdcsOf = new Map<string, Set<string>>();
  for (const r of pdxRows) {
    mdcDx += `${r.mdc}\t${r.dx_code}\t${r.trauma_region ?? ""}\n`;
    let s = mdcsOf.get(r.dx_code!);
    if (!s) mdcsOf.set(r.dx_code!, (s = new Set()));
    s.add(r.mdc!);
  }

  let adrgDx = "adrg\tdx_code\n";
  for (const r of dedupe(tsvRows(get("derived/adrg_dx.tsv")), (r) => `${r.adrg}\t${codeKey(r.dx_code!)}`, "adrg_dx", notes)) {
    adrgDx += `${r.adrg}\t${r.dx_code}\n`;
  }
  let adrgProc = "adrg\tlist\tproc_code\ttag\n";
  for (const r of dedupe(tsvRows(get("derived/adrg_proc.tsv")), (r) => `${r.adrg}\t${r.list}\t${codeKey(r.proc_code!)}`, "adrg_proc", notes)) {
    adrgProc += `${r.adrg}\t${r.list}\t${r.proc_code}\t${r.tag ?? ""}\n`;
  }

  const drgNames = new Map(datRows(get("upstream/DATA/DRG.dat")));
  let drg = "drg\tadrg\tsuffix\tsplit_rule\tparam\tname_zh\tname_en\n";
  const drgRows = tsvRows(get("derived/drg.tsv"));
  const adrgOrder = new Map(adrgRows.map((r, i) => [r.adrg!, i]));
  drgRows.sort((a, b) => (adrgOrder.get(a.adrg!)! - adrgOrder.get(b.adrg!)!) || Number(a.test_order_in_adrg) - Number(b.test_order_in_adrg));
  for (const r of drgRows) {
    drg += [r.drg, r.adrg, r.suffix, r.split_rule, "", clean(drgNames.get(r.drg!) ?? r.drg_name_zh ?? ""), ""].join("\t") + "\n";
  }

  let cc = "dx_code\tlevel\texclusion_table\n";
  const ccRows = dedupe(
    [...datRows(get("upstream/DATA/MCC.dat")).map(([c, t]) => [c, "MCC", t] as const), ...datRows(get("upstream/DATA/CC.dat")).map(([c, t]) => [c, "CC", t] as const)],
    (r) => codeKey(r[0]), "CC/MCC", notes,
  );
  for (const [c, l, t] of ccRows) cc += `${c}\t${l}\t${t.trim()}\n`;
  let cce = "principal_dx\texclusion_table\n";
  for (const [c, t] of dedupe(datRows(get("upstream/DATA/CCE.dat")), (r) => codeKey(r[0]), "CCE", notes)) cce += `${c}\t${t.trim()}\n`;
  let or = "proc_code\tname\n";
  for (const [c, n] of dedupe(datRows(get("upstream/DATA/SS_VALID.dat")), (r) => codeKey(r[0]), "SS_VALID", notes)) or += `${c}\t${clean(n)}\n`;

  const files: Record<string, string> = {
    "mdc.tsv": mdc, "mdc_dx.tsv": mdcDx, "adrg.tsv": adrg, "adrg_dx.tsv": adrgDx, "adrg_proc.tsv": adrgProc,
    "drg.tsv": drg, "cc.tsv": cc, "cc_exclusion.tsv": cce, "or_proc.tsv": or,
  };
  const catalogue = (f: string, col: string) => {
    let out = `${col}\tname\n`;
    for (const [c, n] of dedupe(datRows(get(f)), (r) => codeKey(r[0]), f, notes)) out += `${c}\t${clean(n)}\n`;
    return out;
  };
  if (input["upstream/ICD/ZD_INFO.dat"] !== undefined) files["dx_codes.tsv"] = catalogue("upstream/ICD/ZD_INFO.dat", "dx_code");
  if (input["upstream/ICD/SS_INFO.dat"] !== undefined) files["proc_codes.tsv"] = catalogue("upstream/ICD/SS_INFO.dat", "proc_code");

  // 1.1 has no sex edit of its own, yet medpay must flag e.g. a male pregnancy
  // (GROUPER.md step 1). Derived: a code listed only under the pregnancy or
  // female MDCs (besides the special MDCs A/P/Y/Z) is female-only, one listed
  // only under the male MDC is male-only.
  let edits = "dx_code\tsex\tage_min_years\tage_max_years\n";
  let derived = 0;
  for (const [code, mdcs] of mdcsOf) {
    const body = [...mdcs].filter((m) => !["MDCA", "MDCP", "MDCY", "MDCZ"].includes(m));
    const sex = body.length > 0 && body.every((m) => m === "MDCO" || m === "MDCN") ? "F" : body.length > 0 && body.every((m) => m === "MDCM") ? "M" : "";
    if (sex) {
      edits += `${code}\t${sex}\t\t\n`;
      derived++;
    }
  }
  files["dx_edits.tsv"] = edits;
  notes.push(`dx_edits: ${derived} sex-specific diagnoses derived from the MDCM/MDCN/MDCO lists (flag only)`);

  files["set.json"] = JSON.stringify(
    {
      format: SOURCE_FORMAT,
      formatVersion: SOURCE_FORMAT_VERSION,
      id: "chs-drg-1.1",
      version: "1.1",
      label: "CHS-DRG 1.1 national edition (imported from the OpenDRG tables)",
      labelZh: "CHS-DRG 1.1 国家版（由 OpenDRG 表导入）",
      effectiveFrom: "2021-01-01",
      effectiveTo: null,
      demonstration: false,
      description: "Imported by `definitions import --format chs-1.1`. Tables: OpenDRG (Apache-2.0). Edits follow the Java/JavaScript reference: only a missing sex, a newborn (age 0, ≤28 days) without weight and a missing principal reject; everything else only flags.",
      options: {
        qy: "off",
        neonateMaxDays: 28,
        traumaMinRegions: 2,
        tableCodesAreKnown: false,
        rejectOn: ["PRINCIPAL_MISSING", "SEX_MISSING", "NEWBORN_WEIGHT_MISSING"],
        rejected: { mdc: "0000", adrg: "00", drg: "0000" },
        ungroupable: { mdc: "0000", adrg: "00", drg: "0000" },
      },
    },
    null,
    2,
  ) + "\n";
  return { files, notes };
}
