/**
 * Monthly pre-settlement (月度预结算, RULES.md §2):
 * pool = B_m + Σ PP_h; S_h = allocation of pool by points (largest remainder);
 * F_h = S_h − PP_h (may be negative: money due back; Σ F_h = B_m exactly);
 * quality deposit W_h = round(F_h × w) when F_h > 0, else 0; paid now F_h − W_h.
 *
 * Zero (or non-positive) total points in a month — RULES.md is silent, so this
 * module defines it: there is nothing to divide the pool by, so no point value
 * exists (`pointValue: null`), each hospital keeps exactly what its patients
 * paid (S_h = PP_h, F_h = 0, W_h = 0) and the whole B_m is reported as
 * `unallocatedBudget`; it stays in the fund and is reached by the annual
 * clearing, which allocates the annual budget over the year's points.
 */
import { allocateByWeights, compareIds } from "./allocation.js";
import { PaymentRuleError } from "./errors.js";
import { applyRate, formatRational, sumFen, type Fen } from "./money.js";
import { formatPoints, POINT_SCALE, type PointUnits } from "./points.js";

export interface HospitalMonthInput {
  hospitalId: string;
  /** Σ settlement points of the month's DRG episodes plus adjustments (1/10000 units). */
  points: PointUnits;
  /** PP_h: what patients paid on the hospital's DRG episodes discharged in the month. */
  patientPaid: Fen;
}

export interface HospitalMonthLine {
  hospitalId: string;
  points: PointUnits;
  pointsText: string;
  patientPaid: Fen;
  /** S_h: the hospital's share of the pool. */
  share: Fen;
  /** F_h = S_h − PP_h. */
  fundPayment: Fen;
  /** W_h: quality deposit (质量保证金) withheld. */
  deposit: Fen;
  /** F_h − W_h. */
  paidNow: Fen;
}

export interface PointValue {
  /** Yuan per point, 4 places, for display ("97.0092"). */
  yuanPerPoint: string;
  /** Exact value as the fraction poolFen / totalPoints. */
  poolFen: Fen;
  totalPoints: string;
}

export interface MonthSettlement {
  month: string;
  budget: Fen;
  patientPaid: Fen;
  pool: Fen;
  totalPoints: PointUnits;
  totalPointsText: string;
  pointValue: PointValue | null;
  /** B_m not paid out this month (only when there were no points). */
  unallocatedBudget: Fen;
  lines: HospitalMonthLine[];
  totals: { fundPayment: Fen; deposit: Fen; paidNow: Fen };
}

export interface SettleMonthInput {
  month: string;
  /** B_m in fen. */
  budget: Fen;
  hospitals: ReadonlyArray<HospitalMonthInput>;
  /** w in 1/10000 units (5% = 500). */
  depositRate: number;
}

/** Point value as a display string: pool fen / points → yuan per point. */
export function pointValueOf(pool: Fen, totalPoints: PointUnits): PointValue {
  // yuan/point = (pool/100) / (totalPoints/10000)
  return {
    yuanPerPoint: formatRational(BigInt(pool) * BigInt(POINT_SCALE), BigInt(totalPoints) * 100n, 4),
    poolFen: pool,
    totalPoints: formatPoints(totalPoints),
  };
}

/** Splits `pool` by points and derives each hospital's fund payment: steps 1–2 of §2, shared with the annual clearing. */
export function allocatePoolByPoints(
  budget: Fen,
  hospitals: ReadonlyArray<HospitalMonthInput>,
): { pool: Fen; totalPoints: PointUnits; allocated: boolean; shares: Map<string, Fen> } {
  const pool = sumFen([budget, ...hospitals.map((h) => h.patientPaid)]);
  const totalPoints = hospitals.reduce((a, h) => a + h.points, 0);
  const shares = new Map<string, Fen>();
  if (totalPoints <= 0) {
    for (const h of hospitals) shares.set(h.hospitalId, h.patientPaid);
    return { pool, totalPoints, allocated: false, shares };
  }
  for (const s of allocateByWeights(pool, hospitals.map((h) => ({ id: h.hospitalId, weight: h.points })))) shares.set(s.id, s.share);
  return { pool, totalPoints, allocated: true, shares };
}

export function settleMonth(input: SettleMonthInput): MonthSettlement {
  const seen = new Set<string>();
  for (const h of input.hospitals) {
    if (seen.has(h.hospitalId)) throw new PaymentRuleError("invalid-input", "hospitals", `hospital "${h.hospitalId}" listed twice`);
    seen.add(h.hospitalId);
  }
  const hospitals = [...input.hospitals].sort((a, b) => compareIds(a.hospitalId, b.hospitalId));
  const { pool, totalPoints, allocated, shares } = allocatePoolByPoints(input.budget, hospitals);
  const lines = hospitals.map((h): HospitalMonthLine => {
    const share = shares.get(h.hospitalId)!;
    const fundPayment = share - h.patientPaid;
    // §2 step 3: the deposit is withheld only from a positive fund payment.
    const deposit = fundPayment > 0 ? applyRate(fundPayment, input.depositRate) : 0;
    return {
      hospitalId: h.hospitalId,
      points: h.points,
      pointsText: formatPoints(h.points),
      patientPaid: h.patientPaid,
      share,
      fundPayment,
      deposit,
      paidNow: fundPayment - deposit,
    };
  });
  return {
    month: input.month,
    budget: input.budget,
    patientPaid: sumFen(hospitals.map((h) => h.patientPaid)),
    pool,
    totalPoints,
    totalPointsText: formatPoints(totalPoints),
    pointValue: allocated ? pointValueOf(pool, totalPoints) : null,
    unallocatedBudget: allocated ? 0 : input.budget,
    lines,
    totals: {
      fundPayment: sumFen(lines.map((l) => l.fundPayment)),
      deposit: sumFen(lines.map((l) => l.deposit)),
      paidNow: sumFen(lines.map((l) => l.paidNow)),
    },
  };
}
