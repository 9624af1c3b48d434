/**
 * Names and structure of a definition set, looked up by code: what the preview
 * needs beside the group itself (MDC/ADRG/DRG names, which suffix a CC or MCC
 * would give) and what GET /v1/drgs searches. Structural types over the
 * grouper's compiled set, so this module depends on its shape, not its code.
 */

export type SplitRuleName = "MCC" | "MCC_OR_CC" | "ALWAYS" | "DISCHARGE_STATUS" | (string & {});

/** The parts of the grouper's CompiledSet read here. */
export interface CompiledSetShape {
  meta: { id: string; version: string };
  mdcs: ReadonlyArray<{ code: string; nameZh: string; nameEn: string }>;
  adrgs: ReadonlyArray<{ code: string; mdc: number; nameZh: string; nameEn: string; drgs: ReadonlyArray<number> }>;
  drgs: ReadonlyArray<{ code: string; adrg: number; suffix: string; split: SplitRuleName; nameZh: string; nameEn: string }>;
  options: { ungroupable: { mdc: string; adrg: string; drg: string }; rejected: { mdc: string; adrg: string; drg: string } };
}

export interface NamedCode {
  code: string;
  nameZh: string;
  nameEn: string;
}

export interface DrgEntry extends NamedCode {
  adrg: string;
  mdc: string;
  suffix: string;
  /** The split row of the set: MCC → needs an MCC, MCC_OR_CC → a CC or MCC, ALWAYS → the rest. */
  split: SplitRuleName;
}

export interface AdrgEntry extends NamedCode {
  mdc: string;
  /** The ADRG's DRGs in the set's test order. */
  drgs: DrgEntry[];
}

export interface SetView {
  id: string;
  version: string;
  mdc(code: string): NamedCode | undefined;
  adrg(code: string): AdrgEntry | undefined;
  drg(code: string): DrgEntry | undefined;
  /** Every DRG of the set, in set order. */
  drgs: readonly DrgEntry[];
}

/** Indexes a compiled set by code once (cached by the caller per isolate). */
export function setViewOf(set: CompiledSetShape): SetView {
  const mdcs = new Map<string, NamedCode>();
  for (const m of set.mdcs) mdcs.set(m.code, { code: m.code, nameZh: m.nameZh, nameEn: m.nameEn });
  const drgs: DrgEntry[] = set.drgs.map((d) => {
    const a = set.adrgs[d.adrg]!;
    return { code: d.code, nameZh: d.nameZh, nameEn: d.nameEn, adrg: a.code, mdc: set.mdcs[a.mdc]?.code ?? "", suffix: d.suffix, split: d.split };
  });
  const adrgs = new Map<string, AdrgEntry>();
  for (const a of set.adrgs) {
    adrgs.set(a.code, { code: a.code, nameZh: a.nameZh, nameEn: a.nameEn, mdc: set.mdcs[a.mdc]?.code ?? "", drgs: a.drgs.map((i) => drgs[i]!) });
  }
  const byCode = new Map(drgs.map((d) => [d.code, d]));
  // The ungroupable/rejected results are no row of the tables: name them here so every result has a name.
  for (const special of [set.options.ungroupable, set.options.rejected]) {
    if (!byCode.has(special.drg)) byCode.set(special.drg, { code: special.drg, nameZh: "不能入组", nameEn: "Ungroupable", adrg: special.adrg, mdc: special.mdc, suffix: "", split: "ALWAYS" });
    if (!adrgs.has(special.adrg)) adrgs.set(special.adrg, { code: special.adrg, nameZh: "不能入组", nameEn: "Ungroupable", mdc: special.mdc, drgs: [] });
    if (!mdcs.has(special.mdc)) mdcs.set(special.mdc, { code: special.mdc, nameZh: "不能入组", nameEn: "Ungroupable" });
  }
  return {
    id: set.meta.id,
    version: set.meta.version,
    mdc: (code) => mdcs.get(code),
    adrg: (code) => adrgs.get(code),
    drg: (code) => byCode.get(code),
    drgs,
  };
}
