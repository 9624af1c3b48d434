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
import { indexWeights } from "./weights.js";
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

export interface SimulationResult {
  scenario: string;
  region: string;
  year: number;
  episodes: EpisodeWithReadmission[];
  adjustments: PointsAdjustment[];
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
    return settleMonth({
      month,
      budget,
      depositRate: parameters.drg.depositRate,
      hospitals: [...byHospital].map(([hospitalId, v]) => ({ hospitalId, ...v })),
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
  return { episodes: withReadmission, adjustments, months: settlements, annualClearing, weightIndex };
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
    months: drg.months,
    annualClearing: drg.annualClearing,
    perDiemClaims,
    perDiemMonths: [...perDiemMonths.values()].sort((a, b) => (a.month === b.month ? (a.hospitalId < b.hospitalId ? -1 : 1) : a.month < b.month ? -1 : 1)),
    budgetAccounts,
    patientShares,
  };
}
