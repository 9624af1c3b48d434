/**
 * Year-end clearing of the DRG fund (年终清算, RULES.md §2): the year's points
 * per hospital with the readmission halving applied directly (§1), the
 * patients' payments, the annual budget (parameter `annualBudget`, else Σ of
 * the monthly budgets), the hospitals' assessment scores and what the monthly
 * pre-settlements paid go into payment.clearYear.
 *
 * Documented choices: "paid monthly" Σ_m (F_h,m − W_h,m) is taken from the
 * approved run of each month (approved = paid); a month without an approved
 * run contributes nothing. The year's episodes are the current final claims
 * discharged in the year (interim and per-diem claims are outside the DRG
 * pool). A hospital without a score is cleared at score 0 (flag `no-score`).
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { assessmentScores, claims, clearings, settlementLines, settlementRuns } from "../db/schema";
import {
  applyReadmissionRule,
  clearYear,
  indexWeights,
  perDiemTableFor,
  priceEpisode,
  sumFen,
  type AnnualClearing,
  type DrgEpisode,
  type PricedEpisode,
} from "../payment";
import { isUniqueViolation } from "../db/unique-violation";
import { DomainError } from "../payment/errors";
import { contentHash } from "../util/content-hash";
import { monthsNotApproved } from "./month-edges";
import { loadYearRules } from "./run-inputs";

export interface ClearingResult {
  regionId: string;
  year: number;
  parameterSetId: number;
  inputHash: string;
  approvedRuns: { period: string; runId: string }[];
  clearing: AnnualClearing;
}

export async function computeDrgClearing(db: Database, regionId: string, year: number): Promise<ClearingResult> {
  const rules = await loadYearRules(db, regionId, year);
  const { parameters, weights } = rules;
  const weightIndex = indexWeights(weights);
  const rows = await db
    .select()
    .from(claims)
    .where(and(eq(claims.regionId, regionId), eq(claims.status, "current"), isNotNull(claims.dischargeDate), sql`${claims.periodEnd} is null`, gte(claims.dischargeDate, `${year}-01-01`), lte(claims.dischargeDate, `${year}-12-31`)))
    .orderBy(asc(claims.id));
  const episodes: DrgEpisode[] = [];
  const priced: PricedEpisode[] = [];
  for (const c of rows) {
    const e: DrgEpisode = {
      id: c.claimId,
      hospitalId: c.hospitalId,
      personId: c.personId,
      ...(c.adrg ? { adrg: c.adrg } : {}),
      drg: c.drg ?? "0000",
      wardCategory: c.wardCategory,
      admissionDate: c.admissionDate,
      dischargeDate: c.dischargeDate!,
      totalCost: c.totalCostFen,
      patientPaid: c.patientPaidFen,
      planned: c.plannedReadmission,
    };
    if (perDiemTableFor(e, weightIndex.get(e.drg), parameters) !== null) continue;
    episodes.push(e);
    priced.push(priceEpisode(e, { parameters, weights, weightIndex, hospital: { id: c.hospitalId, level: rules.hospitals.get(c.hospitalId)! } }));
  }
  const { episodes: final } = applyReadmissionRule(episodes, priced, parameters);
  const perHospital = new Map<string, { points: number; patientPaid: number }>();
  for (const e of final) {
    const h = perHospital.get(e.hospitalId) ?? { points: 0, patientPaid: 0 };
    h.points += e.finalPoints;
    h.patientPaid += e.patientPaid;
    perHospital.set(e.hospitalId, h);
  }

  const approved = await db
    .select({ id: settlementRuns.id, period: settlementRuns.period })
    .from(settlementRuns)
    .where(and(eq(settlementRuns.regionId, regionId), eq(settlementRuns.status, "approved"), gte(settlementRuns.period, `${year}-01`), lte(settlementRuns.period, `${year}-12`)))
    .orderBy(asc(settlementRuns.period));
  const paid = new Map<string, number>();
  if (approved.length > 0) {
    const lines = await db.select().from(settlementLines).where(inArray(settlementLines.runId, approved.map((r) => r.id)));
    for (const l of lines) paid.set(l.hospitalId, (paid.get(l.hospitalId) ?? 0) + l.drgFundFen - l.depositFen);
  }
  const scores = new Map(
    (await db.select().from(assessmentScores).where(and(eq(assessmentScores.regionId, regionId), eq(assessmentScores.year, year), eq(assessmentScores.subjectKind, "hospital")))).map((s) => [s.subjectId, s.score]),
  );
  const hospitalIds = [...new Set([...perHospital.keys(), ...paid.keys()])].sort();
  const annualBudget = parameters.drg.annualBudget ?? sumFen(Object.entries(parameters.drg.monthlyBudgets).filter(([m]) => m.startsWith(`${year}-`)).map(([, v]) => v));
  const hospitals = hospitalIds.map((id) => ({
    hospitalId: id,
    points: perHospital.get(id)?.points ?? 0,
    patientPaid: perHospital.get(id)?.patientPaid ?? 0,
    score: scores.get(id) ?? null,
    paidMonthly: paid.get(id) ?? 0,
  }));
  const clearing = clearYear({ annualBudget, hospitals, depositRate: parameters.drg.depositRate, depositReturnTiers: parameters.drg.depositReturnTiers });
  const inputHash = contentHash({ regionId, year, parameterSetId: rules.parameterSetId, weights, claims: rows.map((r) => [r.id, r.contentHash]), approved, scores: [...scores].sort() });
  return { regionId, year, parameterSetId: rules.parameterSetId, inputHash, approvedRuns: approved.map((r) => ({ period: r.period, runId: r.id })), clearing };
}

export type ClearingRow = typeof clearings.$inferSelect;

/**
 * The year's DRG clearing: a trial (computed, shown, never recorded) while a month of the year has no
 * approved run; else the final clearing, recorded once (RULES.md §2) — a second one is a 409 naming the first.
 */
export async function clearDrgYear(db: Database, regionId: string, year: number, createdBy: string): Promise<{ final: false; missingMonths: string[]; row: Omit<ClearingRow, "id" | "createdAt" | "createdBy"> } | { final: true; row: ClearingRow }> {
  const result = await computeDrgClearing(db, regionId, year);
  const values = { regionId, year, kind: "drg" as const, subjectId: null, parameterSetId: result.parameterSetId, inputHash: result.inputHash, result: result as unknown as Record<string, unknown> };
  const missingMonths = monthsNotApproved(year, result.approvedRuns.map((r) => r.period));
  if (missingMonths.length > 0) return { final: false, missingMonths, row: values };
  const [row] = await db
    .insert(clearings)
    .values({ id: crypto.randomUUID(), ...values, createdBy })
    .returning()
    .catch(async (err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
      throw new DomainError("already-cleared", `The ${year} DRG clearing of ${regionId} is already recorded (${(await recordedClearingId(db, regionId, year, "drg", null)) ?? "?"}); a final clearing is recorded once.`);
    });
  return { final: true, row: row! };
}

export async function recordedClearingId(db: Database, regionId: string, year: number, kind: ClearingRow["kind"], subjectId: string | null): Promise<string | undefined> {
  const row = await db.query.clearings.findFirst({
    columns: { id: true },
    where: and(eq(clearings.regionId, regionId), eq(clearings.year, year), eq(clearings.kind, kind), subjectId === null ? isNull(clearings.subjectId) : eq(clearings.subjectId, subjectId)),
  });
  return row?.id;
}
