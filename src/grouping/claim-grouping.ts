/**
 * Grouping of claims on arrival with the region's definition set (GROUPER.md),
 * using the isolate's cached grouper (grouper-for.ts).
 */
import type { Grouper } from "../../grouper";
import { grouperFor } from "./grouper-for";

export function grouperForSet(setId: string): Grouper | undefined {
  return grouperFor(setId)?.grouper;
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

/** The claim fields the grouper reads; the length of stay is derived (losDaysOf) and passed beside them. */
export interface GroupableClaim {
  claimId: string;
  sex?: "M" | "F";
  ageYears?: number;
  ageDays?: number;
  birthWeightGrams?: number;
  dischargeStatus?: string;
  principalDx: string;
  secondaryDx: string[];
  procedures: string[];
}

export function groupClaim(grouper: Grouper, c: GroupableClaim, losDays: number): ClaimGrouping {
  const r = grouper.group({
    id: c.claimId,
    sex: c.sex ?? null,
    ageYears: c.ageYears ?? null,
    ageDays: c.ageDays ?? null,
    birthWeightGrams: c.birthWeightGrams ?? null,
    losDays,
    dischargeStatus: c.dischargeStatus ?? null,
    principalDx: c.principalDx,
    secondaryDx: c.secondaryDx,
    procedures: c.procedures,
  });
  const flags = r.flags.map((f) => `${f.edit}:${f.detail}`);
  if (r.status !== "grouped") flags.unshift(r.status);
  return { mdc: r.mdc, adrg: r.adrg, drg: r.drg, groupingSetId: r.setId, groupingVersion: r.setVersion, groupingFlags: flags };
}
