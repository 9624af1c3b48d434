/** Read-only views of a compiled set for listings and search (preview API, pages). */
import type { CompiledSet } from "./types.js";

export interface DrgEntry {
  drg: string;
  adrg: string;
  mdc: string;
  suffix: string;
  nameZh: string;
  nameEn: string;
  adrgNameZh: string;
  adrgNameEn: string;
}

/** Every DRG of a set in table order, with its ADRG and MDC. */
export function listDrgs(set: CompiledSet): DrgEntry[] {
  return set.drgs.map((d) => {
    const a = set.adrgs[d.adrg]!;
    return { drg: d.code, adrg: a.code, mdc: set.mdcs[a.mdc]!.code, suffix: d.suffix, nameZh: d.nameZh, nameEn: d.nameEn, adrgNameZh: a.nameZh, adrgNameEn: a.nameEn };
  });
}

/**
 * DRGs whose code or Chinese/English name (or their ADRG's) contains every
 * whitespace-separated term of the query, case-insensitively.
 */
export function searchDrgs(set: CompiledSet, query: string, limit = 50): DrgEntry[] {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const out: DrgEntry[] = [];
  for (const e of listDrgs(set)) {
    const hay = `${e.drg} ${e.nameZh} ${e.nameEn} ${e.adrgNameZh} ${e.adrgNameEn}`.toLowerCase();
    if (terms.every((t) => hay.includes(t))) {
      out.push(e);
      if (out.length >= limit) break;
    }
  }
  return out;
}
