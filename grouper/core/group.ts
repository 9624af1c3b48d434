/**
 * The grouping engine (GROUPER.md "Grouping sequence"; conformance README
 * "Grouping algorithm of the reference implementation"). Fixed code driven by
 * a compiled set. Speed: codes are looked up once per episode into integer
 * scratch buffers, list membership is a bit test, and the only allocations on
 * the default path are the result and its (usually empty) evidence arrays.
 *
 * Missing numbers: age in years, age in days and birth weight that are absent
 * are read as 0, as the Java/JavaScript editions of the national reference do
 * (README step 3). Consequences, kept on purpose for conformance: a case with
 * no ages counts as age 0 and as a neonate, so with no weight it fires
 * NEWBORN_WEIGHT_MISSING (which rejects under chs-1.1).
 */
import { adrgCandidates } from "./candidates.js";
import { codeKey } from "./normalise.js";
import { parseDischargeParam, parseTagExpression, parseWeightBand } from "./compile.js";
import type { EpisodeFields } from "./episode.js";
import { conditionText } from "./conditions.js";
import { TERMS, type AdrgRule, type CompiledConditions, type CompiledSet, type EditCode, type MdcRule, type SplitRule, type TermKind } from "./types.js";

export type GroupStatus = "grouped" | "qy" | "ungroupable" | "rejected";

/** An edit that fired (GROUPER.md step 1). */
export interface Flag {
  edit: EditCode;
  /** the code or field concerned */
  detail: string;
  /** true when the set makes this edit reject the case */
  rejects: boolean;
}

/** A secondary diagnosis that is a CC or MCC, counted or excluded. */
export interface CcEvidence {
  code: string;
  level: "CC" | "MCC";
  /** exclusion table of the secondary (README "Exclusion tables") */
  exclusionTable: string;
}

export interface TraceStep {
  step: "edit" | "mdc" | "adrg" | "qy" | "split" | "result";
  /** what was decided, in words */
  decision: string;
  /** the table row or list behind it, `file:line` or `file[key]` */
  source: string;
}

export interface GroupResult {
  id: string | null;
  setId: string;
  setVersion: string;
  status: GroupStatus;
  mdc: string;
  adrg: string;
  drg: string;
  drgNameZh: string;
  drgNameEn: string;
  flags: readonly Flag[];
  /** CC/MCC secondaries that counted */
  cc: readonly CcEvidence[];
  /** CC/MCC secondaries excluded by the principal's exclusion table */
  ccExcluded: readonly CcEvidence[];
  /** the principal's exclusion table ("" = none) */
  principalExclusionTable: string;
  trace?: TraceStep[];
}

export interface GroupOptions {
  explain?: boolean;
}

export interface Grouper {
  readonly set: CompiledSet;
  group(episode: EpisodeFields, options?: GroupOptions): GroupResult;
  /** name of a diagnosis / procedure code in the set's catalogue ("" when unknown) */
  dxName(code: string): string;
  procName(code: string): string;
}

const NONE: readonly never[] = Object.freeze([]);

type Bits = Uint8Array;
function bitsOf(ids: readonly number[], size: number): Bits {
  const b = new Uint8Array((size >> 3) + 1);
  for (const id of ids) b[id >> 3]! |= 1 << (id & 7);
  return b;
}
const EMPTY_BITS = new Uint8Array(1);
function has(b: Bits, id: number): boolean {
  return id >= 0 && (b[id >> 3]! & (1 << (id & 7))) !== 0;
}

const MDC_RULE_NUM: Record<MdcRule, number> = {
  MAIN_PROC_IS_OR: 0, PDX: 1, PDX_AND_MALE: 2, PDX_AND_FEMALE: 3, PDX_AND_AGE_YEARS_0: 4, PDX_AND_TRAUMA_IN_2_PLUS_REGIONS: 5, ALWAYS: 6,
};
const ADRG_RULE_NUM: Record<AdrgRule, number> = {
  PDX: 0, MAIN_PROC: 1, ANY_PROC: 2, PDX_AND_MAIN_PROC: 3, PDX_AND_ANY_PROC: 4, MAIN_PROC_AND_NEONATE: 5,
  PDX_AND_NEONATE: 6, ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1: 7, PDX_AND_ANY_PROC_IN_SS_AND_ANY_PROC_IN_SS1: 8,
  PDX_AND_TAGS: 9, MAIN_PROC_IS_OR: 10, ANY_DX_AND_MAIN_PROC_IS_OR: 11, NO_OR_PROC: 12, ANY_DX_AND_NEONATE_WEIGHT: 13, ALWAYS: 14, CONDITIONS: 15,
};
/** Term kinds of condition expressions as numbers, for the evaluator's switch. */
const TERM = Object.freeze(Object.fromEntries(TERMS.map((t, i) => [t, i]))) as Readonly<Record<TermKind, number>>;

/** A compiled condition term with its list as a bitset. */
interface RtTerm {
  kind: number;
  bits: Bits;
  lo: number;
  hi: number;
}
type RtConditions = RtTerm[][];
const SPLIT_NUM: Record<SplitRule, number> = { MCC: 0, MCC_OR_CC: 1, ALWAYS: 2, DISCHARGE_STATUS: 3 };

interface RtMdc {
  rule: number;
  pdx: Bits;
  /** trauma region per dx id (-1 none), only for the trauma rule */
  region: Int16Array | null;
  adrgs: Int32Array;
  /** position in `adrgs` of the first medical ADRG (= where the QY check sits) */
  qyAt: number;
  /** diagnoses of the list that also count as a secondary (null: principal only) */
  anyPosition: Bits | null;
  qyRule: RtConditions | null;
  qyIfNotEntered: RtConditions | null;
}
interface RtAdrg {
  rule: number;
  dx: Bits;
  ss: Bits;
  ss1: Bits;
  tag: Uint8Array | null;
  /** tag rule: OR of these AND-masks */
  tagMasks: number[];
  weightLo: number;
  weightHi: number;
  drgs: Int32Array;
  conditions: RtConditions | null;
}
interface RtDrg {
  split: number;
  statuses: string[];
  maxLos: number;
}

/**
 * Code → id. The table spelling is what inputs usually carry, so that map is
 * built at load; the normalised-key map (codeKey) is built on the first miss,
 * which keeps the Worker's cold start short.
 */
function lookupOf(codes: readonly string[], exactOnly: boolean): (raw: string) => number {
  // A prototype-less object, not a Map: V8 looks string keys up in it about twice as fast (bench: artefact of the national set).
  const exact = Object.create(null) as Record<string, number>;
  for (let i = 0; i < codes.length; i++) exact[codes[i]!] = i;
  let byKey: Map<string, number> | null = null;
  return (raw) => {
    const id = exact[raw];
    if (id !== undefined) return id;
    if (exactOnly) return -1;
    if (byKey === null) {
      byKey = new Map();
      for (let i = 0; i < codes.length; i++) byKey.set(codeKey(codes[i]!), i);
    }
    return byKey.get(codeKey(raw)) ?? -1;
  };
}

/** Loads a compiled set into lookup structures; cost is proportional to the table sizes. */
export function createGrouper(set: CompiledSet): Grouper {
  if (set.format !== "medpay-drg-set" || set.formatVersion !== 1) {
    throw new Error(`not a compiled medpay definition set (format ${String(set.format)} v${String(set.formatVersion)})`);
  }
  const nDx = set.dx.codes.length;
  const nProc = set.proc.codes.length;
  const opts = set.options;
  const lookupDx = lookupOf(set.dx.codes, opts.exactCodes === true);
  const lookupProc = lookupOf(set.proc.codes, opts.exactCodes === true);
  // A procedure the set says is no operation never counts as one, whatever or_proc holds.
  const notOperation = set.procNotOperation ?? [];
  const notOperationBits = bitsOf(notOperation, nProc);
  const orBits = bitsOf(notOperation.length > 0 ? set.orProc.filter((id) => !has(notOperationBits, id)) : set.orProc, nProc);
  const notPrincipalBits = bitsOf(set.dxNotPrincipal ?? [], nDx);
  const hasNotLists = set.dxNotPrincipal !== undefined || set.procNotOperation !== undefined;
  // One bitset per list, shared by every term that names it (a principal list is often named by each part of a rule).
  const listBits = new Map<object, Bits>();
  const bitsOfList = (adrg: number, list: number): Bits => {
    const l = set.adrgs[adrg]!.lists![list]!;
    let b = listBits.get(l);
    if (!b) listBits.set(l, (b = bitsOf(l.ids, l.of === "dx" ? nDx : nProc)));
    return b;
  };
  const conditionsOf = (c: CompiledConditions | undefined): RtConditions | null =>
    c ? c.map((g) => g.map((t) => ({
      kind: TERM[t.term],
      bits: t.list >= 0 ? bitsOfList(t.adrg, t.list) : EMPTY_BITS,
      lo: t.lo,
      hi: t.hi < 0 ? Number.POSITIVE_INFINITY : t.hi,
    }))) : null;
  // With no catalogue (known = 0) nothing is "unknown": treat every id as known.
  const dxKnown = set.dx.known > 0 ? set.dx.known : Number.MAX_SAFE_INTEGER;
  const procKnown = set.proc.known > 0 ? set.proc.known : Number.MAX_SAFE_INTEGER;

  const mdcs: RtMdc[] = set.mdcs.map((m) => {
    let region: Int16Array | null = null;
    if (m.rule === "PDX_AND_TRAUMA_IN_2_PLUS_REGIONS") {
      region = new Int16Array(nDx).fill(-1);
      m.pdx.forEach((id, i) => {
        region![id] = m.region[i] ?? -1;
      });
    }
    let qyAt = m.adrgs.findIndex((a) => set.adrgs[a]!.kind === "MEDICAL");
    if (qyAt < 0) qyAt = m.adrgs.length;
    return {
      rule: MDC_RULE_NUM[m.rule], pdx: bitsOf(m.pdx, nDx), region, adrgs: Int32Array.from(m.adrgs), qyAt,
      anyPosition: m.anyPosition ? bitsOf(m.anyPosition, nDx) : null, qyRule: conditionsOf(m.qyRule), qyIfNotEntered: conditionsOf(m.qyIfNotEntered),
    };
  });
  const adrgs: RtAdrg[] = set.adrgs.map((a) => {
    let tag: Uint8Array | null = null;
    if (a.ssTag.length > 0) {
      tag = new Uint8Array(nProc);
      a.ss.forEach((id, i) => {
        tag![id] = a.ssTag[i] ?? 0;
      });
    }
    const tagMasks = a.rule === "PDX_AND_TAGS" ? (parseTagExpression(a.param) ?? []).map((g) => g.reduce((m, t) => m | (1 << t), 0)) : [];
    const band = a.rule === "ANY_DX_AND_NEONATE_WEIGHT" ? parseWeightBand(a.param) : null;
    return {
      rule: ADRG_RULE_NUM[a.rule],
      dx: a.dx.length > 0 ? bitsOf(a.dx, nDx) : EMPTY_BITS,
      ss: a.ss.length > 0 ? bitsOf(a.ss, nProc) : EMPTY_BITS,
      ss1: a.ss1.length > 0 ? bitsOf(a.ss1, nProc) : EMPTY_BITS,
      tag,
      tagMasks,
      weightLo: band?.lo ?? 0,
      // Whole-gram bands: "1500-1999" means 1500 ≤ w < 2000, so a fractional weight falls in no gap.
      weightHi: band ? band.hi + 1 : 0,
      drgs: Int32Array.from(a.drgs),
      conditions: conditionsOf(a.conditions),
    };
  });
  const drgs: RtDrg[] = set.drgs.map((d) => {
    const p = d.split === "DISCHARGE_STATUS" ? parseDischargeParam(d.param) : null;
    return { split: SPLIT_NUM[d.split], statuses: p?.statuses ?? [], maxLos: p?.maxLos ?? Number.POSITIVE_INFINITY };
  });

  const ccLevel = new Uint8Array(nDx);
  const ccTable = new Int32Array(nDx).fill(-1);
  set.cc.dx.forEach((id, i) => {
    ccLevel[id] = set.cc.level[i]!;
    ccTable[id] = set.cc.table[i]!;
  });
  // Evidence objects are constant per code: made on first use and shared, instead of allocated per episode.
  const ccEvidence = new Array<CcEvidence | undefined>(nDx);
  const evidenceOf = (id: number): CcEvidence =>
    (ccEvidence[id] ??= Object.freeze({ code: set.dx.codes[id]!, level: ccLevel[id] === 2 ? "MCC" : "CC", exclusionTable: set.exclusionTables[ccTable[id]!]! }));
  const cceTable = new Int32Array(nDx).fill(-1);
  set.cce.dx.forEach((id, i) => {
    cceTable[id] = set.cce.table[i]!;
  });
  const hasDxEdits = set.dxEdits.dx.length > 0;
  const dxSex = new Uint8Array(hasDxEdits ? nDx : 0);
  const dxAgeMin = new Int16Array(hasDxEdits ? nDx : 0).fill(-1);
  const dxAgeMax = new Int16Array(hasDxEdits ? nDx : 0).fill(-1);
  set.dxEdits.dx.forEach((id, i) => {
    const s = set.dxEdits.sex[i];
    dxSex[id] = s === "M" ? 1 : s === "F" ? 2 : 0;
    dxAgeMin[id] = set.dxEdits.ageMin[i]!;
    dxAgeMax[id] = set.dxEdits.ageMax[i]!;
  });
  const rejects = new Set<EditCode>(opts.rejectOn);

  let dxNames: string[] | null = null;
  let procNames: string[] | null = null;
  const dxNameOf = (id: number) => {
    if (id < 0 || id >= set.dx.known) return "";
    dxNames ??= set.dx.names.split("\n");
    return dxNames[id] ?? "";
  };
  const procNameOf = (id: number) => {
    if (id < 0 || id >= set.proc.known) return "";
    procNames ??= set.proc.names.split("\n");
    return procNames[id] ?? "";
  };

  // Per-call edit state, kept outside `group` so no closure is allocated per episode.
  let flags: Flag[] | null = null;
  let rejected = false;
  let curTrace: TraceStep[] | null = null;
  function flag(edit: EditCode, detail: string): void {
    const r = rejects.has(edit);
    (flags ??= []).push({ edit, detail, rejects: r });
    if (r) rejected = true;
    curTrace?.push({ step: "edit", decision: `${edit} (${detail})${r ? ": rejects the case" : ": flag only"}`, source: "set.json options.rejectOn" });
  }

  // MDCs whose list fires DX_SEX_CONFLICT for a principal of the other sex (1 = male list, 2 = female list).
  const sexEditMdcs = set.mdcs.flatMap((m, i) => (m.sexEdit ? [{ i, sex: m.rule === "PDX_AND_MALE" ? 1 : 2 }] : []));

  // The episode being grouped, as the condition evaluator reads it (set per call; no closure per episode).
  let cPdx = -1;
  let cNSec = 0;
  let cNProc = 0;
  let cMain = -1;
  let cMainIsOr = false;
  let cNeonate = false;
  let cWeight = 0;
  function termHolds(t: RtTerm): boolean {
    switch (t.kind) {
      case TERM.PDX_IN: return has(t.bits, cPdx);
      case TERM.MAIN_PROC_IN: return has(t.bits, cMain);
      case TERM.ANY_PROC_IN: return anyIn(t.bits, cNProc);
      case TERM.SECONDARY_DX_IN: return anySecIn(t.bits, cNSec);
      case TERM.ANY_DX_IN: return anyDxIn(t.bits, cPdx, cNSec);
      case TERM.MAIN_PROC_IS_OR: return cMainIsOr;
      case TERM.NEONATE: return cNeonate;
      case TERM.NOT_NEONATE: return !cNeonate;
      case TERM.BIRTH_WEIGHT: return cWeight > 0 && cWeight >= t.lo && cWeight < t.hi;
      default: return true;
    }
  }
  /** Index of the first group of terms that all hold, or -1. */
  function conditionHolds(c: RtConditions): number {
    outer: for (let g = 0; g < c.length; g++) {
      const group = c[g]!;
      for (let i = 0; i < group.length; i++) if (!termHolds(group[i]!)) continue outer;
      return g;
    }
    return -1;
  }
  const adrgCode = (i: number) => set.adrgs[i]!.code;
  const listsOf = (i: number) => set.adrgs[i]!.lists;
  const withOrigin = (source: string, origin: string | undefined) => (origin ? `${source} (${origin})` : source);

  /** Whether an edit fired in this call (for one detail, when given). */
  function fired(edit: EditCode, detail?: string): boolean {
    return flags !== null && flags.some((f) => f.edit === edit && (detail === undefined || f.detail === detail));
  }

  const candidates = adrgCandidates(set);
  let sec = new Int32Array(64);
  let prc = new Int32Array(64);


  function group(ep: EpisodeFields, options?: GroupOptions): GroupResult {
    const trace: TraceStep[] | null = options?.explain ? [] : null;
    const secRaw = ep.secondaryDx ?? NONE;
    const procRaw = ep.procedures ?? NONE;
    if (secRaw.length > sec.length) sec = new Int32Array(secRaw.length * 2);
    if (procRaw.length > prc.length) prc = new Int32Array(procRaw.length * 2);

    const pdxRaw = ep.principalDx ?? "";
    const pdxMissing = pdxRaw.trim() === "";
    const pdx = pdxMissing ? -1 : lookupDx(pdxRaw);
    // Unknown codes are counted here so that the DX_UNKNOWN / PROC_UNKNOWN pass runs only when needed.
    let unknown = !pdxMissing && (pdx < 0 || pdx >= dxKnown) ? 1 : 0;
    // Positions are kept even for empty strings: the reference takes the first
    // list element as the main procedure whatever it holds (README step 5).
    const nSec = secRaw.length;
    for (let i = 0; i < nSec; i++) {
      const c = secRaw[i]!;
      const id = c === "" ? -1 : lookupDx(c);
      sec[i] = id;
      if (c !== "" && (id < 0 || id >= dxKnown)) unknown++;
    }
    const nProc = procRaw.length;
    for (let i = 0; i < nProc; i++) {
      const c = procRaw[i]!;
      const id = c === "" ? -1 : lookupProc(c);
      prc[i] = id;
      if (c !== "" && (id < 0 || id >= procKnown)) unknown++;
    }
    const sex = ep.sex === "M" ? 1 : ep.sex === "F" ? 2 : 0;
    const ageY = ep.ageYears ?? 0;
    const ageD = ep.ageDays ?? 0;
    const weight = ep.birthWeightGrams ?? 0;
    const neonate = ageD <= opts.neonateMaxDays;
    const main = nProc > 0 ? prc[0]! : -1;

    // Step 1: edits. Each fires as a flag; the set decides which reject.
    flags = null;
    rejected = false;
    curTrace = trace;
    if (pdxMissing) flag("PRINCIPAL_MISSING", "principalDx");
    if (sex === 0) flag("SEX_MISSING", "sex");
    if (ep.ageYears == null && ep.ageDays == null) flag("AGE_MISSING", "ageYears");
    if (ageY === 0 && neonate && weight === 0) flag("NEWBORN_WEIGHT_MISSING", "birthWeightGrams");
    if (unknown > 0 && set.dx.known > 0) {
      if (!pdxMissing && (pdx < 0 || pdx >= dxKnown)) flag("DX_UNKNOWN", pdxRaw);
      for (let i = 0; i < nSec; i++) {
        const id = sec[i]!;
        if (secRaw[i] !== "" && (id < 0 || id >= dxKnown)) flag("DX_UNKNOWN", secRaw[i]!);
      }
    }
    if (unknown > 0 && set.proc.known > 0) {
      for (let i = 0; i < nProc; i++) {
        const id = prc[i]!;
        if (procRaw[i] !== "" && (id < 0 || id >= procKnown)) flag("PROC_UNKNOWN", procRaw[i]!);
      }
    }
    if (hasDxEdits) {
      const ageKnown = ep.ageYears != null;
      for (let i = -1; i < nSec; i++) {
        const id = i < 0 ? pdx : sec[i]!;
        if (id < 0) continue;
        const s = dxSex[id]!;
        if (s !== 0 && sex !== 0 && s !== sex) flag("DX_SEX_CONFLICT", set.dx.codes[id]!);
        if (ageKnown) {
          const lo = dxAgeMin[id]!;
          const hi = dxAgeMax[id]!;
          if ((lo >= 0 && ageY < lo) || (hi >= 0 && ageY > hi)) flag("DX_AGE_CONFLICT", set.dx.codes[id]!);
        }
      }
    }
    if (pdxMissing && !secRaw.some((c) => c.trim() !== "")) flag("DX_MISSING", "principalDx, secondaryDx");
    if (hasNotLists) {
      if (has(notPrincipalBits, pdx)) flag("PRINCIPAL_INVALID", pdxRaw);
      if (has(notOperationBits, main)) flag("MAIN_PROC_INVALID", procRaw[0]!);
    }
    for (const e of sexEditMdcs) {
      if (sex !== 0 && sex !== e.sex && has(mdcs[e.i]!.pdx, pdx) && !fired("DX_SEX_CONFLICT", pdxRaw)) {
        flag("DX_SEX_CONFLICT", pdxRaw);
        trace?.push({ step: "edit", decision: `principal ${pdxRaw} is in the ${set.mdcs[e.i]!.code} list, for the other sex`, source: withOrigin(`mdc.tsv:${set.mdcs[e.i]!.line} sex_edit`, set.mdcs[e.i]!.origin) });
      }
    }
    if (rejected) {
      const g = opts.rejected;
      trace?.push({ step: "result", decision: `rejected: ${g.drg}`, source: "set.json options.rejected" });
      return makeResult(ep, "rejected", g.mdc, g.adrg, g.drg, "", "", flags, NONE, NONE, "", trace);
    }

    // Severity evidence (step 6) does not depend on the ADRG: compute it once.
    const pdxTable = pdx >= 0 ? cceTable[pdx]! : -1;
    let hasMcc = false;
    let hasCc = false;
    let counted: CcEvidence[] | null = null;
    let excluded: CcEvidence[] | null = null;
    for (let i = 0; i < nSec; i++) {
      const id = sec[i]!;
      if (id < 0) continue;
      const lvl = ccLevel[id]!;
      if (lvl === 0) continue;
      const t = ccTable[id]!;
      const ev = evidenceOf(id);
      if (pdxTable >= 0 && t === pdxTable) {
        (excluded ??= []).push(ev);
        trace?.push({ step: "split", decision: `${ev.level} ${ev.code} excluded: same exclusion table ${ev.exclusionTable} as the principal`, source: `cc_exclusion.tsv[${set.dx.codes[pdx]}]` });
      } else {
        (counted ??= []).push(ev);
        if (lvl === 2) hasMcc = true;
        else hasCc = true;
      }
    }
    const pdxTableName = pdxTable >= 0 ? set.exclusionTables[pdxTable]! : "";

    const mainIsOr = has(orBits, main);
    cPdx = pdx;
    cNSec = nSec;
    cNProc = nProc;
    cMain = main;
    cMainIsOr = mainIsOr;
    cNeonate = ageY === 0 && neonate;
    cWeight = weight;

    // Steps 2–5: MDCs in the set's order; first ADRG match wins; an entered MDC without a match falls through.
    // Explain mode walks every ADRG (its trace names each test); otherwise only the candidates are tested.
    if (!trace) candidates.mark(pdx, prc, nProc, mainIsOr);
    for (let mi = 0; mi < mdcs.length; mi++) {
      const m = mdcs[mi]!;
      const inList = has(m.pdx, pdx) || (m.anyPosition !== null && anySecIn(m.anyPosition, nSec));
      let enter: boolean;
      switch (m.rule) {
        case 0: enter = mainIsOr; break;
        case 1: enter = inList; break;
        case 2: enter = sex === 1 && inList; break;
        case 3: enter = sex === 2 && inList; break;
        case 4: enter = ageY === 0 && inList; break;
        case 6: enter = true; break;
        default: enter = has(m.pdx, pdx) && traumaRegions(m.region!, pdx, nSec) >= opts.traumaMinRegions;
      }
      const sm = set.mdcs[mi]!;
      trace?.push({ step: "mdc", decision: `${sm.code} ${enter ? "entered" : "not entered"} (${sm.rule})`, source: withOrigin(`mdc.tsv:${sm.line}`, sm.origin) });
      if (!enter) {
        const g = m.qyIfNotEntered === null ? -1 : conditionHolds(m.qyIfNotEntered);
        if (g < 0) continue;
        trace?.push({ step: "qy", decision: `not entered and ${conditionText(sm.qyIfNotEntered![g]!, listsOf, true, adrgCode)}: ${sm.qyDrg}`, source: withOrigin(`mdc.tsv:${sm.line} qy_if_not_entered`, sm.origin) });
        return qyResult(ep, mi, flags, counted, excluded, pdxTableName, trace);
      }
      const first = candidates.mdcStart[mi]!;
      const qyPos = first + m.qyAt;
      const end = candidates.mdcStart[mi + 1]!;
      for (let p = next(first, qyPos, trace); p >= 0; p = next(p + 1, qyPos, trace)) {
        const r = tryAdrg(candidates.adrgAt[p]!, ep, pdx, nSec, nProc, main, mainIsOr, neonate, weight, hasMcc, hasCc, flags, counted, excluded, pdxTableName, trace);
        if (r) return r;
      }
      if (opts.qy === "rule") {
        const g = m.qyRule === null ? -1 : conditionHolds(m.qyRule);
        if (g >= 0) {
          trace?.push({ step: "qy", decision: `no procedure ADRG of ${sm.code} took the case and ${conditionText(sm.qyRule![g]!, listsOf, true, adrgCode)}: ${sm.qyDrg}`, source: withOrigin(`mdc.tsv:${sm.line} qy_rule`, sm.origin) });
          return qyResult(ep, mi, flags, counted, excluded, pdxTableName, trace);
        }
      } else if (opts.qy !== "off") {
        const qyDrg = sm.qyDrg;
        if (qyDrg !== "" && (opts.qy === "mainProc" ? mainIsOr : anyOr(nProc))) {
          trace?.push({ step: "qy", decision: `surgical case fits no procedure ADRG of ${sm.code}: ${qyDrg}`, source: `mdc.tsv:${sm.line} qy_drg, set.json options.qy=${opts.qy}` });
          return qyResult(ep, mi, flags, counted, excluded, pdxTableName, trace);
        }
      }
      for (let p = next(qyPos, end, trace); p >= 0; p = next(p + 1, end, trace)) {
        const r = tryAdrg(candidates.adrgAt[p]!, ep, pdx, nSec, nProc, main, mainIsOr, neonate, weight, hasMcc, hasCc, flags, counted, excluded, pdxTableName, trace);
        if (r) return r;
      }
    }
    const fallback = opts.sexConflictFallback;
    if (fallback && fired("DX_SEX_CONFLICT")) {
      trace?.push({ step: "result", decision: `no MDC yielded a DRG and the sex conflicts with the principal: ${fallback.drg}`, source: "set.json options.sexConflictFallback" });
      return makeResult(ep, "qy", fallback.mdc, fallback.adrg, fallback.drg, "", "", flags, counted ?? NONE, excluded ?? NONE, pdxTableName, trace);
    }
    const g = opts.ungroupable;
    trace?.push({ step: "result", decision: `no MDC yielded a DRG: ${g.drg}`, source: "set.json options.ungroupable" });
    return makeResult(ep, "ungroupable", g.mdc, g.adrg, g.drg, "", "", flags, counted ?? NONE, excluded ?? NONE, pdxTableName, trace);
  }

  /** The MDC's QY group; the ADRG reported is options.qyAdrg when the set names one. */
  function qyResult(
    ep: EpisodeFields, mi: number, flags: Flag[] | null, counted: CcEvidence[] | null, excluded: CcEvidence[] | null, pdxTableName: string, trace: TraceStep[] | null,
  ): GroupResult {
    const m = set.mdcs[mi]!;
    return makeResult(ep, "qy", m.code, opts.qyAdrg ?? m.qyDrg, m.qyDrg, "", "", flags, counted ?? NONE, excluded ?? NONE, pdxTableName, trace);
  }

  /** Next position to test in [from, to): every one when explaining, else the next candidate. */
  function next(from: number, to: number, trace: TraceStep[] | null): number {
    if (trace) return from < to ? from : -1;
    return candidates.next(from, to);
  }

  /** Steps 5–6 for one ADRG: its rule, then the first DRG whose split takes the case; null when either fails. */
  function tryAdrg(
    ai: number, ep: EpisodeFields, pdx: number, nSec: number, nProc: number, main: number, mainIsOr: boolean, neonate: boolean, weight: number,
    hasMcc: boolean, hasCc: boolean, flags: Flag[] | null, counted: CcEvidence[] | null, excluded: CcEvidence[] | null, pdxTableName: string, trace: TraceStep[] | null,
  ): GroupResult | null {
    const a = adrgs[ai]!;
    const group = a.conditions === null ? -2 : conditionHolds(a.conditions);
    const ok = group === -2 ? matchAdrg(a, pdx, nSec, nProc, main, mainIsOr, neonate, weight) : group >= 0;
    if (trace) {
      const sa = set.adrgs[ai]!;
      const how = group >= 0 && sa.conditions!.length > 1 ? `condition ${group + 1} of ${sa.conditions!.length}: ${conditionText(sa.conditions![group]!, listsOf, false, adrgCode)}` : `${sa.rule}${sa.param ? " " + sa.param : ""}`;
      trace.push({ step: "adrg", decision: `${sa.code} ${ok ? "matches" : "does not match"} (${how})`, source: withOrigin(`adrg.tsv:${sa.line}`, sa.origin) });
    }
    if (!ok) return null;
    for (let d = 0; d < a.drgs.length; d++) {
      const di = a.drgs[d]!;
      const r = drgs[di]!;
      let take: boolean;
      switch (r.split) {
        case 0: take = hasMcc; break;
        case 1: take = hasMcc || hasCc; break;
        case 2: take = true; break;
        default: take = r.statuses.includes(ep.dischargeStatus == null ? "" : String(ep.dischargeStatus)) && (ep.losDays ?? 0) <= r.maxLos;
      }
      if (!take) continue;
      const sd = set.drgs[di]!;
      const sa = set.adrgs[ai]!;
      if (trace) {
        trace.push({ step: "split", decision: `${sd.code} (${sd.split}; MCC counted: ${hasMcc ? "yes" : "no"}, CC counted: ${hasCc ? "yes" : "no"})`, source: withOrigin(`drg.tsv:${sd.line}`, sd.origin) });
        trace.push({ step: "result", decision: `grouped: ${set.mdcs[sa.mdc]!.code} / ${sa.code} / ${sd.code}`, source: withOrigin(`drg.tsv:${sd.line}`, sd.origin) });
      }
      return makeResult(ep, "grouped", set.mdcs[sa.mdc]!.code, sa.code, sd.code, sd.nameZh, sd.nameEn, flags, counted ?? NONE, excluded ?? NONE, pdxTableName, trace);
    }
    return null;
  }

  function anyOr(nProc: number): boolean {
    for (let i = 0; i < nProc; i++) if (has(orBits, prc[i]!)) return true;
    return false;
  }
  function anyIn(b: Bits, nProc: number): boolean {
    for (let i = 0; i < nProc; i++) if (has(b, prc[i]!)) return true;
    return false;
  }
  function anySecIn(b: Bits, nSec: number): boolean {
    for (let i = 0; i < nSec; i++) if (has(b, sec[i]!)) return true;
    return false;
  }
  function anyDxIn(b: Bits, pdx: number, nSec: number): boolean {
    if (has(b, pdx)) return true;
    for (let i = 0; i < nSec; i++) if (has(b, sec[i]!)) return true;
    return false;
  }
  /** README step 4: distinct trauma regions among all diagnoses that are in the trauma MDC's list. */
  function traumaRegions(region: Int16Array, pdx: number, nSec: number): number {
    let mask = 0;
    if (pdx >= 0 && region[pdx]! >= 0) mask |= 1 << region[pdx]!;
    for (let i = 0; i < nSec; i++) {
      const id = sec[i]!;
      if (id >= 0 && region[id]! >= 0) mask |= 1 << region[id]!;
    }
    let n = 0;
    for (; mask; mask &= mask - 1) n++;
    return n;
  }
  function matchAdrg(a: RtAdrg, pdx: number, nSec: number, nProc: number, main: number, mainIsOr: boolean, neonate: boolean, weight: number): boolean {
    switch (a.rule) {
      case 0: return has(a.dx, pdx);
      case 1: return has(a.ss, main);
      case 2: return anyIn(a.ss, nProc);
      case 3: return has(a.dx, pdx) && has(a.ss, main);
      case 4: return has(a.dx, pdx) && anyIn(a.ss, nProc);
      case 5: return neonate && has(a.ss, main);
      case 6: return neonate && has(a.dx, pdx);
      case 7: return anyIn(a.ss, nProc) && anyIn(a.ss1, nProc);
      case 8: return has(a.dx, pdx) && anyIn(a.ss, nProc) && anyIn(a.ss1, nProc);
      case 9: {
        if (!has(a.dx, pdx)) return false;
        let tags = 0;
        for (let i = 0; i < nProc; i++) {
          const id = prc[i]!;
          if (has(a.ss, id)) tags |= 1 << a.tag![id]!;
        }
        for (const m of a.tagMasks) if ((tags & m) === m) return true;
        return false;
      }
      case 10: return mainIsOr;
      case 11: return mainIsOr && anyDxIn(a.dx, pdx, nSec);
      case 12: return !anyOr(nProc);
      case 13: return neonate && weight > 0 && weight >= a.weightLo && weight < a.weightHi && anyDxIn(a.dx, pdx, nSec);
      default: return true;
    }
  }

  function makeResult(
    ep: EpisodeFields, status: GroupStatus, mdc: string, adrg: string, drg: string, drgNameZh: string, drgNameEn: string,
    flags: Flag[] | null, cc: readonly CcEvidence[], ccExcluded: readonly CcEvidence[], principalExclusionTable: string, trace: TraceStep[] | null,
  ): GroupResult {
    const r: GroupResult = {
      id: ep.id == null ? null : typeof ep.id === "string" ? ep.id : String(ep.id), setId: set.meta.id, setVersion: set.meta.version, status, mdc, adrg, drg, drgNameZh, drgNameEn,
      flags: flags ?? NONE, cc, ccExcluded, principalExclusionTable,
    };
    if (trace) r.trace = trace;
    return r;
  }

  return {
    set,
    group,
    dxName: (code) => dxNameOf(lookupDx(code)),
    procName: (code) => procNameOf(lookupProc(code)),
  };
}
