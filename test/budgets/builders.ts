/**
 * Small builders for budget tests: a region of its own with keys, and claims,
 * enrolments, accounts and scores written straight into D1 (the claims
 * ingestion route belongs to another branch).
 */
import { env } from "cloudflare:test";
import { hashKey, keyPrefix } from "../../src/auth/keys";
import { openDatabase } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import { defaultParameters } from "../../src/payment/parameters";
import type { AccountKind } from "../../src/payment/vocabulary";

export const db = () => openDatabase(env.DB);
export const yuan = (y: number) => Math.round(y * 100);

export interface BudgetRegion {
  regionId: string;
  agencyKey: string;
  keyOf: (tenant: string) => string;
}

/** A region with default RULES.md parameters for `year`, hospitals and consortia; every hospital and consortium gets a key. */
export async function seedBudgetRegion(opts: {
  regionId: string;
  year?: number;
  hospitals: string[];
  consortia?: { id: string; members: string[] }[];
}): Promise<BudgetRegion> {
  const d = db();
  const year = opts.year ?? 2026;
  const keyOf = (tenant: string) => `mp_test_${opts.regionId}_${tenant}_key_0123456789`;
  const agencyKey = keyOf("agency");
  await d.insert(schema.regions).values({ id: opts.regionId, name: opts.regionId, nameEn: opts.regionId, definitionSetId: "demo" });
  await d.insert(schema.hospitals).values(opts.hospitals.map((id) => ({ id, regionId: opts.regionId, name: id, nameEn: id, level: "secondary" as const })));
  for (const c of opts.consortia ?? []) {
    await d.insert(schema.consortia).values({ id: c.id, regionId: opts.regionId, name: c.id, nameEn: c.id, catchmentPopulation: 40_000 });
    await d.insert(schema.consortiumMembers).values(c.members.map((hospitalId) => ({ consortiumId: c.id, hospitalId })));
  }
  await d.insert(schema.parameterSets).values({ regionId: opts.regionId, year, version: 1, params: defaultParameters({ year, region: opts.regionId }) as unknown as Record<string, unknown> });
  const keys = [
    { id: `${opts.regionId}-agency`, role: "agency" as const, key: agencyKey, hospitalId: null, consortiumId: null },
    ...opts.hospitals.map((h) => ({ id: `${opts.regionId}-${h}`, role: "hospital" as const, key: keyOf(h), hospitalId: h, consortiumId: null })),
    ...(opts.consortia ?? []).map((c) => ({ id: `${opts.regionId}-${c.id}`, role: "consortium" as const, key: keyOf(c.id), hospitalId: null, consortiumId: c.id })),
  ];
  for (const k of keys) {
    await d.insert(schema.apiKeys).values({ id: k.id, keyHash: await hashKey(k.key), prefix: keyPrefix(k.key), role: k.role, regionId: opts.regionId, hospitalId: k.hospitalId, consortiumId: k.consortiumId, label: k.id });
  }
  return { regionId: opts.regionId, agencyKey, keyOf };
}

export async function addPersons(regionId: string, ids: string[], catchmentConsortiumId: string | null = null) {
  await db().insert(schema.persons).values(ids.map((id) => ({ id, regionId, catchmentConsortiumId })));
}

export async function addAccount(a: { regionId: string; kind: AccountKind; holderId: string; year?: number; entitlementOverrideFen?: number | null; advanceFen?: number }) {
  const year = a.year ?? 2026;
  await db()
    .insert(schema.budgetAccounts)
    .values({ id: `${a.kind}-${a.holderId}-${year}`, regionId: a.regionId, year, kind: a.kind, holderId: a.holderId, entitlementOverrideFen: a.entitlementOverrideFen ?? null, advanceFen: a.advanceFen ?? 0 });
}

export async function addScore(regionId: string, kind: AccountKind, subjectId: string, score: number, year = 2026) {
  await db().insert(schema.assessmentScores).values({ regionId, year, subjectKind: kind, subjectId, score });
}

let claimSeq = 0;
/** A discharged acute claim whose fund value (total cost − patient paid) is `fundValueFen`. */
export async function addClaim(c: {
  regionId: string;
  hospitalId: string;
  personId: string;
  month: string;
  fundValueFen: number;
  patientPaidFen?: number;
  status?: "current" | "superseded";
}) {
  claimSeq += 1;
  const paid = c.patientPaidFen ?? 0;
  const discharge = `${c.month}-15`;
  await db()
    .insert(schema.claims)
    .values({
      regionId: c.regionId,
      claimId: `CL${claimSeq}`,
      version: 1,
      status: c.status ?? "current",
      hospitalId: c.hospitalId,
      personId: c.personId,
      scheme: "resident",
      wardCategory: "acute",
      admissionDate: `${c.month}-10`,
      dischargeDate: discharge,
      settlementMonth: c.month,
      losDays: 5,
      principalDx: "J18.9",
      secondaryDx: [],
      procedures: [],
      totalCostFen: c.fundValueFen + paid,
      patientPaidFen: paid,
      contentHash: `hash-${claimSeq}`,
    });
}

let enrolSeq = 0;
export async function addEnrolment(e: { regionId: string; personId: string; contractorId: string; disease: string; startDate: string; endDate?: string | null }) {
  enrolSeq += 1;
  await db()
    .insert(schema.enrolments)
    .values({ regionId: e.regionId, enrolmentId: `EN${enrolSeq}`, version: 1, status: "current", personId: e.personId, contractorId: e.contractorId, disease: e.disease, startDate: e.startDate, endDate: e.endDate ?? null, contentHash: `enrol-${enrolSeq}` });
}
