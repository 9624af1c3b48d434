/**
 * What-if simulation: a pure function from a scenario to every amount of
 * RULES.md §1–§5, exported for the CLI (`npm run simulate`) and for
 * `POST /v1/simulations`. Same input → same output (no clock, no I/O).
 */
import { clearYear, type AnnualClearing } from "./annual-clearing.js";
import { accountPaymentSchedule, clearBudgetAccount, evenMonthlySplit, type AccountPaymentSchedule, type BudgetAccountClearing } from "./budget-account.js";
import { capitationEntitlement, consortiumEntitlement, type CapitationEntitlement } from "./capitation-entitlement.js";
import { monthOf, monthsOfYear } from "./dates.js";
import { priceEpisode } from "./drg-pricing.js";
import { budgetWarning, type BudgetWarning } from "./early-warning.js";
import { PaymentRuleError } from "./errors.js";
import { sumFen, type Fen } from "./money.js";
import { previewPatientShare, type PatientSharePreview } from "./patient-share.js";
import { pricePerDiemClaim, type PricedPerDiemClaim } from "./per-diem.js";
import { settleMonth, type MonthSettlement } from "./presettlement.js";
import { applyReadmissionRule, type EpisodeWithReadmission, type PointsAdjustment } from "./readmission.js";
import { parseScenario, type BudgetAccountScenario, type Scenario } from "./scenario.js";
import { indexWeights, type DrgWeightTable } from "./weights.js";
import { applyEpisodeDecisions, reviewCap, type EpisodeDecisions } from "./case-decisions.js";
import { formatPoints, type PointUnits } from "./points.js";
import type { RegionYearParameters } from "./parameters.js";

export interface BudgetAccountResult {
  id: string;
  kind: BudgetAccountScenario["kind"];
  holder: string | null;
  entitlement: Fen;
  capitation: CapitationEntitlement | null;
  payments: AccountPaymentSchedule;
  clearing: BudgetAccountClearing;
  warning: BudgetWarning | null;
}

export interface PerDiemMonthLine {
  month: string;
  hospitalId: string;
  claims: number;
  countedDays: number;
  standard: Fen;
  patientPaid: Fen;
  fundPayment: Fen;
}

/** A §7 review of the scenario: accepted within the cap, or refused because the cap was reached. */
export interface ReviewOutcome {
  episodeId: string;
  hospitalId: string;
  month: string;
  status: "accepted" | "refused";
  cap: number;
  acceptedBefore: number;
  reason: string;
}

/** Points a confirmed violation deducts from its hospital's month (§8). */
export interface DeductionLine {
  episodeId: string;
  hospitalId: string;
  month: string;
  kind: string;
  points: PointUnits;
  pointsText: string;
}

export interface SimulationResult {
  scenario: string;
  region: string;
  year: number;
  episodes: EpisodeWithReadmission[];
  adjustments: PointsAdjustment[];
  reviews: ReviewOutcome[];
  deductions: DeductionLine[];
  months: MonthSettlement[];
  annualClearing: AnnualClearing | null;
  perDiemClaims: PricedPerDiemClaim[];
  /** Per-diem claims summed by hospital and month (month of periodEnd or discharge), sorted. */
  perDiemMonths: PerDiemMonthLine[];
  budgetAccounts: BudgetAccountResult[];
  patientShares: Array<{ id: string } & PatientSharePreview>;
}

/** Re-throws a domain error with its field placed under `prefix` (e.g. `episodes[3].drg`). */
function under<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PaymentRuleError) {
      const field = e.field ? (e.field.startsWith("[") ? `${prefix}${e.field}` : `${prefix}.${e.field}`) : prefix;
      throw new PaymentRuleError(e.code, field, e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message);
    }
    throw e;
  }
}

function drgSettlement(s: Scenario) {
  const parameters = s.parameters;
  const hospitals = new Map(s.hospitals.map((h) => [h.id, h]));
  const episodes = s.episodes ?? [];
  const needsWeights = episodes.some((e) => e.points === undefined);
  if (needsWeights && !s.weights) throw new PaymentRuleError("invalid-scenario", "weights", "a weight table is needed to price episodes without points");
  const weights = s.weights ?? { avgAllCost: 1, drgs: [] };
  const weightIndex = indexWeights(weights);
  const priced = episodes.map((e, i) =>
    under(`episodes[${i}]`, () => {
      const hospital = hospitals.get(e.hospitalId);
      if (!hospital) throw new PaymentRuleError("unknown-hospital", "hospitalId", `hospital "${e.hospitalId}" is not in hospitals`);
      return priceEpisode(e, { parameters, weights, hospital, weightIndex });
    }),
  );
  const { reviews, deductions } = applyScenarioDecisions(s, priced, weights, weightIndex);
  const settled = s.settlement?.settledMonths;
  const { episodes: withReadmission, adjustments } = applyReadmissionRule(episodes, priced, parameters, settled ? { isMonthSettled: (m) => settled.includes(m) } : {});

  const months =
    s.settlement?.months ??
    [...new Set([...withReadmission.filter((e) => e.class !== "per-diem").map((e) => e.month), ...adjustments.map((a) => a.month)])].sort();
  const settlements = months.map((month) => {
    const budget = parameters.drg.monthlyBudgets[month];
    if (budget === undefined) throw new PaymentRuleError("invalid-scenario", `parameters.drg.monthlyBudgets.${month}`, `no DRG budget for month ${month}`);
    const byHospital = new Map<string, { points: number; patientPaid: number }>();
    const line = (id: string) => byHospital.get(id) ?? byHospital.set(id, { points: 0, patientPaid: 0 }).get(id)!;
    for (const e of withReadmission) {
      if (e.month !== month || e.class === "per-diem") continue; // §2: PP counts DRG-paid episodes only
      const l = line(e.hospitalId);
      l.points += e.settlementPoints;
      l.patientPaid += e.patientPaid;
    }
    for (const a of adjustments) if (a.month === month) line(a.hospitalId).points += a.points;
    for (const d of deductions) if (d.month === month) line(d.hospitalId).points -= d.points;
    return settleMonth({
      month,
      budget,
      depositRate: parameters.drg.depositRate,
      // §8: deductions never take a hospital's month below 0 points.
      hospitals: [...byHospital].map(([hospitalId, v]) => ({ hospitalId, ...v, points: Math.max(0, v.points) })),
    });
  });

  let annualClearing: AnnualClearing | null = null;
  if (s.settlement?.annualClearing) {
    const annualBudget = parameters.drg.annualBudget ?? sumFen(Object.values(parameters.drg.monthlyBudgets));
    const year = new Map<string, { points: number; patientPaid: number; paidMonthly: number }>();
    const row = (id: string) => year.get(id) ?? year.set(id, { points: 0, patientPaid: 0, paidMonthly: 0 }).get(id)!;
    for (const e of withReadmission) {
      if (e.class === "per-diem") continue;
      row(e.hospitalId).points += e.finalPoints; // §1: the annual clearing applies the halving directly
      row(e.hospitalId).patientPaid += e.patientPaid;
    }
    for (const m of settlements) for (const l of m.lines) row(l.hospitalId).paidMonthly += l.paidNow;
    annualClearing = clearYear({
      annualBudget,
      depositRate: parameters.drg.depositRate,
      depositReturnTiers: parameters.drg.depositReturnTiers,
      hospitals: [...year].map(([hospitalId, v]) => ({ hospitalId, ...v, score: hospitals.get(hospitalId)?.score ?? null })),
    });
  }
  return { episodes: withReadmission, adjustments, reviews, deductions, months: settlements, annualClearing, weightIndex };
}

/**
 * The scenario's §7 reviews (in decision order, refused beyond the hospital-month cap) and §8 violations, applied
 * to the priced episodes in place before the readmission rule.
 */
function applyScenarioDecisions(s: Scenario, priced: ReturnType<typeof priceEpisode>[], weights: DrgWeightTable, weightIndex: ReturnType<typeof indexWeights>) {
  const episodes = s.episodes ?? [];
  const position = new Map(episodes.map((e, i) => [e.id, i]));
  const at = (field: string, id: string) => {
    const i = position.get(id);
    if (i === undefined) throw new PaymentRuleError("invalid-scenario", field, `no episode "${id}"`);
    if (priced[i]!.class === "per-diem") throw new PaymentRuleError("invalid-scenario", field, `episode "${id}" is paid per bed day, not by DRG`);
    return i;
  };
  const drgPaid = new Map<string, number>();
  for (const p of priced) if (p.class !== "per-diem") drgPaid.set(`${p.hospitalId} ${p.month}`, (drgPaid.get(`${p.hospitalId} ${p.month}`) ?? 0) + 1);
  const decisions = new Map<number, EpisodeDecisions>();
  const accepted = new Map<string, number>();
  const reviews: ReviewOutcome[] = (s.reviews ?? []).map((r, j) => {
    const i = at(`reviews[${j}].episodeId`, r.episodeId);
    const { hospitalId, month } = priced[i]!;
    const key = `${hospitalId} ${month}`;
    const cap = reviewCap(drgPaid.get(key) ?? 0, s.parameters);
    const before = accepted.get(key) ?? 0;
    if (before >= cap) return { episodeId: r.episodeId, hospitalId, month, status: "refused" as const, cap, acceptedBefore: before, reason: `cap reached: ${before} of ${cap} reviews accepted for ${hospitalId} in ${month}` };
    accepted.set(key, before + 1);
    decisions.set(i, { ...decisions.get(i), review: { approvedFen: r.approvedCost } });
    return { episodeId: r.episodeId, hospitalId, month, status: "accepted" as const, cap, acceptedBefore: before, reason: r.reason ?? "" };
  });
  (s.violations ?? []).forEach((v, j) => {
    const i = at(`violations[${j}].episodeId`, v.episodeId);
    decisions.set(i, { ...decisions.get(i), violation: v });
  });
  const deductions: DeductionLine[] = [];
  for (const [i, d] of [...decisions].sort((a, b) => a[0] - b[0])) {
    const e = episodes[i]!;
    const hospital = s.hospitals.find((h) => h.id === e.hospitalId)!;
    const decided = under(`episodes[${i}]`, () => applyEpisodeDecisions(e, priced[i]!, d, { parameters: s.parameters, weights, weightIndex, hospital }));
    priced[i] = decided.priced;
    if (d.violation) deductions.push({ episodeId: e.id, hospitalId: e.hospitalId, month: decided.priced.month, kind: d.violation.kind, points: decided.deduction, pointsText: formatPoints(decided.deduction) });
  }
  return { reviews, deductions };
}

function budgetAccount(a: BudgetAccountScenario, parameters: RegionYearParameters): BudgetAccountResult {
  const rules = a.kind === "capitation" ? parameters.capitation.account : parameters.consortium.account;
  const year = parameters.year;
  let capitation: CapitationEntitlement | null = null;
  let entitlement: Fen;
  let baseByMonth: { month: string; amount: Fen }[];
  const source = a.entitlement;
  if ("enrolments" in source) {
    const enrolments = source.enrolments;
    capitation = under("entitlement", () => capitationEntitlement(enrolments, year, parameters));
    entitlement = capitation.entitlement;
    baseByMonth = capitation.months.map((m) => ({ month: m.month, amount: m.prepayment }));
  } else {
    entitlement = consortiumEntitlement(source);
    baseByMonth = evenMonthlySplit(entitlement, year);
  }
  const spending = a.spending;
  const totals =
    "monthly" in spending
      ? { internal: sumFen(spending.monthly.map((m) => m.internal)), outflow: sumFen(spending.monthly.map((m) => m.outflow)) }
      : spending;
  const payments = accountPaymentSchedule({
    entitlement,
    baseByMonth,
    spending: "monthly" in spending ? { monthly: spending.monthly } : { totals: { outflow: spending.outflow } },
    rules,
  });
  const clearing = clearBudgetAccount(
    { entitlement, internal: totals.internal, outflow: totals.outflow, score: a.score, paymentsMade: a.paymentsMade ?? payments.total },
    rules,
  );
  let warning: BudgetWarning | null = null;
  if ("monthly" in spending && spending.monthly.length > 0) {
    const asOf = a.asOfMonth ?? spending.monthly.map((m) => m.month).sort().at(-1)!;
    const elapsed = monthsOfYear(year).indexOf(asOf) + 1;
    if (elapsed === 0) throw new PaymentRuleError("invalid-scenario", "asOfMonth", `${asOf} is not in ${year}`);
    const spent = sumFen(spending.monthly.filter((m) => m.month <= asOf).map((m) => m.internal + m.outflow));
    warning = budgetWarning({ entitlement, spent, elapsedMonths: elapsed }, parameters.warning);
  }
  return { id: a.id, kind: a.kind, holder: a.holder ?? null, entitlement, capitation, payments, clearing, warning };
}

/** Runs a scenario (validated first; throws PaymentRuleError naming the bad field). */
export function simulate(input: unknown): SimulationResult {
  const s = parseScenario(input);
  const hospitalIds = new Set(s.hospitals.map((h) => h.id));
  const drg = drgSettlement(s);
  const perDiemClaims = (s.perDiemClaims ?? []).map((c, i) =>
    under(`perDiemClaims[${i}]`, () => {
      if (!hospitalIds.has(c.hospitalId)) throw new PaymentRuleError("unknown-hospital", "hospitalId", `hospital "${c.hospitalId}" is not in hospitals`);
      return pricePerDiemClaim(c, s.parameters, (code) => drg.weightIndex.get(code)?.perDiem);
    }),
  );
  const perDiemMonths = new Map<string, PerDiemMonthLine>();
  (s.perDiemClaims ?? []).forEach((c, i) => {
    const priced = perDiemClaims[i]!;
    const month = monthOf(c.periodEnd ?? c.dischargeDate!);
    const key = JSON.stringify([month, c.hospitalId]);
    const line = perDiemMonths.get(key) ?? { month, hospitalId: c.hospitalId, claims: 0, countedDays: 0, standard: 0, patientPaid: 0, fundPayment: 0 };
    line.claims += 1;
    line.countedDays += priced.countedDays;
    line.standard = sumFen([line.standard, priced.standard]);
    line.patientPaid = sumFen([line.patientPaid, priced.patientPaid]);
    line.fundPayment = sumFen([line.fundPayment, priced.fundPayment]);
    perDiemMonths.set(key, line);
  });
  const budgetAccounts = (s.budgetAccounts ?? []).map((a, i) => under(`budgetAccounts[${i}]`, () => budgetAccount(a, s.parameters)));
  const patientShares = (s.patientShares ?? []).map((p) => ({ id: p.id, ...previewPatientShare(p, s.parameters) }));
  return {
    scenario: s.name,
    region: s.parameters.region,
    year: s.parameters.year,
    episodes: drg.episodes,
    adjustments: drg.adjustments,
    reviews: drg.reviews,
    deductions: drg.deductions,
    months: drg.months,
    annualClearing: drg.annualClearing,
    perDiemClaims,
    perDiemMonths: [...perDiemMonths.values()].sort((a, b) => (a.month === b.month ? (a.hospitalId < b.hospitalId ? -1 : 1) : a.month < b.month ? -1 : 1)),
    budgetAccounts,
    patientShares,
  };
}
