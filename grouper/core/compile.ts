/**
 * Compiler: source tables (grouper/definitions/README.md) → compact artefact.
 * Pure: takes the files' texts, so the Node CLI, the tests and any build step
 * use the same code. Codes are interned to integers here so that the Worker
 * never parses CSV or normalises table codes at request time.
 */
import { DefinitionError, type DefinitionIssue } from "../format/errors.js";
import { parseTsv, type TsvRow } from "../format/tsv.js";
import { codeKey } from "./normalise.js";
import { parseConditions, resolveConditions, type ParsedTerm } from "./conditions.js";
import {
  ADRG_KINDS,
  ADRG_RULES,
  EDIT_CODES,
  MDC_RULES,
  QY_MODES,
  SPLIT_RULES,
  type AdrgKind,
  type AdrgRule,
  type CompiledAdrg,
  type CompiledList,
  type CompiledDrg,
  type CompiledMdc,
  type CompiledSet,
  type EditCode,
  type MdcRule,
  type SetMeta,
  type SetOptions,
  type SplitRule,
} from "./types.js";

export const SOURCE_FORMAT = "medpay-drg-source";
export const SOURCE_FORMAT_VERSION = 1;

/** Files of a source set; the optional ones may be absent. */
export const SOURCE_FILES = {
  required: ["set.json", "mdc.tsv", "mdc_dx.tsv", "adrg.tsv", "adrg_dx.tsv", "adrg_proc.tsv", "drg.tsv", "cc.tsv", "cc_exclusion.tsv", "or_proc.tsv"],
  optional: ["dx_codes.tsv", "proc_codes.tsv", "dx_edits.tsv", "dx_not_principal.tsv", "proc_not_operation.tsv"],
} as const;

/**
 * Interns codes by normalised key. Two spellings of one key in a set (say
 * `J18.900` and `j18.900`) would make the set's tables disagree with a
 * reference that compares exact strings, so the second spelling is an error.
 */
class CodeInterner {
  readonly codes: string[] = [];
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly firstSeen: string[] = [];
  constructor(private readonly issues: DefinitionIssue[]) {}
  id(code: string, file: string, line: number): number {
    const key = codeKey(code);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.codes.length;
      this.ids.set(key, id);
      this.codes.push(code);
      this.names.push("");
      this.firstSeen.push(`${file}:${line}`);
    } else if (this.codes[id] !== code) {
      this.issues.push({ file, line, reason: `code ${code} is spelled ${this.codes[id]} at ${this.firstSeen[id]}; use one spelling` });
    }
    return id;
  }
}

/** Parses a tag expression such as `1|2&3` into OR-of-AND groups. */
export function parseTagExpression(param: string): number[][] | null {
  if (!/^\d+(&\d+)*(\|\d+(&\d+)*)*$/.test(param)) return null;
  return param.split("|").map((g) => g.split("&").map(Number));
}

/** Parses a weight band `lo-hi` (grams, inclusive; `lo-` open-ended). */
export function parseWeightBand(param: string): { lo: number; hi: number } | null {
  const m = /^(\d+)-(\d*)$/.exec(param);
  if (!m) return null;
  return { lo: Number(m[1]), hi: m[2] === "" ? Number.POSITIVE_INFINITY : Number(m[2]) };
}

/** Parses `status=a,b;maxLos=n` of the DISCHARGE_STATUS split rule. */
export function parseDischargeParam(param: string): { statuses: string[]; maxLos: number | null } | null {
  let statuses: string[] | null = null;
  let maxLos: number | null = null;
  for (const part of param.split(";")) {
    const [k, v] = part.split("=");
    if (k === "status" && v) statuses = v.split(",").map((s) => s.trim());
    else if (k === "maxLos" && v && /^\d+$/.test(v)) maxLos = Number(v);
    else return null;
  }
  return statuses ? { statuses, maxLos } : null;
}

const PDX_RULES: ReadonlySet<AdrgRule> = new Set<AdrgRule>([
  "PDX", "PDX_AND_MAIN_PROC", "PDX_AND_ANY_PROC", "PDX_AND_NEONATE", "PDX_AND_ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1",
  "PDX_AND_TAGS", "ANY_DX_AND_MAIN_PROC_IS_OR", "ANY_DX_AND_NEONATE_WEIGHT",
]);
const SS_RULES: ReadonlySet<AdrgRule> = new Set<AdrgRule>([
  "MAIN_PROC", "ANY_PROC", "PDX_AND_MAIN_PROC", "PDX_AND_ANY_PROC", "MAIN_PROC_AND_NEONATE",
  "ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1", "PDX_AND_ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1", "PDX_AND_TAGS",
]);
const SS1_RULES: ReadonlySet<AdrgRule> = new Set<AdrgRule>(["ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1", "PDX_AND_ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1"]);

function oneOf<T extends string>(values: readonly T[], v: string): v is T {
  return (values as readonly string[]).includes(v);
}

function sortedUnique(ids: number[]): number[] {
  return [...new Set(ids)].sort((a, b) => a - b);
}

/**
 * Compiles a source set given as file name → text. Throws DefinitionError
 * listing every problem found (file, line, reason).
 */
export function compileDefinitionSet(files: Readonly<Record<string, string>>): CompiledSet {
  const issues: DefinitionIssue[] = [];
  for (const f of SOURCE_FILES.required) {
    if (files[f] === undefined) issues.push({ file: f, line: 0, reason: "required file is missing" });
  }
  if (issues.length > 0) throw new DefinitionError(issues);
  const text = (f: string) => files[f] ?? "";

  const { meta, options } = readSetJson(text("set.json"), issues);

  /** Rejects a second row with the same key (after code normalisation). */
  const seenKeys = new Map<string, number>();
  const unique = (file: string, row: TsvRow, key: string, what: string): boolean => {
    const k = `${file}\u0000${key}`;
    const first = seenKeys.get(k);
    if (first !== undefined) {
      issues.push({ file, line: row.line, reason: `duplicate row: ${what} already at line ${first}` });
      return false;
    }
    seenKeys.set(k, row.line);
    return true;
  };
  const need = (file: string, row: TsvRow, col: string): string => {
    const v = row.cells[col] ?? "";
    if (v === "") issues.push({ file, line: row.line, reason: `column ${col} is empty` });
    return v;
  };

  const dx = new CodeInterner(issues);
  const proc = new CodeInterner(issues);

  // Catalogues first, so that "known" codes occupy the lowest ids.
  let dxKnown = 0;
  if (files["dx_codes.tsv"] !== undefined) {
    for (const row of parseTsv("dx_codes.tsv", text("dx_codes.tsv"), ["dx_code", "name"], [], issues)) {
      const code = need("dx_codes.tsv", row, "dx_code");
      if (!code || !unique("dx_codes.tsv", row, codeKey(code), `code ${code}`)) continue;
      dx.names[dx.id(code, "dx_codes.tsv", row.line)] = row.cells.name ?? "";
    }
    dxKnown = dx.codes.length;
  }
  let procKnown = 0;
  if (files["proc_codes.tsv"] !== undefined) {
    for (const row of parseTsv("proc_codes.tsv", text("proc_codes.tsv"), ["proc_code", "name"], [], issues)) {
      const code = need("proc_codes.tsv", row, "proc_code");
      if (!code || !unique("proc_codes.tsv", row, codeKey(code), `code ${code}`)) continue;
      proc.names[proc.id(code, "proc_codes.tsv", row.line)] = row.cells.name ?? "";
    }
    procKnown = proc.codes.length;
  }

  // MDCs
  const mdcs: CompiledMdc[] = [];
  const mdcIndex = new Map<string, number>();
  /** An MDC's QY expressions, resolved once the ADRG lists they name are read. */
  const mdcQy: { qyRule: ParsedTerm[][] | null; qyIfNotEntered: ParsedTerm[][] | null; hasQyRule: boolean }[] = [];
  for (const row of parseTsv("mdc.tsv", text("mdc.tsv"), ["mdc", "entry_rule", "qy_drg", "name_zh", "name_en"], ["sex_edit", "qy_rule", "qy_if_not_entered", "origin"], issues)) {
    const code = need("mdc.tsv", row, "mdc");
    const rule = row.cells.entry_rule ?? "";
    const sexEdit = row.cells.sex_edit ?? "";
    if (!code || !unique("mdc.tsv", row, code, `MDC ${code}`)) continue;
    if (!oneOf(MDC_RULES, rule)) {
      issues.push({ file: "mdc.tsv", line: row.line, reason: `unknown entry_rule "${rule}" (one of ${MDC_RULES.join(", ")})` });
      continue;
    }
    if (sexEdit !== "" && sexEdit !== "yes") issues.push({ file: "mdc.tsv", line: row.line, reason: `${code}: sex_edit must be yes or empty, got "${sexEdit}"` });
    else if (sexEdit === "yes" && rule !== "PDX_AND_MALE" && rule !== "PDX_AND_FEMALE") {
      issues.push({ file: "mdc.tsv", line: row.line, reason: `${code}: sex_edit needs entry_rule PDX_AND_MALE or PDX_AND_FEMALE` });
    }
    const expr = (col: "qy_rule" | "qy_if_not_entered"): ParsedTerm[][] | null => {
      const v = row.cells[col] ?? "";
      if (v === "") return null;
      const parsed = parseConditions(v);
      if (typeof parsed === "string") issues.push({ file: "mdc.tsv", line: row.line, reason: `${code}: ${col}: ${parsed}` });
      else if ((row.cells.qy_drg ?? "") === "") issues.push({ file: "mdc.tsv", line: row.line, reason: `${code}: ${col} needs a qy_drg` });
      return typeof parsed === "string" ? null : parsed;
    };
    mdcQy.push({ qyRule: expr("qy_rule"), qyIfNotEntered: expr("qy_if_not_entered"), hasQyRule: (row.cells.qy_rule ?? "") !== "" });
    mdcIndex.set(code, mdcs.length);
    const mdc: CompiledMdc = {
      code, rule: rule as MdcRule, nameZh: row.cells.name_zh ?? "", nameEn: row.cells.name_en ?? "",
      qyDrg: row.cells.qy_drg ?? "", line: row.line, pdx: [], region: [], adrgs: [],
    };
    if (sexEdit === "yes") mdc.sexEdit = true;
    if (row.cells.origin) mdc.origin = row.cells.origin;
    mdcs.push(mdc);
  }

  const traumaRegions: string[] = [];
  const mdcPdx = mdcs.map(() => new Map<number, number>());
  const mdcAnyPosition = mdcs.map(() => [] as number[]);
  for (const row of parseTsv("mdc_dx.tsv", text("mdc_dx.tsv"), ["mdc", "dx_code"], ["trauma_region", "position"], issues)) {
    const m = need("mdc_dx.tsv", row, "mdc");
    const code = need("mdc_dx.tsv", row, "dx_code");
    if (!m || !code) continue;
    const mi = mdcIndex.get(m);
    if (mi === undefined) {
      issues.push({ file: "mdc_dx.tsv", line: row.line, reason: `unknown MDC ${m} (not in mdc.tsv)` });
      continue;
    }
    if (!unique("mdc_dx.tsv", row, `${m}\t${codeKey(code)}`, `${m} ${code}`)) continue;
    const regionName = row.cells.trauma_region ?? "";
    let region = -1;
    if (regionName !== "") {
      region = traumaRegions.indexOf(regionName);
      if (region < 0) region = traumaRegions.push(regionName) - 1;
    }
    const position = row.cells.position ?? "";
    if (position !== "" && position !== "principal" && position !== "any") {
      issues.push({ file: "mdc_dx.tsv", line: row.line, reason: `position must be principal, any or empty, got "${position}"` });
      continue;
    }
    const id = dx.id(code, "mdc_dx.tsv", row.line);
    mdcPdx[mi]!.set(id, region);
    if (position === "any") mdcAnyPosition[mi]!.push(id);
  }
  mdcs.forEach((mdc, i) => {
    const entries = [...mdcPdx[i]!.entries()].sort((a, b) => a[0] - b[0]);
    mdc.pdx = entries.map((e) => e[0]);
    mdc.region = entries.some((e) => e[1] >= 0) ? entries.map((e) => e[1]) : [];
    if (mdc.rule === "PDX_AND_TRAUMA_IN_2_PLUS_REGIONS" && mdc.region.length === 0) {
      issues.push({ file: "mdc.tsv", line: mdc.line, reason: `${mdc.code} uses ${mdc.rule} but mdc_dx.tsv gives it no trauma_region` });
    }
    if (mdcAnyPosition[i]!.length > 0) mdc.anyPosition = sortedUnique(mdcAnyPosition[i]!);
    if (mdc.rule !== "MAIN_PROC_IS_OR" && mdc.rule !== "ALWAYS" && mdc.pdx.length === 0) {
      issues.push({ file: "mdc.tsv", line: mdc.line, reason: `${mdc.code} has no principal diagnoses in mdc_dx.tsv` });
    }
  });

  // ADRGs
  const adrgs: CompiledAdrg[] = [];
  const adrgIndex = new Map<string, number>();
  const lastKindRank = new Map<number, number>();
  const adrgConditions: (ParsedTerm[][] | null)[] = [];
  for (const row of parseTsv("adrg.tsv", text("adrg.tsv"), ["adrg", "mdc", "kind", "rule", "param", "name_zh", "name_en"], ["origin"], issues)) {
    const code = need("adrg.tsv", row, "adrg");
    const m = need("adrg.tsv", row, "mdc");
    const kind = row.cells.kind ?? "";
    const rule = row.cells.rule ?? "";
    const param = row.cells.param ?? "";
    if (!code || !m || !unique("adrg.tsv", row, code, `ADRG ${code}`)) continue;
    const mi = mdcIndex.get(m);
    if (mi === undefined) {
      issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: unknown MDC ${m} (not in mdc.tsv)` });
      continue;
    }
    if (!oneOf(ADRG_KINDS, kind)) {
      issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: unknown kind "${kind}" (one of ${ADRG_KINDS.join(", ")})` });
      continue;
    }
    if (!oneOf(ADRG_RULES, rule)) {
      issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: unknown rule "${rule}" (one of ${ADRG_RULES.join(", ")})` });
      continue;
    }
    let conditions: ParsedTerm[][] | null = null;
    if (rule === "CONDITIONS") {
      const parsed = parseConditions(param);
      if (typeof parsed === "string") issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: ${parsed}` });
      else conditions = parsed;
    } else if (rule === "PDX_AND_TAGS" && !parseTagExpression(param)) {
      issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: PDX_AND_TAGS needs a tag expression like 1|2&3, got "${param}"` });
    } else if (rule === "ANY_DX_AND_NEONATE_WEIGHT" && !parseWeightBand(param)) {
      issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: weight band must be lo-hi grams, got "${param}"` });
    } else if (rule !== "PDX_AND_TAGS" && rule !== "ANY_DX_AND_NEONATE_WEIGHT" && param !== "") {
      issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: rule ${rule} takes no param` });
    }
    // GROUPER.md step 5: procedure ADRGs are tried before medical ones.
    const rank = kind === "MEDICAL" ? 1 : 0;
    if ((lastKindRank.get(mi) ?? 0) > rank) {
      issues.push({ file: "adrg.tsv", line: row.line, reason: `ADRG ${code}: ${kind} row after a MEDICAL ADRG of ${m}; procedure ADRGs must come first` });
    }
    lastKindRank.set(mi, rank);
    adrgIndex.set(code, adrgs.length);
    mdcs[mi]!.adrgs.push(adrgs.length);
    adrgConditions.push(conditions);
    const adrg: CompiledAdrg = {
      code, mdc: mi, kind: kind as AdrgKind, rule: rule as AdrgRule, param, nameZh: row.cells.name_zh ?? "",
      nameEn: row.cells.name_en ?? "", line: row.line, dx: [], ss: [], ssTag: [], ss1: [], drgs: [],
    };
    if (rule === "CONDITIONS") adrg.lists = [];
    if (row.cells.origin) adrg.origin = row.cells.origin;
    adrgs.push(adrg);
  }
  /** Named lists of CONDITIONS ADRGs, filled by the list tables below: name → list. */
  const namedLists = adrgs.map(() => new Map<string, CompiledList & { line: number }>());
  const addToList = (ai: number, name: string, of: "dx" | "proc", id: number, file: string, line: number): boolean => {
    const lists = namedLists[ai]!;
    let l = lists.get(name);
    if (!l) lists.set(name, (l = { name, of, ids: [], line }));
    if (l.of !== of) {
      issues.push({ file, line, reason: `ADRG ${adrgs[ai]!.code}: list ${name} is a ${l.of} list (line ${l.line}), not a ${of} list` });
      return false;
    }
    l.ids.push(id);
    return true;
  };
  const LIST_NAME = /^[a-z][a-z0-9_]*$/;

  for (const row of parseTsv("adrg_dx.tsv", text("adrg_dx.tsv"), ["adrg", "dx_code"], ["list"], issues)) {
    const a = need("adrg_dx.tsv", row, "adrg");
    const code = need("adrg_dx.tsv", row, "dx_code");
    const list = row.cells.list ?? "";
    if (!a || !code) continue;
    const ai = adrgIndex.get(a);
    if (ai === undefined) {
      issues.push({ file: "adrg_dx.tsv", line: row.line, reason: `dangling ADRG ${a} (not in adrg.tsv)` });
      continue;
    }
    const named = adrgs[ai]!.rule === "CONDITIONS";
    if (named ? !LIST_NAME.test(list) : list !== "" && list !== "dx") {
      issues.push({ file: "adrg_dx.tsv", line: row.line, reason: named ? `ADRG ${a} uses CONDITIONS: list must be a name like pdx or sdx1, got "${list}"` : `ADRG ${a}: list must be dx or empty for rule ${adrgs[ai]!.rule}, got "${list}"` });
      continue;
    }
    if (!unique("adrg_dx.tsv", row, `${a}\t${list}\t${codeKey(code)}`, `${a} ${list} ${code}`)) continue;
    const id = dx.id(code, "adrg_dx.tsv", row.line);
    if (named) addToList(ai, list, "dx", id, "adrg_dx.tsv", row.line);
    else adrgs[ai]!.dx.push(id);
  }
  const ssTags = adrgs.map(() => new Map<number, number>());
  const ss1 = adrgs.map(() => new Set<number>());
  for (const row of parseTsv("adrg_proc.tsv", text("adrg_proc.tsv"), ["adrg", "list", "proc_code", "tag"], [], issues)) {
    const a = need("adrg_proc.tsv", row, "adrg");
    const list = row.cells.list ?? "";
    const code = need("adrg_proc.tsv", row, "proc_code");
    const tag = row.cells.tag ?? "";
    if (!a || !code) continue;
    const ai = adrgIndex.get(a);
    if (ai === undefined) {
      issues.push({ file: "adrg_proc.tsv", line: row.line, reason: `dangling ADRG ${a} (not in adrg.tsv)` });
      continue;
    }
    const named = adrgs[ai]!.rule === "CONDITIONS";
    if (named ? !LIST_NAME.test(list) : list !== "ss" && list !== "ss1") {
      issues.push({ file: "adrg_proc.tsv", line: row.line, reason: named ? `ADRG ${a} uses CONDITIONS: list must be a name like main or proc1, got "${list}"` : `list must be ss or ss1, got "${list}"` });
      continue;
    }
    if (named && tag !== "") {
      issues.push({ file: "adrg_proc.tsv", line: row.line, reason: `ADRG ${a} uses CONDITIONS: tags are not used, name the lists instead` });
      continue;
    }
    if (tag !== "" && !/^[1-9]\d?$/.test(tag)) {
      issues.push({ file: "adrg_proc.tsv", line: row.line, reason: `tag must be a number 1–99, got "${tag}"` });
      continue;
    }
    if (!unique("adrg_proc.tsv", row, `${a}\t${list}\t${codeKey(code)}`, `${a} ${list} ${code}`)) continue;
    const id = proc.id(code, "adrg_proc.tsv", row.line);
    if (named) addToList(ai, list, "proc", id, "adrg_proc.tsv", row.line);
    else if (list === "ss") ssTags[ai]!.set(id, tag === "" ? 0 : Number(tag));
    else ss1[ai]!.add(id);
  }
  adrgs.forEach((adrg, i) => {
    const ss = [...ssTags[i]!.entries()].sort((a, b) => a[0] - b[0]);
    adrg.ss = ss.map((e) => e[0]);
    adrg.ssTag = ss.some((e) => e[1] !== 0) ? ss.map((e) => e[1]) : [];
    adrg.ss1 = [...ss1[i]!].sort((a, b) => a - b);
    adrg.dx = sortedUnique(adrg.dx);
    const at = { file: "adrg.tsv", line: adrg.line };
    if (PDX_RULES.has(adrg.rule) && adrg.dx.length === 0) issues.push({ ...at, reason: `ADRG ${adrg.code}: rule ${adrg.rule} needs rows in adrg_dx.tsv` });
    if (SS_RULES.has(adrg.rule) && adrg.ss.length === 0) issues.push({ ...at, reason: `ADRG ${adrg.code}: rule ${adrg.rule} needs ss rows in adrg_proc.tsv` });
    if (SS1_RULES.has(adrg.rule) && adrg.ss1.length === 0) issues.push({ ...at, reason: `ADRG ${adrg.code}: rule ${adrg.rule} needs ss1 rows in adrg_proc.tsv` });
    if (adrg.rule === "PDX_AND_TAGS" && adrg.ssTag.length === 0) issues.push({ ...at, reason: `ADRG ${adrg.code}: PDX_AND_TAGS needs tagged ss rows` });
  });
  resolveNamedLists(adrgs, namedLists, adrgConditions, issues);
  mdcs.forEach((mdc, i) => {
    const at = { file: "mdc.tsv", line: mdc.line };
    // QY rules name lists as ADRG.list (e.g. an infant's principal in a neonatal ADRG's list).
    const find = (arg: string, of: "dx" | "proc"): [number, number] | string => {
      const [a, name] = arg.split(".");
      const ai = a === undefined ? undefined : adrgIndex.get(a);
      if (ai === undefined || name === undefined) return `name a list as ADRG.list of a CONDITIONS ADRG`;
      const li = (adrgs[ai]!.lists ?? []).findIndex((l) => l.name === name);
      if (li < 0) return `ADRG ${a} has no list ${name}`;
      return adrgs[ai]!.lists![li]!.of === of ? [ai, li] : `${a}.${name} is not a ${of} list`;
    };
    for (const key of ["qyRule", "qyIfNotEntered"] as const) {
      const parsed = mdcQy[i]![key];
      if (!parsed) continue;
      const r = resolveConditions(parsed, find);
      if (typeof r === "string") issues.push({ ...at, reason: `${mdc.code}: ${key === "qyRule" ? "qy_rule" : "qy_if_not_entered"}: ${r}` });
      else mdc[key] = r;
    }
    if (options.qy === "rule" && mdc.qyDrg !== "" && !mdcQy[i]!.hasQyRule) issues.push({ ...at, reason: `${mdc.code} has a qy_drg but no qy_rule, which options.qy "rule" needs` });
  });

  // DRGs
  const drgs: CompiledDrg[] = [];
  for (const row of parseTsv("drg.tsv", text("drg.tsv"), ["drg", "adrg", "suffix", "split_rule", "param", "name_zh", "name_en"], ["origin"], issues)) {
    const code = need("drg.tsv", row, "drg");
    const a = need("drg.tsv", row, "adrg");
    const suffix = need("drg.tsv", row, "suffix");
    const split = row.cells.split_rule ?? "";
    const param = row.cells.param ?? "";
    if (!code || !a || !unique("drg.tsv", row, code, `DRG ${code}`)) continue;
    const ai = adrgIndex.get(a);
    if (ai === undefined) {
      issues.push({ file: "drg.tsv", line: row.line, reason: `DRG ${code}: dangling ADRG ${a} (not in adrg.tsv)` });
      continue;
    }
    if (!oneOf(SPLIT_RULES, split)) {
      issues.push({ file: "drg.tsv", line: row.line, reason: `DRG ${code}: unknown split_rule "${split}" (one of ${SPLIT_RULES.join(", ")})` });
      continue;
    }
    if (split === "DISCHARGE_STATUS" ? !parseDischargeParam(param) : param !== "") {
      issues.push({ file: "drg.tsv", line: row.line, reason: `DRG ${code}: bad param "${param}" for ${split}` });
    }
    adrgs[ai]!.drgs.push(drgs.length);
    const drg: CompiledDrg = { code, adrg: ai, suffix, split: split as SplitRule, param, nameZh: row.cells.name_zh ?? "", nameEn: row.cells.name_en ?? "", line: row.line };
    if (row.cells.origin) drg.origin = row.cells.origin;
    drgs.push(drg);
  }
  for (const adrg of adrgs) {
    const last = adrg.drgs.length > 0 ? drgs[adrg.drgs[adrg.drgs.length - 1]!] : undefined;
    if (!last) issues.push({ file: "adrg.tsv", line: adrg.line, reason: `ADRG ${adrg.code} has no DRG in drg.tsv` });
    else if (last.split !== "ALWAYS") {
      issues.push({ file: "drg.tsv", line: last.line, reason: `DRG ${last.code}: the last DRG of ADRG ${adrg.code} must have split_rule ALWAYS` });
    }
  }

  // CC / MCC and exclusions
  const exclusionTables: string[] = [];
  const tableId = (t: string) => {
    let i = exclusionTables.indexOf(t);
    if (i < 0) i = exclusionTables.push(t) - 1;
    return i;
  };
  const cc = { dx: [] as number[], level: [] as number[], table: [] as number[] };
  for (const row of parseTsv("cc.tsv", text("cc.tsv"), ["dx_code", "level", "exclusion_table"], [], issues)) {
    const code = need("cc.tsv", row, "dx_code");
    const level = row.cells.level ?? "";
    const table = need("cc.tsv", row, "exclusion_table");
    if (!code || !table) continue;
    if (level !== "CC" && level !== "MCC") {
      issues.push({ file: "cc.tsv", line: row.line, reason: `level must be CC or MCC, got "${level}"` });
      continue;
    }
    if (!unique("cc.tsv", row, codeKey(code), `code ${code}`)) continue;
    cc.dx.push(dx.id(code, "cc.tsv", row.line));
    cc.level.push(level === "MCC" ? 2 : 1);
    cc.table.push(tableId(table));
  }
  const cce = { dx: [] as number[], table: [] as number[] };
  for (const row of parseTsv("cc_exclusion.tsv", text("cc_exclusion.tsv"), ["principal_dx", "exclusion_table"], [], issues)) {
    const code = need("cc_exclusion.tsv", row, "principal_dx");
    const table = need("cc_exclusion.tsv", row, "exclusion_table");
    if (!code || !table || !unique("cc_exclusion.tsv", row, codeKey(code), `principal ${code}`)) continue;
    cce.dx.push(dx.id(code, "cc_exclusion.tsv", row.line));
    cce.table.push(tableId(table));
  }

  const orProc: number[] = [];
  for (const row of parseTsv("or_proc.tsv", text("or_proc.tsv"), ["proc_code"], ["name"], issues)) {
    const code = need("or_proc.tsv", row, "proc_code");
    if (!code || !unique("or_proc.tsv", row, codeKey(code), `code ${code}`)) continue;
    orProc.push(proc.id(code, "or_proc.tsv", row.line));
  }

  const dxEdits = { dx: [] as number[], sex: [] as string[], ageMin: [] as number[], ageMax: [] as number[] };
  if (files["dx_edits.tsv"] !== undefined) {
    for (const row of parseTsv("dx_edits.tsv", text("dx_edits.tsv"), ["dx_code", "sex", "age_min_years", "age_max_years"], [], issues)) {
      const code = need("dx_edits.tsv", row, "dx_code");
      const sex = row.cells.sex ?? "";
      const lo = row.cells.age_min_years ?? "";
      const hi = row.cells.age_max_years ?? "";
      if (!code) continue;
      if (sex !== "" && sex !== "M" && sex !== "F") {
        issues.push({ file: "dx_edits.tsv", line: row.line, reason: `sex must be M, F or empty, got "${sex}"` });
        continue;
      }
      if ((lo !== "" && !/^\d+$/.test(lo)) || (hi !== "" && !/^\d+$/.test(hi))) {
        issues.push({ file: "dx_edits.tsv", line: row.line, reason: "ages must be whole years or empty" });
        continue;
      }
      if (!unique("dx_edits.tsv", row, codeKey(code), `code ${code}`)) continue;
      dxEdits.dx.push(dx.id(code, "dx_edits.tsv", row.line));
      dxEdits.sex.push(sex);
      dxEdits.ageMin.push(lo === "" ? -1 : Number(lo));
      dxEdits.ageMax.push(hi === "" ? -1 : Number(hi));
    }
  }

  const dxNotPrincipal = readCodeList("dx_not_principal.tsv", "dx_code", files, issues, unique, (code, line) => dx.id(code, "dx_not_principal.tsv", line));
  const procNotOperation = readCodeList("proc_not_operation.tsv", "proc_code", files, issues, unique, (code, line) => proc.id(code, "proc_not_operation.tsv", line));

  if (traumaRegions.length > 30) issues.push({ file: "mdc_dx.tsv", line: 0, reason: `at most 30 trauma regions, got ${traumaRegions.length}` });
  if (options.tableCodesAreKnown) {
    dxKnown = dx.codes.length;
    procKnown = proc.codes.length;
  }
  if (issues.length > 0) throw new DefinitionError(issues);
  const compiled: CompiledSet = {
    format: "medpay-drg-set",
    formatVersion: 1,
    meta,
    options,
    dx: { codes: dx.codes, known: dxKnown, names: dxKnown > 0 ? dx.names.slice(0, dxKnown).join("\n") : "" },
    proc: { codes: proc.codes, known: procKnown, names: procKnown > 0 ? proc.names.slice(0, procKnown).join("\n") : "" },
    orProc: sortedUnique(orProc),
    mdcs,
    adrgs,
    drgs,
    traumaRegions,
    exclusionTables,
    cc,
    cce,
    dxEdits,
  };
  // Only sets that have these lists carry the keys, so the other artefacts stay as they were.
  if (dxNotPrincipal) compiled.dxNotPrincipal = dxNotPrincipal;
  if (procNotOperation) compiled.procNotOperation = procNotOperation;
  return compiled;
}

/** An optional `code name` list (not-principal diagnoses, procedures that are no operation); null when the file is absent. */
function readCodeList(
  file: string, col: string, files: Readonly<Record<string, string>>, issues: DefinitionIssue[],
  unique: (file: string, row: TsvRow, key: string, what: string) => boolean, intern: (code: string, line: number) => number,
): number[] | null {
  const text = files[file];
  if (text === undefined) return null;
  const ids: number[] = [];
  for (const row of parseTsv(file, text, [col], ["name"], issues)) {
    const code = row.cells[col] ?? "";
    if (code === "") {
      issues.push({ file, line: row.line, reason: `column ${col} is empty` });
      continue;
    }
    if (unique(file, row, codeKey(code), `code ${code}`)) ids.push(intern(code, row.line));
  }
  return sortedUnique(ids);
}

/**
 * Checks the named lists of CONDITIONS ADRGs against their expressions (every
 * list named exists with the right kind, every list given is used) and stores
 * the resolved conditions.
 */
function resolveNamedLists(
  adrgs: CompiledAdrg[], namedLists: Map<string, CompiledList & { line: number }>[], parsed: (ParsedTerm[][] | null)[], issues: DefinitionIssue[],
): void {
  adrgs.forEach((adrg, ai) => {
    const conditions = parsed[ai];
    if (adrg.rule !== "CONDITIONS" || !conditions) return;
    const lists = [...namedLists[ai]!.values()];
    adrg.lists = lists.map(({ name, of, ids }) => ({ name, of, ids: sortedUnique(ids) }));
    const used = new Set<string>();
    const r = resolveConditions(conditions, (arg, of) => {
      used.add(arg);
      const li = lists.findIndex((l) => l.name === arg);
      if (li < 0) return `no rows for list ${arg} in adrg_${of}.tsv`;
      return lists[li]!.of === of ? [ai, li] : `list ${arg} holds ${lists[li]!.of === "dx" ? "diagnoses" : "procedures"}`;
    });
    const at = { file: "adrg.tsv", line: adrg.line };
    if (typeof r === "string") issues.push({ ...at, reason: `ADRG ${adrg.code}: ${r}` });
    else adrg.conditions = r;
    for (const l of lists) {
      if (!used.has(l.name)) issues.push({ file: l.of === "dx" ? "adrg_dx.tsv" : "adrg_proc.tsv", line: l.line, reason: `ADRG ${adrg.code}: list ${l.name} is named by no term of its rule` });
    }
  });
}

function readSetJson(text: string, issues: DefinitionIssue[]): { meta: SetMeta; options: SetOptions } {
  const file = "set.json";
  let raw: Record<string, unknown> = {};
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    issues.push({ file, line: 0, reason: `not valid JSON: ${(e as Error).message}` });
  }
  const str = (k: string, obj: Record<string, unknown> = raw, required = true): string => {
    const v = obj[k];
    if (typeof v === "string" && v !== "") return v;
    if (required) issues.push({ file, line: 0, reason: `"${k}" must be a non-empty string` });
    return "";
  };
  if (raw.format !== SOURCE_FORMAT || raw.formatVersion !== SOURCE_FORMAT_VERSION) {
    issues.push({ file, line: 0, reason: `"format" must be "${SOURCE_FORMAT}" and "formatVersion" ${SOURCE_FORMAT_VERSION}` });
  }
  const meta: SetMeta = {
    id: str("id"),
    version: str("version"),
    label: str("label"),
    labelZh: str("labelZh", raw, false),
    effectiveFrom: str("effectiveFrom"),
    effectiveTo: typeof raw.effectiveTo === "string" ? raw.effectiveTo : null,
    demonstration: raw.demonstration === true,
    description: str("description", raw, false),
  };
  const o = (raw.options ?? {}) as Record<string, unknown>;
  const codes = (k: string): { mdc: string; adrg: string; drg: string } => {
    const v = (o[k] ?? {}) as Record<string, unknown>;
    return { mdc: str("mdc", v), adrg: str("adrg", v), drg: str("drg", v) };
  };
  const qy = String(o.qy ?? "off");
  if (!oneOf(QY_MODES, qy)) issues.push({ file, line: 0, reason: `options.qy must be one of ${QY_MODES.join(", ")}` });
  const rejectOn = Array.isArray(o.rejectOn) ? (o.rejectOn as unknown[]).map(String) : [];
  for (const r of rejectOn) if (!oneOf(EDIT_CODES, r)) issues.push({ file, line: 0, reason: `options.rejectOn: unknown edit "${r}"` });
  const int = (k: string, dflt: number) => {
    const v = o[k] ?? dflt;
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) issues.push({ file, line: 0, reason: `options.${k} must be a whole number` });
    return Number(v);
  };
  const options: SetOptions = {
    qy: qy as SetOptions["qy"],
    neonateMaxDays: int("neonateMaxDays", 28),
    traumaMinRegions: int("traumaMinRegions", 2),
    tableCodesAreKnown: o.tableCodesAreKnown === true,
    rejectOn: rejectOn as EditCode[],
    rejected: codes("rejected"),
    ungroupable: codes("ungroupable"),
  };
  // Optional options are copied only when given, so that sets without them compile to the same artefact as before.
  if (o.qyAdrg !== undefined) options.qyAdrg = str("qyAdrg", o);
  if (o.sexConflictFallback !== undefined) options.sexConflictFallback = codes("sexConflictFallback");
  if (o.exactCodes !== undefined) {
    if (typeof o.exactCodes !== "boolean") issues.push({ file, line: 0, reason: "options.exactCodes must be true or false" });
    options.exactCodes = o.exactCodes === true;
  }
  return { meta, options };
}
