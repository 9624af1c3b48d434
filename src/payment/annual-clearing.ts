/**
 * Annual clearing (年终清算, RULES.md §2): steps 1–2 of the monthly
 * pre-settlement over the whole year with the annual budget give the
 * entitlement E_h; the deduction D_h = round(E_h × w × (1 − q(s_h))) keeps back
 * the part of the deposit the score does not earn; clearing payment
 * C_h = E_h − D_h − Σ_m (F_h,m − W_h,m).
 *
 * Documented choices where RULES.md is silent: D_h = 0 when E_h ≤ 0 (as no
 * deposit is withheld from a non-positive monthly payment); a hospital without a
 * score is treated as score 0 (nothing returned) and flagged `no-score`; with
 * zero total points E_h = 0 for everybody (the monthly rule, see presettlement.ts).
 */
import { compareIds } from "./allocation.js";
import { mulDivRound, sumFen, formatRatio4, type Fen } from "./money.js";
import { formatPoints, type PointUnits } from "./points.js";
import { rateForScore, type ScoreTiers } from "./parameters.js";
import { allocatePoolByPoints, pointValueOf, type PointValue } from "./presettlement.js";

export interface HospitalYearInput {
  hospitalId: string;
  /** The year's points with readmission halving applied directly (§1). */
  points: PointUnits;
  patientPaid: Fen;
  score: number | null;
  /** Σ_m (F_h,m − W_h,m): what the monthly pre-settlements paid. */
  paidMonthly: Fen;
}

export interface HospitalClearingLine {
  hospitalId: string;
  points: PointUnits;
  pointsText: string;
  patientPaid: Fen;
  share: Fen;
  /** E_h: annual entitlement. */
  entitlement: Fen;
  score: number | null;
  /** q(s_h) in 1/10000 units, and as a decimal string. */
  depositReturnRate: number;
  depositReturnRateText: string;
  /** D_h. */
  deduction: Fen;
  paidMonthly: Fen;
  /** C_h (negative: money due back). */
  clearingPayment: Fen;
  flags: string[];
}

export interface AnnualClearing {
  annualBudget: Fen;
  pool: Fen;
  totalPoints: PointUnits;
  totalPointsText: string;
  pointValue: PointValue | null;
  lines: HospitalClearingLine[];
  totals: { entitlement: Fen; deduction: Fen; paidMonthly: Fen; clearingPayment: Fen };
}

export function clearYear(input: {
  annualBudget: Fen;
  hospitals: ReadonlyArray<HospitalYearInput>;
  depositRate: number;
  depositReturnTiers: ScoreTiers;
}): AnnualClearing {
  const hospitals = [...input.hospitals].sort((a, b) => compareIds(a.hospitalId, b.hospitalId));
  const { pool, totalPoints, allocated, shares } = allocatePoolByPoints(input.annualBudget, hospitals);
  const lines = hospitals.map((h): HospitalClearingLine => {
    const share = shares.get(h.hospitalId)!;
    const entitlement = share - h.patientPaid;
    const q = rateForScore(input.depositReturnTiers, h.score ?? 0);
    // D = round(E × w × (1 − q)) with w and q in 1/10000 units.
    const deduction = entitlement > 0 ? mulDivRound(entitlement, BigInt(input.depositRate) * BigInt(10_000 - q), 100_000_000n) : 0;
    return {
      hospitalId: h.hospitalId,
      points: h.points,
      pointsText: formatPoints(h.points),
      patientPaid: h.patientPaid,
      share,
      entitlement,
      score: h.score,
      depositReturnRate: q,
      depositReturnRateText: formatRatio4(q),
      deduction,
      paidMonthly: h.paidMonthly,
      clearingPayment: entitlement - deduction - h.paidMonthly,
      flags: h.score === null ? ["no-score"] : [],
    };
  });
  return {
    annualBudget: input.annualBudget,
    pool,
    totalPoints,
    totalPointsText: formatPoints(totalPoints),
    pointValue: allocated ? pointValueOf(pool, totalPoints) : null,
    lines,
    totals: {
      entitlement: sumFen(lines.map((l) => l.entitlement)),
      deduction: sumFen(lines.map((l) => l.deduction)),
      paidMonthly: sumFen(lines.map((l) => l.paidMonthly)),
      clearingPayment: sumFen(lines.map((l) => l.clearingPayment)),
    },
  };
}
