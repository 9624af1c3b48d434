/**
 * Claims ingestion (issue #6): each line validated on its own, authorised
 * (a hospital key submits its own claims only; an agency key any hospital of
 * its region), versioned by content hash and grouped on arrival with the
 * region's definition set. Semantics of the report: versioned-batch.ts.
 */
import { eq } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import type { Database } from "../db/client";
import { literalInsertStatements } from "../db/literal-insert";
import { claims, hospitals, regions } from "../db/schema";
import { DomainError, zodFieldProblems } from "../payment/errors";
import { groupClaim, grouperForSet } from "../grouping/claim-grouping";
import type { BatchRecord } from "./batch-lines";
import { claimLineSchema, losDaysOf, settlementMonthOf, type ClaimLine } from "./claim-schema";
import { ingestVersioned, type IngestReport, type StoredVersion } from "./versioned-batch";

/** The fields that make a claim "the same claim" when resubmitted: all of its validated content. */
export function claimContent(c: ClaimLine): ClaimLine {
  return c;
}

export async function ingestClaims(db: Database, principal: Principal, records: AsyncIterable<readonly BatchRecord[]>): Promise<IngestReport> {
  const region = await db.query.regions.findFirst({ where: eq(regions.id, principal.regionId) });
  if (!region) throw new DomainError("not-found", `No region ${principal.regionId}.`);
  const grouper = grouperForSet(region.definitionSetId);
  if (!grouper) throw new DomainError("set-not-bundled", `The region's definition set "${region.definitionSetId}" is not bundled with this Worker.`);
  const regionHospitals = new Set(
    (await db.select({ id: hospitals.id }).from(hospitals).where(eq(hospitals.regionId, region.id))).map((h) => h.id),
  );

  return ingestVersioned<ClaimLine>(records, {
    idField: "claimId",
    parse(value) {
      const parsed = claimLineSchema.safeParse(value);
      if (!parsed.success) return { ok: false, errors: zodFieldProblems(parsed.error) };
      const c = parsed.data;
      if (principal.role === "hospital" && c.hospitalId !== principal.hospitalId) {
        return { ok: false, errors: [{ field: "hospitalId", reason: `a hospital key submits its own claims only (${principal.hospitalId})` }] };
      }
      if (!regionHospitals.has(c.hospitalId)) return { ok: false, errors: [{ field: "hospitalId", reason: "no such hospital in the region" }] };
      return { ok: true, record: c };
    },
    idOf: (c) => c.claimId,
    ownerOf: (c) => c.hospitalId,
    contentOf: claimContent,
    async loadCurrent(ids) {
      // Hand-written SQL with the ids as one JSON parameter: one query per chunk whatever its size, and
      // none of the query builder's per-call cost on this path, which runs for every chunk of every upload.
      const { results } = await db.$client
        .prepare(`select claim_id, version, content_hash, hospital_id from claims where region_id = ?1 and status = 'current' and claim_id in (select value from json_each(?2))`)
        .bind(region.id, JSON.stringify(ids))
        .all<{ claim_id: string; version: number; content_hash: string; hospital_id: string }>();
      return new Map(results.map((r) => [r.claim_id, { version: r.version, contentHash: r.content_hash, ownerId: r.hospital_id }]));
    },
    async writeChunk(rows, supersede) {
      const values = rows.map((r) => {
        const c = r.record;
        const losDays = losDaysOf(c);
        return {
          regionId: region.id,
          claimId: c.claimId,
          version: r.version,
          status: r.superseded ? ("superseded" as const) : ("current" as const),
          hospitalId: c.hospitalId,
          personId: c.personId,
          scheme: c.scheme,
          wardCategory: c.wardCategory,
          admissionDate: c.admissionDate,
          dischargeDate: c.dischargeDate ?? null,
          periodStart: c.periodStart ?? null,
          periodEnd: c.periodEnd ?? null,
          settlementMonth: settlementMonthOf(c),
          sex: c.sex ?? null,
          ageYears: c.ageYears ?? null,
          ageDays: c.ageDays ?? null,
          birthWeightGrams: c.birthWeightGrams ?? null,
          losDays,
          dischargeStatus: c.dischargeStatus ?? null,
          principalDx: c.principalDx,
          secondaryDx: c.secondaryDx,
          procedures: c.procedures,
          totalCostFen: c.totalCostFen,
          patientPaidFen: c.patientPaidFen,
          plannedReadmission: c.plannedReadmission,
          contentHash: r.contentHash,
          ...groupClaim(grouper, c, losDays),
          submittedBy: principal.keyId,
        };
      });
      // Superseding first: the new versions inserted after it are the current ones.
      const supersedeStatement = db.$client
        .prepare(`update claims set status = 'superseded' where region_id = ?1 and status = 'current' and claim_id in (select value from json_each(?2))`)
        .bind(region.id, JSON.stringify(supersede));
      // One atomic D1 batch (STACK.md): the chunk is stored whole or not at all.
      const statements = [...(supersede.length > 0 ? [supersedeStatement] : []), ...literalInsertStatements(db, claims, values)];
      if (statements.length > 0) await db.$client.batch(statements);
    },
  });
}
