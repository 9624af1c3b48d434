import { and, eq, inArray, isNotNull } from "drizzle-orm";
import { chunk, type Database } from "./client";
import { claims } from "./schema";

/** A stored, discharged stay of a person, for the readmission rule (the claim row's own columns). */
export type PriorStay = Pick<typeof claims.$inferSelect, "claimId" | "hospitalId" | "adrg" | "admissionDate"> & { dischargeDate: string };

/** Room left for the other bound parameters of the query (region, status) under D1's 100. */
const PERSONS_PER_QUERY = 90;

/**
 * Current, discharged, grouped stays of these persons in a region, by person:
 * the one D1 read of a preview, for the readmission warning (RULES.md §1).
 */
export async function priorStaysOf(db: Database, regionId: string, personIds: readonly string[]): Promise<Map<string, PriorStay[]>> {
  const out = new Map<string, PriorStay[]>();
  const unique = [...new Set(personIds)];
  if (unique.length === 0) return out;
  const queries = chunk(unique, PERSONS_PER_QUERY).map((ids) =>
    db
      .select({ claimId: claims.claimId, personId: claims.personId, hospitalId: claims.hospitalId, adrg: claims.adrg, admissionDate: claims.admissionDate, dischargeDate: claims.dischargeDate })
      .from(claims)
      .where(and(eq(claims.regionId, regionId), eq(claims.status, "current"), inArray(claims.personId, ids), isNotNull(claims.dischargeDate))),
  );
  const results = await Promise.all(queries);
  for (const rows of results) {
    for (const r of rows) {
      const list = out.get(r.personId) ?? [];
      list.push({ claimId: r.claimId, hospitalId: r.hospitalId, adrg: r.adrg, admissionDate: r.admissionDate, dischargeDate: r.dischargeDate! });
      out.set(r.personId, list);
    }
  }
  return out;
}
