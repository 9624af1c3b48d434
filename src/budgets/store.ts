/**
 * Reads what a budget account view needs from D1 and hands plain data to the
 * rules (account-view.ts). Tables here, rules there.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { latestParameterSet } from "../db/parameters";
import { assessmentScores, budgetAccounts, consortia, budgetPayments, claims, consortiumMembers, enrolments, persons } from "../db/schema";
import { DomainError } from "../payment/errors";
import { capitationEntitlement, consortiumEntitlement, evenMonthlySplit, parseRegionYearParameters, type RegionYearParameters } from "../payment";
import type { AccountKind } from "../payment/vocabulary";
import { buildAccountView, type AccountView, type EntitlementSource } from "./account-view";
import type { CoveredClaimGroup } from "./attribution";

export type BudgetAccountRow = typeof budgetAccounts.$inferSelect;

export async function findAccount(db: Database, kind: AccountKind, holderId: string, year: number): Promise<BudgetAccountRow | undefined> {
  return db.query.budgetAccounts.findFirst({ where: and(eq(budgetAccounts.kind, kind), eq(budgetAccounts.holderId, holderId), eq(budgetAccounts.year, year)) });
}

export async function requireAccount(db: Database, kind: AccountKind, holderId: string, year: number): Promise<BudgetAccountRow> {
  const account = await findAccount(db, kind, holderId, year);
  if (!account) throw new DomainError("not-found", `No ${kind} budget account for ${holderId} in ${year}.`);
  return account;
}

export async function regionYearParameters(db: Database, regionId: string, year: number): Promise<{ id: number; params: RegionYearParameters }> {
  const set = await latestParameterSet(db, regionId, year);
  if (!set) throw new DomainError("no-parameters", `Region ${regionId} has no parameter set for ${year}; the agency must publish one first.`, [{ field: "year", message: `no parameter set for ${year}` }]);
  return { id: set.id, params: parseRegionYearParameters(set.params) };
}

export async function memberHospitalIds(db: Database, consortiumId: string): Promise<string[]> {
  const rows = await db.select({ id: consortiumMembers.hospitalId }).from(consortiumMembers).where(eq(consortiumMembers.consortiumId, consortiumId)).orderBy(asc(consortiumMembers.hospitalId));
  return rows.map((r) => r.id);
}

const yearRange = (year: number) => sql`${claims.settlementMonth} between ${`${year}-01`} and ${`${year}-12`}`;

const groupColumns = {
  hospitalId: claims.hospitalId,
  month: claims.settlementMonth,
  claims: sql<number>`count(*)`.mapWith(Number),
  totalCostFen: sql<number>`coalesce(sum(${claims.totalCostFen}), 0)`.mapWith(Number),
  patientPaidFen: sql<number>`coalesce(sum(${claims.patientPaidFen}), 0)`.mapWith(Number),
};

/** Current claims of the consortium's catchment residents (persons.catchment_consortium_id), by hospital and month. */
export async function catchmentClaimGroups(db: Database, regionId: string, consortiumId: string, year: number): Promise<CoveredClaimGroup[]> {
  return db
    .select(groupColumns)
    .from(claims)
    .innerJoin(persons, eq(persons.id, claims.personId))
    .where(and(eq(claims.regionId, regionId), eq(claims.status, "current"), yearRange(year), eq(persons.catchmentConsortiumId, consortiumId)))
    .groupBy(claims.hospitalId, claims.settlementMonth);
}

/**
 * Current claims of the contractor's enrollees, by hospital and month. A claim
 * is covered when a current enrolment with the contractor is in force on its
 * service date (discharge date, else the interim period's end, else admission).
 */
export async function enrolleeClaimGroups(db: Database, regionId: string, contractorId: string, year: number): Promise<CoveredClaimGroup[]> {
  const serviceDate = sql`coalesce(${claims.dischargeDate}, ${claims.periodEnd}, ${claims.admissionDate})`;
  const enrolled = sql`exists (select 1 from ${enrolments} where ${enrolments.personId} = ${claims.personId} and ${enrolments.regionId} = ${claims.regionId}
    and ${enrolments.contractorId} = ${contractorId} and ${enrolments.status} = 'current'
    and ${enrolments.startDate} <= ${serviceDate} and (${enrolments.endDate} is null or ${enrolments.endDate} >= ${serviceDate}))`;
  return db
    .select(groupColumns)
    .from(claims)
    .where(and(eq(claims.regionId, regionId), eq(claims.status, "current"), yearRange(year), enrolled))
    .groupBy(claims.hospitalId, claims.settlementMonth);
}

/** Capitation entitlement from the contractor's current enrolments (§4: multi-disease rule, first-day month counting), unless overridden. */
async function capitationEntitlementOf(db: Database, account: BudgetAccountRow, params: RegionYearParameters): Promise<EntitlementSource> {
  if (account.entitlementOverrideFen !== null) return overridden(account);
  const rows = await db
    .select({ personId: enrolments.personId, disease: enrolments.disease, startDate: enrolments.startDate, endDate: enrolments.endDate })
    .from(enrolments)
    .where(and(eq(enrolments.regionId, account.regionId), eq(enrolments.contractorId, account.holderId), eq(enrolments.status, "current")));
  const result = capitationEntitlement(
    rows.map((r) => ({ personId: r.personId, diseases: [r.disease], enrolledFrom: r.startDate, enrolledUntil: r.endDate })),
    account.year,
    params,
  );
  return { amount: result.entitlement, source: "enrolments", byMonth: result.months.map((m) => ({ month: m.month, amount: m.prepayment })) };
}

/**
 * Consortium entitlement (§4): the amount the agency set, else the region-year's
 * per-capita amount × the catchment's insured residents; with neither it is 0
 * and reported as `unset`.
 */
async function consortiumEntitlementOf(db: Database, account: BudgetAccountRow, params: RegionYearParameters): Promise<EntitlementSource> {
  if (account.entitlementOverrideFen !== null) return overridden(account);
  const perCapita = params.consortium.perCapita;
  const consortium = await db.query.consortia.findFirst({ where: eq(consortia.id, account.holderId) });
  if (perCapita === undefined || !consortium) return { amount: 0, source: "unset", byMonth: evenMonthlySplit(0, account.year) };
  const amount = consortiumEntitlement({ perCapita, population: consortium.catchmentPopulation });
  return { amount, source: "per-capita", byMonth: evenMonthlySplit(amount, account.year) };
}

function overridden(account: BudgetAccountRow): EntitlementSource {
  const amount = account.entitlementOverrideFen ?? 0;
  return { amount, source: "override", byMonth: evenMonthlySplit(amount, account.year) };
}

export async function assessmentScore(db: Database, account: BudgetAccountRow): Promise<number | null> {
  const row = await db.query.assessmentScores.findFirst({
    where: and(
      eq(assessmentScores.regionId, account.regionId),
      eq(assessmentScores.year, account.year),
      eq(assessmentScores.subjectKind, account.kind),
      eq(assessmentScores.subjectId, account.holderId),
    ),
  });
  return row?.score ?? null;
}

/** Everything about one account as of a date, read from D1 and computed by the §4 rules. */
export async function loadAccountView(db: Database, account: BudgetAccountRow, asOf: string, scoreOverride?: number): Promise<{ view: AccountView; parameterSetId: number }> {
  const { id: parameterSetId, params } = await regionYearParameters(db, account.regionId, account.year);
  const isConsortium = account.kind === "consortium";
  const [internalHospitalIds, claimGroups, entitlement, recordedPayments, score] = await Promise.all([
    isConsortium ? memberHospitalIds(db, account.holderId) : Promise.resolve([account.holderId]),
    isConsortium ? catchmentClaimGroups(db, account.regionId, account.holderId, account.year) : enrolleeClaimGroups(db, account.regionId, account.holderId, account.year),
    isConsortium ? consortiumEntitlementOf(db, account, params) : capitationEntitlementOf(db, account, params),
    db.select({ period: budgetPayments.period, kind: budgetPayments.kind, amountFen: budgetPayments.amountFen }).from(budgetPayments).where(eq(budgetPayments.accountId, account.id)),
    scoreOverride === undefined ? assessmentScore(db, account) : Promise.resolve(scoreOverride),
  ]);
  const view = buildAccountView({
    account: { id: account.id, kind: account.kind, holderId: account.holderId, year: account.year, advanceFen: account.advanceFen },
    asOf,
    entitlement,
    rules: isConsortium ? params.consortium.account : params.capitation.account,
    warning: params.warning,
    internalHospitalIds,
    claimGroups,
    recordedPayments,
    score,
  });
  return { view, parameterSetId };
}
