/**
 * Vocabulary of a definition set and the shape of its compiled artefact.
 * The grouping engine is fixed code; everything a version changes lives in
 * these tables (STYLE.md: "no DRG code appears in TypeScript").
 */

/** MDC entry rules (conformance README, `entry_rule` of `derived/mdc.tsv`). */
export const MDC_RULES = [
  "MAIN_PROC_IS_OR",
  "PDX",
  "PDX_AND_MALE",
  "PDX_AND_FEMALE",
  "PDX_AND_AGE_YEARS_0",
  "PDX_AND_TRAUMA_IN_2_PLUS_REGIONS",
  /** no entry test: the MDC's ADRGs are simply tried (CHS-DRG 2.0 MDCA) */
  "ALWAYS",
] as const;
export type MdcRule = (typeof MDC_RULES)[number];

/**
 * ADRG entry rules. The first block follows the conformance README names; the
 * parameterised ones generalise the national special cases:
 * - `PDX_AND_TAGS`: param is a tag expression such as `1|2&3` (NA1/JA2) or
 *   `1&2|1&3&4` (JA1): OR of AND-groups over the tags of the procedures found
 *   in the ADRG's `ss` list, in any position.
 * - `ANY_DX_AND_NEONATE_WEIGHT`: param `lo-hi` grams inclusive (`2500-` has
 *   no upper bound); weight must also be non-zero.
 * - `ANY_PROC` / `PDX_AND_ANY_PROC`: a procedure in any position in `ss`.
 */
export const ADRG_RULES = [
  "PDX",
  "MAIN_PROC",
  "ANY_PROC",
  "PDX_AND_MAIN_PROC",
  "PDX_AND_ANY_PROC",
  "MAIN_PROC_AND_NEONATE",
  "PDX_AND_NEONATE",
  "ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1",
  "PDX_AND_ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1",
  "PDX_AND_TAGS",
  "MAIN_PROC_IS_OR",
  "ANY_DX_AND_MAIN_PROC_IS_OR",
  "NO_OR_PROC",
  "ANY_DX_AND_NEONATE_WEIGHT",
  "ALWAYS",
  /** param: a condition expression over the ADRG's named lists (see TERMS) */
  "CONDITIONS",
] as const;
export type AdrgRule = (typeof ADRG_RULES)[number];

/**
 * Terms of a condition expression (`CONDITIONS` ADRGs, an MDC's `qy_rule` and
 * `qy_if_not_entered`): `[T & T] | [T]`, each term `NAME` or `NAME(arg)`. The
 * list terms name a list of the ADRG (`pdx`, `main1`, …; in an MDC's QY rules
 * `ADRG.list`). CHS-DRG 2.0 section headers: 主要诊断 → PDX_IN, 主要手术或操作 →
 * MAIN_PROC_IN, 手术或操作 1–5 and 同时包含…和… → ANY_PROC_IN, 其他诊断 →
 * SECONDARY_DX_IN, 主要诊断或其他诊断 → ANY_DX_IN, 包含全部手术或操作 → MAIN_PROC_IS_OR.
 */
export const TERMS = [
  "PDX_IN",
  "MAIN_PROC_IN",
  "ANY_PROC_IN",
  "SECONDARY_DX_IN",
  "ANY_DX_IN",
  "MAIN_PROC_IS_OR",
  /** age in years 0 (or missing) and age in days at most neonateMaxDays (or missing) */
  "NEONATE",
  "NOT_NEONATE",
  /** arg: band `lo-hi` whole grams (`2500-` open); a missing or 0 weight is in no band */
  "BIRTH_WEIGHT",
  "ALWAYS",
] as const;
export type TermKind = (typeof TERMS)[number];

export const ADRG_KINDS = ["SURGICAL", "NON_OR_PROCEDURE", "MEDICAL"] as const;
export type AdrgKind = (typeof ADRG_KINDS)[number];

/**
 * DRG split rules, tested in row order inside an ADRG (README step 8).
 * `DISCHARGE_STATUS` is a regional extension: param `status=a,b;maxLos=n`
 * (discharge status in the list and, when given, stay of at most n days).
 */
export const SPLIT_RULES = ["MCC", "MCC_OR_CC", "ALWAYS", "DISCHARGE_STATUS"] as const;
export type SplitRule = (typeof SPLIT_RULES)[number];

/** Edits (GROUPER.md step 1). Each fires as a flag; the set decides which reject. */
export const EDIT_CODES = [
  "PRINCIPAL_MISSING",
  "SEX_MISSING",
  "AGE_MISSING",
  "NEWBORN_WEIGHT_MISSING",
  "DX_UNKNOWN",
  "PROC_UNKNOWN",
  "DX_SEX_CONFLICT",
  "DX_AGE_CONFLICT",
  /** no diagnosis at all: no principal and no secondary (CHS-DRG 2.0 诊断信息为空) */
  "DX_MISSING",
  /** the principal is on the set's not-principal list (`dx_not_principal.tsv`; CHS-DRG 2.0 ZD_INVALID) */
  "PRINCIPAL_INVALID",
  /** the main procedure is on the set's not-an-operation list (`proc_not_operation.tsv`; CHS-DRG 2.0 SS_INVALID) */
  "MAIN_PROC_INVALID",
] as const;
export type EditCode = (typeof EDIT_CODES)[number];

/** `rule` = each MDC's `qy_rule` expression decides (CHS-DRG 2.0). `off` = national 1.1 (fall through to medical ADRGs); otherwise which procedures make a case "surgical". */
export const QY_MODES = ["off", "anyProc", "mainProc", "rule"] as const;
export type QyMode = (typeof QY_MODES)[number];

export interface GroupCodes {
  mdc: string;
  adrg: string;
  drg: string;
}

export interface SetOptions {
  qy: QyMode;
  /** Age in days up to which a patient is a neonate (national: 28). */
  neonateMaxDays: number;
  /** Number of distinct trauma regions for multiple trauma (national: 2). */
  traumaMinRegions: number;
  /** Every code that appears in the set's tables counts as known (sets without a full code catalogue). */
  tableCodesAreKnown: boolean;
  /** Edits that make a case ungroupable ("check failed"); the others only flag. */
  rejectOn: EditCode[];
  /** Result of a rejected case. */
  rejected: GroupCodes;
  /** Result when nothing matched. */
  ungroupable: GroupCodes;
  /** ADRG code reported for a QY result (CHS-DRG 2.0: "QY"); absent = the MDC's qy_drg. */
  qyAdrg?: string;
  /** Result when nothing matched and DX_SEX_CONFLICT fired (CHS-DRG 2.0: MDCM / QY / MQY); absent = `ungroupable`. */
  sexConflictFallback?: GroupCodes;
  /** Compare codes exactly as the tables spell them, without the normalised-key fallback (CHS-DRG 2.0 reference). */
  exactCodes?: boolean;
}

export interface SetMeta {
  id: string;
  version: string;
  label: string;
  labelZh: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  /** True for sets that are not an official grouping version. */
  demonstration: boolean;
  description: string;
}

/** A code table in the artefact: index = interned id. Names joined by "\n" (parsed lazily). */
export interface CompiledCodes {
  codes: string[];
  /** ids below this come from the set's code catalogue ("known" codes); 0 = no catalogue. */
  known: number;
  names: string;
}

/** One term of a compiled condition; `adrg`/`list` locate a list (-1 = none), `lo`/`hi` a weight band (hi exclusive). */
export interface CompiledTerm {
  term: TermKind;
  adrg: number;
  list: number;
  lo: number;
  hi: number;
}
/** OR of AND-groups of terms. */
export type CompiledConditions = CompiledTerm[][];

/** A named list of a `CONDITIONS` ADRG. */
export interface CompiledList {
  name: string;
  of: "dx" | "proc";
  /** sorted code ids */
  ids: number[];
  /** where the list comes from, when the source says (e.g. the upstream file and header line) */
  origin?: string;
}

export interface CompiledMdc {
  code: string;
  rule: MdcRule;
  nameZh: string;
  nameEn: string;
  /** QY DRG code of this MDC ("" = none). */
  qyDrg: string;
  line: number;
  /** sorted dx ids of the principal-diagnosis list */
  pdx: number[];
  /** trauma region index per entry of `pdx` (-1 none); empty when the MDC has no regions */
  region: number[];
  /** ADRG indices in test order */
  adrgs: number[];
  /** sorted dx ids of the list that also count as a secondary diagnosis (`position` any) */
  anyPosition?: number[];
  /** a principal in the list with the other sex fires DX_SEX_CONFLICT */
  sexEdit?: boolean;
  /** QY check at the first medical ADRG when options.qy is `rule` */
  qyRule?: CompiledConditions;
  /** QY group at once when the MDC is not entered and these hold */
  qyIfNotEntered?: CompiledConditions;
  /** upstream provenance of the row */
  origin?: string;
}

export interface CompiledAdrg {
  code: string;
  mdc: number;
  kind: AdrgKind;
  rule: AdrgRule;
  param: string;
  nameZh: string;
  nameEn: string;
  line: number;
  dx: number[];
  ss: number[];
  /** tag per entry of `ss` (0 = none) */
  ssTag: number[];
  ss1: number[];
  drgs: number[];
  /** `CONDITIONS` rule: its named lists and the parsed param */
  lists?: CompiledList[];
  conditions?: CompiledConditions;
  origin?: string;
}

export interface CompiledDrg {
  code: string;
  adrg: number;
  suffix: string;
  split: SplitRule;
  param: string;
  nameZh: string;
  nameEn: string;
  line: number;
  origin?: string;
}

export interface CompiledSet {
  format: "medpay-drg-set";
  formatVersion: 1;
  meta: SetMeta;
  options: SetOptions;
  dx: CompiledCodes;
  proc: CompiledCodes;
  orProc: number[];
  mdcs: CompiledMdc[];
  adrgs: CompiledAdrg[];
  drgs: CompiledDrg[];
  traumaRegions: string[];
  exclusionTables: string[];
  /** CC/MCC list: parallel arrays; level 1 = CC, 2 = MCC; table = index into exclusionTables */
  cc: { dx: number[]; level: number[]; table: number[] };
  /** principal → exclusion table */
  cce: { dx: number[]; table: number[] };
  /** sex / age restrictions of diagnoses: sex "M" | "F" | "" ; ages -1 = none */
  dxEdits: { dx: number[]; sex: string[]; ageMin: number[]; ageMax: number[] };
  /** sorted dx ids that may not be the principal (PRINCIPAL_INVALID) */
  dxNotPrincipal?: number[];
  /** sorted proc ids that do not count as an operation (MAIN_PROC_INVALID; never OR) */
  procNotOperation?: number[];
}
