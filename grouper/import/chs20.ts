/**
 * Importer for the national CHS-DRG 2.0 tables in the layout described by
 * ../shared/conformance/chs-drg-2.0/README.md: the `derived/` rule tables
 * (MDC and ADRG test order, each ADRG's entry rule as conditions of terms, its
 * lists, the DRG split rules, the valid-procedure list and the repaired
 * CC/MCC/CCE tables) and the upstream `ZD_INVALID.dat`, `SS_INVALID.dat` and
 * `DRG.dat`. Pure: takes the files' texts keyed by their path relative to the
 * folder (plus, optionally, the names of the upstream ADRG/MDC files, for
 * provenance) and returns the source tables of medpay's format.
 *
 * Every ADRG becomes a `CONDITIONS` rule whose expression is the 2.0 entry
 * rule as data. What the README says the tables leave open is written into
 * the set, where a regional edition can change it: the MDC and ADRG order
 * (mdc.tsv / adrg.tsv row order), the QY check (`qy_rule`), the newborn PQY
 * rules, the MQY fallback for sex conflicts, exact code comparison.
 */
import { codeKey } from "../core/normalise.js";
import { SOURCE_FORMAT, SOURCE_FORMAT_VERSION } from "../core/compile.js";
import { DefinitionError, type DefinitionIssue } from "../format/errors.js";
import { parseTsv, type TsvRow } from "../format/tsv.js";

const UP = "upstream/CHS_DRG_20";

export const CHS20_FILES = {
  required: [
    "derived/mdc.tsv", "derived/mdc_pdx.tsv", "derived/adrg.tsv", "derived/adrg_rule.tsv", "derived/adrg_dx.tsv", "derived/adrg_proc.tsv",
    "derived/drg.tsv", "derived/valid_proc.tsv", "derived/severity.tsv", "derived/cce.tsv",
    `${UP}/ZD_INVALID.dat`, `${UP}/SS_INVALID.dat`, `${UP}/DRG.dat`,
  ],
} as const;

/** Folders whose file names (not contents) give each MDC and ADRG its upstream file. */
export const CHS20_NAMED_DIRS = [`${UP}/MDC`, `${UP}/ADRG`] as const;

/**
 * What the README states about the parts the tables do not (steps 4–6 of
 * "Grouping algorithm"). These are the facts of this edition the importer
 * writes into the set as data.
 */
const EDITION = {
  /** derived/mdc.tsv entry_rule → medpay's MDC rule; `anyPosition` marks which rows also count as a secondary. */
  entryRules: {
    "NONE (ADRGs tested directly)": { rule: "ALWAYS", anyPosition: "none" },
    AGE_YEARS_0_AND_P_DX: { rule: "PDX_AND_AGE_YEARS_0", anyPosition: "anydxLists" },
    ANY_DX: { rule: "PDX", anyPosition: "all" },
    PDX: { rule: "PDX", anyPosition: "none" },
    PDX_AND_MALE: { rule: "PDX_AND_MALE", anyPosition: "none" },
    PDX_AND_FEMALE: { rule: "PDX_AND_FEMALE", anyPosition: "none" },
    PDX_AND_TRAUMA_IN_2_PLUS_REGIONS: { rule: "PDX_AND_TRAUMA_IN_2_PLUS_REGIONS", anyPosition: "none" },
  } as Record<string, { rule: string; anyPosition: "none" | "all" | "anydxLists" }>,
  /** Step 4: a principal in these lists with the other sex sets the sex-conflict flag (not for MDCO). */
  sexEditMdcs: ["MDCM", "MDCN"],
  /** Step 5: in the newborn MDC an infant over 28 days whose principal is in this ADRG's list (RDS) gets PQY. */
  infantQyList: "PR1.pdx",
  /** Step 6: the result when nothing matched and the sex conflicts (the reference uses MQY for MDCN too). */
  sexConflictFallback: { mdc: "MDCM", adrg: "QY", drg: "MQY" },
} as const;

/** derived/adrg_rule.tsv terms → medpay terms. */
const TERM_OF: Record<string, string> = {
  PDX_IN: "PDX_IN", MAIN_PROC_IN: "MAIN_PROC_IN", ANY_PROC_IN: "ANY_PROC_IN", SECONDARY_DX_IN: "SECONDARY_DX_IN", ANY_DX_IN: "ANY_DX_IN",
  MAIN_PROC_VALID: "MAIN_PROC_IS_OR", NEONATE: "NEONATE", NOT_NEONATE: "NOT_NEONATE", ALWAYS: "ALWAYS",
};
const LIST_TERMS = new Set(["PDX_IN", "MAIN_PROC_IN", "ANY_PROC_IN", "SECONDARY_DX_IN", "ANY_DX_IN"]);

export interface Chs20Options {
  /** names of the files under CHS20_NAMED_DIRS, relative to the folder */
  upstreamNames?: readonly string[];
}

export interface Chs20Import {
  files: Record<string, string>;
  notes: string[];
}

/** Columns of the derived tables (README "derived/"): the ones read, then the others a table may carry. */
const DERIVED_COLUMNS: Record<string, [read: string[], other: string[]]> = {
  "derived/mdc.tsv": [["order", "mdc", "mdc_name_zh", "entry_rule", "adrgs_before_qy", "qy_check", "adrgs_after_qy"], ["pdx_list_size"]],
  "derived/mdc_pdx.tsv": [["mdc", "dx_code", "trauma_region"], ["trauma_region_zh"]],
  "derived/adrg.tsv": [["mdc", "adrg", "adrg_name_zh", "section", "kind"], ["order_in_mdc", "entry_rule", "conditions", "oracle_rule_label_zh", "drgs_in_test_order"]],
  "derived/adrg_rule.tsv": [["adrg", "condition", "term", "list"], ["term_no"]],
  "derived/adrg_dx.tsv": [["adrg", "list", "dx_code"], []],
  "derived/adrg_proc.tsv": [["adrg", "list", "proc_code"], []],
  "derived/drg.tsv": [["drg", "adrg", "suffix", "split_rule", "test_order_in_adrg", "drg_name_zh"], ["mdc"]],
  "derived/valid_proc.tsv": [["proc_code"], ["adrgs"]],
  "derived/severity.tsv": [["dx_code", "level", "exclusion_table"], ["note"]],
  "derived/cce.tsv": [["dx_code", "exclusion_table"], ["note"]],
};

/** Upstream `.dat` rows: code and text split at the first single space (README "Files"). */
function dat(file: string, text: string, issues: DefinitionIssue[]): { line: number; code: string; text: string }[] {
  const out: { line: number; code: string; text: string }[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "") return;
    const at = line.indexOf(" ");
    const code = at < 0 ? line : line.slice(0, at);
    if (!/^[A-Z0-9][0-9A-Za-z.+*]*$/.test(code)) {
      issues.push({ file, line: i + 1, reason: `"${code}" is not a code (expected code SP text)` });
      return;
    }
    out.push({ line: i + 1, code, text: at < 0 ? "" : line.slice(at + 1) });
  });
  return out;
}

const clean = (s: string) => s.replace(/[\t\n\r]/g, " ").trim();

export function importChs20(input: Readonly<Record<string, string>>, options: Chs20Options = {}): Chs20Import {
  const missing = CHS20_FILES.required.filter((f) => input[f] === undefined);
  if (missing.length > 0) throw new DefinitionError(missing.map((file) => ({ file, line: 0, reason: "required file of the CHS-DRG 2.0 layout is missing" })));
  const issues: DefinitionIssue[] = [];
  const notes: string[] = [];
  const get = (f: string) => input[f] ?? "";
  const upstreamFile = upstreamFileOf(options.upstreamNames ?? []);
  const derived = (file: string): TsvRow[] => parseTsv(file, get(file), ...DERIVED_COLUMNS[file]!, issues);

  const mdcRows = derived("derived/mdc.tsv");
  const adrgRows = derived("derived/adrg.tsv");
  const ruleRows = derived("derived/adrg_rule.tsv");
  const dxRows = derived("derived/adrg_dx.tsv");
  const procRows = derived("derived/adrg_proc.tsv");
  const adrgByCode = new Map(adrgRows.map((r) => [r.cells.adrg!, r]));

  // Each ADRG's rule: conditions (OR) of terms (AND), in the order of adrg_rule.tsv.
  const rules = new Map<string, { conditions: Map<string, string[]>; lines: number[] }>();
  for (const r of ruleRows) {
    const { adrg, condition, term, list } = r.cells as Record<string, string>;
    if (!adrgByCode.has(adrg!)) {
      issues.push({ file: "derived/adrg_rule.tsv", line: r.line, reason: `ADRG ${adrg} is not in derived/adrg.tsv` });
      continue;
    }
    const t = termOf(term!, list!);
    if ("error" in t) {
      issues.push({ file: "derived/adrg_rule.tsv", line: r.line, reason: t.error });
      continue;
    }
    let rule = rules.get(adrg!);
    if (!rule) rules.set(adrg!, (rule = { conditions: new Map(), lines: [] }));
    rule.lines.push(r.line);
    let terms = rule.conditions.get(condition!);
    if (!terms) rule.conditions.set(condition!, (terms = []));
    terms.push(t.term);
  }

  // Lists, deduplicated (README: ADRG lists have no duplicates, but a repeat must not fail the set).
  let adrgDx = "adrg\tlist\tdx_code\n";
  const anydxOf = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const r of dxRows) {
    const { adrg, list, dx_code: code } = r.cells as Record<string, string>;
    if (!adrgByCode.has(adrg!)) {
      issues.push({ file: "derived/adrg_dx.tsv", line: r.line, reason: `ADRG ${adrg} is not in derived/adrg.tsv` });
      continue;
    }
    const k = `${adrg}\t${list}\t${codeKey(code!)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    adrgDx += `${adrg}\t${list}\t${code}\n`;
    if (list === "anydx") (anydxOf.get(adrg!) ?? anydxOf.set(adrg!, []).get(adrg!)!).push(code!);
  }
  let adrgProc = "adrg\tlist\tproc_code\ttag\n";
  for (const r of procRows) {
    const { adrg, list, proc_code: code } = r.cells as Record<string, string>;
    if (!adrgByCode.has(adrg!)) {
      issues.push({ file: "derived/adrg_proc.tsv", line: r.line, reason: `ADRG ${adrg} is not in derived/adrg.tsv` });
      continue;
    }
    const k = `${adrg}\t${list}\t${codeKey(code!)}\tproc`;
    if (seen.has(k)) continue;
    seen.add(k);
    adrgProc += `${adrg}\t${list}\t${code}\t\n`;
  }

  // MDCs in test order, their ADRGs in test order.
  let mdc = "mdc\tentry_rule\tqy_drg\tsex_edit\tqy_rule\tqy_if_not_entered\tname_zh\tname_en\torigin\n";
  let adrg = "adrg\tmdc\tkind\trule\tparam\tname_zh\tname_en\torigin\n";
  const anyPositionOf = new Map<string, "all" | Set<string>>();
  const adrgOrder: string[] = [];
  /** every ADRG some MDC lists, written or not (a broken one is reported once, not again for its DRGs) */
  const listed = new Set<string>();
  const ordered = [...mdcRows].sort((a, b) => Number(a.cells.order) - Number(b.cells.order));
  for (const m of ordered) {
    const code = m.cells.mdc!;
    const entry = EDITION.entryRules[m.cells.entry_rule!];
    if (!entry) {
      issues.push({ file: "derived/mdc.tsv", line: m.line, reason: `${code}: unknown entry_rule "${m.cells.entry_rule}" (one of ${Object.keys(EDITION.entryRules).join(", ")})` });
      continue;
    }
    const before = (m.cells.adrgs_before_qy ?? "").split(" ").filter(Boolean);
    const after = (m.cells.adrgs_after_qy ?? "").split(" ").filter(Boolean);
    const qy = m.cells.qy_check === "yes";
    if (m.cells.qy_check !== "yes" && m.cells.qy_check !== "no") issues.push({ file: "derived/mdc.tsv", line: m.line, reason: `${code}: qy_check must be yes or no` });
    // README step 5: the QY check on the first procedure; in the newborn MDC also an infant's RDS principal; step 4: a neonate outside MDCP.
    const newborn = entry.anyPosition === "anydxLists";
    const qyRule = !qy ? "" : newborn ? `[MAIN_PROC_IS_OR] | [NOT_NEONATE & PDX_IN(${EDITION.infantQyList})]` : "MAIN_PROC_IS_OR";
    const sexEdit = (EDITION.sexEditMdcs as readonly string[]).includes(code) ? "yes" : "";
    const origin = [`derived/mdc.tsv:${m.line}`, upstreamFile.get(code)].filter(Boolean).join(", ");
    mdc += [code, entry.rule, qy ? `${code.slice(3)}QY` : "", sexEdit, qyRule, newborn && qy ? "NEONATE" : "", clean(m.cells.mdc_name_zh ?? ""), "", origin].join("\t") + "\n";
    if (entry.anyPosition === "all") anyPositionOf.set(code, "all");
    if (newborn) anyPositionOf.set(code, new Set([...before, ...after].flatMap((a) => anydxOf.get(a) ?? [])));

    for (const [section, list] of [["BEFORE_QY", before], ["AFTER_QY", after]] as const) {
      for (const a of list) {
        const row = adrgByCode.get(a);
        if (!row) {
          issues.push({ file: "derived/mdc.tsv", line: m.line, reason: `${code} lists ADRG ${a}, which derived/adrg.tsv lacks` });
          continue;
        }
        listed.add(a);
        const kind = row.cells.kind!;
        // The engine checks QY where the medical ADRGs begin, so the sections must split by kind.
        if (row.cells.section !== section || (kind === "MEDICAL") !== (section === "AFTER_QY")) {
          issues.push({ file: "derived/adrg.tsv", line: row.line, reason: `ADRG ${a}: ${kind} in section ${row.cells.section}; medpay checks QY before the first MEDICAL ADRG, so procedure ADRGs must be BEFORE_QY and medical ones AFTER_QY` });
          continue;
        }
        const rule = rules.get(a);
        if (!rule) {
          issues.push({ file: "derived/adrg.tsv", line: row.line, reason: `ADRG ${a} has no rows in derived/adrg_rule.tsv` });
          continue;
        }
        const groups = [...rule.conditions.values()].map((terms) => terms.join(" & "));
        const param = groups.length === 1 ? groups[0]! : groups.map((g) => `[${g}]`).join(" | ");
        const lines = `${Math.min(...rule.lines)}-${Math.max(...rule.lines)}`;
        const originA = [`derived/adrg.tsv:${row.line}`, `derived/adrg_rule.tsv:${lines}`, upstreamFile.get(a)].filter(Boolean).join(", ");
        adrg += [a, code, kind, "CONDITIONS", param, clean(row.cells.adrg_name_zh ?? ""), "", originA].join("\t") + "\n";
        adrgOrder.push(a);
      }
    }
  }

  let mdcDx = "mdc\tdx_code\ttrauma_region\tposition\n";
  const mdcSeen = new Set<string>();
  let repeats = 0;
  for (const r of derived("derived/mdc_pdx.tsv")) {
    const { mdc: m, dx_code: code, trauma_region: region } = r.cells as Record<string, string>;
    const k = `${m}\t${codeKey(code!)}`;
    if (mdcSeen.has(k)) {
      repeats++;
      continue;
    }
    mdcSeen.add(k);
    const any = anyPositionOf.get(m!);
    const position = any === "all" || (any instanceof Set && any.has(code!)) ? "any" : "";
    mdcDx += `${m}\t${code}\t${region ?? ""}\t${position}\n`;
  }
  if (repeats > 0) notes.push(`mdc_pdx: ${repeats} repeated row(s) dropped`);
  // The newborn MDC is also entered through the any-diagnosis lists of its ADRGs (README step 4, PS1–PS4).
  for (const [m, any] of anyPositionOf) {
    if (!(any instanceof Set)) continue;
    for (const code of any) {
      if (mdcSeen.has(`${m}\t${codeKey(code)}`)) continue;
      mdcSeen.add(`${m}\t${codeKey(code)}`);
      mdcDx += `${m}\t${code}\t\tany\n`;
    }
  }

  const names = new Map(dat(`${UP}/DRG.dat`, get(`${UP}/DRG.dat`), issues).map((r) => [r.code, r.text]));
  const position = new Map(adrgOrder.map((a, i) => [a, i]));
  let drg = "drg\tadrg\tsuffix\tsplit_rule\tparam\tname_zh\tname_en\torigin\n";
  const drgRows = derived("derived/drg.tsv");
  for (const r of drgRows) {
    if (!listed.has(r.cells.adrg!)) issues.push({ file: "derived/drg.tsv", line: r.line, reason: `DRG ${r.cells.drg}: ADRG ${r.cells.adrg} is in no MDC of derived/mdc.tsv` });
  }
  drgRows
    .filter((r) => position.has(r.cells.adrg!))
    .sort((a, b) => position.get(a.cells.adrg!)! - position.get(b.cells.adrg!)! || Number(a.cells.test_order_in_adrg) - Number(b.cells.test_order_in_adrg))
    .forEach((r) => {
      const { drg: code, adrg: a, suffix, split_rule: split } = r.cells as Record<string, string>;
      drg += [code, a, suffix, split, "", clean(names.get(code!) ?? r.cells.drg_name_zh ?? ""), "", `derived/drg.tsv:${r.line}`].join("\t") + "\n";
    });

  let cc = "dx_code\tlevel\texclusion_table\n";
  for (const r of derived("derived/severity.tsv")) {
    cc += `${r.cells.dx_code}\t${r.cells.level}\t${r.cells.exclusion_table}\n`;
  }
  let cce = "principal_dx\texclusion_table\n";
  for (const r of derived("derived/cce.tsv")) cce += `${r.cells.dx_code}\t${r.cells.exclusion_table}\n`;
  let or = "proc_code\tname\n";
  for (const r of derived("derived/valid_proc.tsv")) or += `${r.cells.proc_code}\t\n`;
  const codeList = (file: string, col: string) => {
    let out = `${col}\tname\n`;
    const keys = new Set<string>();
    for (const r of dat(file, get(file), issues)) {
      if (keys.has(codeKey(r.code))) continue;
      keys.add(codeKey(r.code));
      out += `${r.code}\t${clean(r.text)}\n`;
    }
    return out;
  };

  const notPrincipal = codeList(`${UP}/ZD_INVALID.dat`, "dx_code");
  const notOperation = codeList(`${UP}/SS_INVALID.dat`, "proc_code");
  if (issues.length > 0) throw new DefinitionError(issues);
  const files: Record<string, string> = {
    "mdc.tsv": mdc, "mdc_dx.tsv": mdcDx, "adrg.tsv": adrg, "adrg_dx.tsv": adrgDx, "adrg_proc.tsv": adrgProc, "drg.tsv": drg,
    "cc.tsv": cc, "cc_exclusion.tsv": cce, "or_proc.tsv": or,
    "dx_not_principal.tsv": notPrincipal,
    "proc_not_operation.tsv": notOperation,
    "set.json": setJson(),
  };
  return { files, notes };
}

/** A derived term as medpay's condition expressions write it. */
function termOf(term: string, list: string): { term: string } | { error: string } {
  const band = /^BIRTH_WEIGHT_(\d+)_(\d+|PLUS)$/.exec(term);
  if (band) return { term: `BIRTH_WEIGHT(${band[1]}-${band[2] === "PLUS" ? "" : band[2]})` };
  const t = TERM_OF[term];
  if (!t) return { error: `unknown term "${term}" (one of ${[...Object.keys(TERM_OF), "BIRTH_WEIGHT_lo_hi"].join(", ")})` };
  if (LIST_TERMS.has(t) !== (list !== "")) return { error: LIST_TERMS.has(t) ? `${term} needs a list` : `${term} takes no list, got "${list}"` };
  return { term: LIST_TERMS.has(t) ? `${t}(${list})` : t };
}

/** `ADRG/GE1_….dat` per ADRG (the composite file, not the `_1`/`_2` parts) and `MDC/MDCB_….dat` per MDC. */
function upstreamFileOf(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of names) {
    const rel = n.startsWith(`${UP}/`) ? n.slice(UP.length + 1) : n;
    const m = /^(MDC|ADRG)\/([A-Z0-9]+)_(.*)\.dat$/.exec(rel);
    if (!m || (m[1] === "ADRG" && /^\d_/.test(m[3]!))) continue;
    out.set(m[2]!, `${UP}/${rel}`);
  }
  return out;
}

function setJson(): string {
  return JSON.stringify(
    {
      format: SOURCE_FORMAT,
      formatVersion: SOURCE_FORMAT_VERSION,
      id: "chs-drg-2.0",
      version: "2.0",
      label: "CHS-DRG 2.0 national edition (imported from the OpenDRG tables)",
      labelZh: "CHS-DRG 2.0 国家版（由 OpenDRG 表导入）",
      effectiveFrom: "2025-01-01",
      effectiveTo: null,
      demonstration: false,
      description:
        "Imported by `definitions import --format chs-2.0`. Tables: OpenDRG_Rules CHS_DRG_20 (Apache-2.0), rules as the conformance README states them: " +
        "MDC and ADRG test order as inferred there (ID1/ID2 after IB1), QY on the first procedure in 20 MDCs, PQY for a neonate outside MDCP and for an infant over 28 days with an RDS principal, " +
        "MQY when nothing matched and the principal's MDC is for the other sex. Only a missing sex and no diagnosis at all reject; ZD_INVALID principals and SS_INVALID main procedures are flagged.",
      options: {
        qy: "rule",
        neonateMaxDays: 28,
        traumaMinRegions: 2,
        tableCodesAreKnown: false,
        rejectOn: ["SEX_MISSING", "DX_MISSING"],
        rejected: { mdc: "0000", adrg: "00", drg: "0000" },
        ungroupable: { mdc: "0000", adrg: "00", drg: "0000" },
        qyAdrg: "QY",
        sexConflictFallback: EDITION.sexConflictFallback,
        exactCodes: true,
      },
    },
    null,
    2,
  ) + "\n";
}
