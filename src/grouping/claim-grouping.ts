/**
 * Grouping of claims on arrival with the region's definition set (GROUPER.md).
 * Thin adapter over the grouper library: one compiled grouper per set per
 * isolate. The lead's src/grouping helpers may replace the lookup.
 */
import { bundledSets, createGrouper, type Grouper } from "../../grouper";

const groupers = new Map<string, Grouper>();

export function grouperForSet(setId: string): Grouper | undefined {
  let g = groupers.get(setId);
  if (!g) {
    const set = bundledSets[setId];
    if (!set) return undefined;
    g = createGrouper(set.compiled);
    groupers.set(setId, g);
  }
  return g;
}

/** What a claim row keeps of its group result. */
export interface ClaimGrouping {
  mdc: string;
  adrg: string;
  drg: string;
  groupingSetId: string;
  groupingVersion: string;
  /** Edits that fired (GROUPER.md step 1), plus the grouper status when it is not "grouped". */
  groupingFlags: string[];
}

export interface GroupableClaim {
  claimId: string;
  sex?: "M" | "F";
  ageYears?: number;
  ageDays?: number;
  birthWeightGrams?: number;
  losDays: number;
  dischargeStatus?: string;
  principalDx: string;
  secondaryDx: string[];
  procedures: string[];
}

export function groupClaim(grouper: Grouper, c: GroupableClaim): ClaimGrouping {
  const r = grouper.group({
    id: c.claimId,
    sex: c.sex ?? null,
    ageYears: c.ageYears ?? null,
    ageDays: c.ageDays ?? null,
    birthWeightGrams: c.birthWeightGrams ?? null,
    losDays: c.losDays,
    dischargeStatus: c.dischargeStatus ?? null,
    principalDx: c.principalDx,
    secondaryDx: c.secondaryDx,
    procedures: c.procedures,
  });
  const flags = r.flags.map((f) => `${f.edit}:${f.detail}`);
  if (r.status !== "grouped") flags.unshift(r.status);
  return { mdc: r.mdc, adrg: r.adrg, drg: r.drg, groupingSetId: r.setId, groupingVersion: r.setVersion, groupingFlags: flags };
}
