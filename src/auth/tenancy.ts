import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { consortia, consortiumMembers, hospitals } from "../db/schema";
import { DomainError } from "../payment/errors";
import type { Principal } from "./principal";

/*
 * Tenant checks. Another tenant's resource answers 404, exactly like a missing
 * one, so that a key cannot probe which ids exist elsewhere.
 */

export function assertRegion(p: Principal, regionId: string): void {
  if (p.regionId !== regionId) throw new DomainError("not-found", `No region ${regionId}.`);
}

/** The hospital row, if the principal may see it: agency of its region, the hospital itself, or its consortium. */
export async function visibleHospital(db: Database, p: Principal, hospitalId: string) {
  const hospital = await db.query.hospitals.findFirst({ where: eq(hospitals.id, hospitalId) });
  if (!hospital || !(await canSeeHospital(db, p, hospital))) throw new DomainError("not-found", `No hospital ${hospitalId}.`);
  return hospital;
}

async function canSeeHospital(db: Database, p: Principal, h: typeof hospitals.$inferSelect): Promise<boolean> {
  if (h.regionId !== p.regionId) return false;
  switch (p.role) {
    case "agency":
      return true;
    case "hospital":
      return p.hospitalId === h.id;
    case "consortium": {
      if (!p.consortiumId) return false;
      const member = await db.query.consortiumMembers.findFirst({
        where: and(eq(consortiumMembers.consortiumId, p.consortiumId), eq(consortiumMembers.hospitalId, h.id)),
      });
      return member !== undefined;
    }
  }
}

/** The consortium row, if the principal may see it: agency of its region or the consortium itself. */
export async function visibleConsortium(db: Database, p: Principal, consortiumId: string) {
  const consortium = await db.query.consortia.findFirst({ where: eq(consortia.id, consortiumId) });
  const allowed =
    consortium !== undefined &&
    consortium.regionId === p.regionId &&
    (p.role === "agency" || (p.role === "consortium" && p.consortiumId === consortium.id));
  if (!allowed) throw new DomainError("not-found", `No consortium ${consortiumId}.`);
  return consortium;
}
