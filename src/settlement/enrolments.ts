/**
 * Chronic-disease enrolments (门诊慢特病, RULES.md §4) submitted in batches
 * with the same line-by-line, versioned semantics as claims
 * (versioned-batch.ts). The agency submits for its region; a contractor
 * hospital for its own enrollees only.
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Principal } from "../auth/principal";
import { insertStatements, runBatch } from "../db/bulk";
import { chunk, type Database } from "../db/client";
import { enrolments, hospitals } from "../db/schema";
import { zodFieldProblems } from "../payment/errors";
import { dateSchema, enrolmentIdSchema, hospitalIdSchema, personIdSchema } from "../payment/vocabulary";
import type { BatchRecord } from "./batch-lines";
import { ingestVersioned, type IngestReport, type StoredVersion } from "./versioned-batch";

export const enrolmentLineSchema = z
  .object({
    enrolmentId: enrolmentIdSchema.optional().describe("default E-<personId>-<disease>"),
    personId: personIdSchema,
    contractorId: hospitalIdSchema.describe("the contractor hospital holding the capitation contract"),
    disease: z.string().trim().min(1).max(64).regex(/^[a-z0-9-]+$/, "a disease key of the region's quota table, e.g. hypertension"),
    startDate: dateSchema,
    endDate: dateSchema.optional(),
  })
  .strict()
  .refine((e) => e.endDate === undefined || e.endDate >= e.startDate, { path: ["endDate"], message: "before startDate" });
export type EnrolmentLine = z.output<typeof enrolmentLineSchema>;

export const ENROLMENT_CSV = {
  columns: ["enrolmentId", "personId", "contractorId", "disease", "startDate", "endDate"],
  required: ["personId", "contractorId", "disease", "startDate"],
  integer: [],
  list: [],
  boolean: [],
} as const;

/** The fields of an enrolment that make it "the same" enrolment when resubmitted. */
export function enrolmentContent(e: { personId: string; contractorId: string; disease: string; startDate: string; endDate?: string | null }) {
  return { personId: e.personId, contractorId: e.contractorId, disease: e.disease, startDate: e.startDate, endDate: e.endDate ?? null };
}

export const enrolmentIdOf = (e: Pick<EnrolmentLine, "enrolmentId" | "personId" | "disease">) => e.enrolmentId ?? `E-${e.personId}-${e.disease}`;

const IDS_PER_QUERY = 98;

export async function ingestEnrolments(db: Database, principal: Principal, records: AsyncIterable<readonly BatchRecord[]>): Promise<IngestReport> {
  const regionHospitals = new Set(
    (await db.select({ id: hospitals.id }).from(hospitals).where(eq(hospitals.regionId, principal.regionId))).map((h) => h.id),
  );
  return ingestVersioned<EnrolmentLine>(records, {
    idField: "enrolmentId",
    parse(value) {
      const parsed = enrolmentLineSchema.safeParse(value);
      if (!parsed.success) return { ok: false, errors: zodFieldProblems(parsed.error) };
      const e = parsed.data;
      if (principal.role === "hospital" && e.contractorId !== principal.hospitalId) {
        return { ok: false, errors: [{ field: "contractorId", reason: `a contractor hospital submits its own enrollees only (${principal.hospitalId})` }] };
      }
      if (!regionHospitals.has(e.contractorId)) return { ok: false, errors: [{ field: "contractorId", reason: "no such hospital in the region" }] };
      return { ok: true, record: e };
    },
    idOf: enrolmentIdOf,
    ownerOf: (e) => e.contractorId,
    contentOf: enrolmentContent,
    async loadCurrent(ids) {
      const out = new Map<string, StoredVersion>();
      for (const part of chunk(ids, IDS_PER_QUERY)) {
        const rows = await db
          .select({ id: enrolments.enrolmentId, version: enrolments.version, contentHash: enrolments.contentHash, contractorId: enrolments.contractorId })
          .from(enrolments)
          .where(and(eq(enrolments.regionId, principal.regionId), eq(enrolments.status, "current"), inArray(enrolments.enrolmentId, part)));
        for (const r of rows) out.set(r.id, { version: r.version, contentHash: r.contentHash, ownerId: r.contractorId });
      }
      return out;
    },
    async writeChunk(rows, supersede) {
      const updates = chunk(supersede, IDS_PER_QUERY).map((ids) =>
        db
          .update(enrolments)
          .set({ status: "superseded" })
          .where(and(eq(enrolments.regionId, principal.regionId), eq(enrolments.status, "current"), inArray(enrolments.enrolmentId, ids))),
      );
      const values = rows.map((r) => ({
        regionId: principal.regionId,
        enrolmentId: r.id,
        version: r.version,
        status: r.superseded ? ("superseded" as const) : ("current" as const),
        personId: r.record.personId,
        contractorId: r.record.contractorId,
        disease: r.record.disease,
        startDate: r.record.startDate,
        endDate: r.record.endDate ?? null,
        contentHash: r.contentHash,
        submittedBy: principal.keyId,
      }));
      await runBatch(db, [...updates, ...insertStatements(db, enrolments, values)]);
    },
  });
}
