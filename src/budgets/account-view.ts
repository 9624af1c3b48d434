/**
 * The state of one budget account as of a date (RULES.md §4): entitlement,
 * payments made, internal and outflow spending, balance, early warning,
 * projection and the year-end outcome if the year closed today. The API, the
 * dashboard and the year-end clearing all read this one view.
 *
 * Time: a month counts as elapsed from its first day (claims are attributed by
 * settlement month, so a month's spending is only known as a whole); the
 * spending, payments and time progress of the view cover the elapsed months.
 */
import {
  accountPaymentSchedule,
  budgetWarning,
  clearBudgetAccount,
  monthsOfYear,
  type BudgetAccountClearing,
  type BudgetAccountRules,
  type BudgetWarning,
  mulDivRound,
  type Fen,
  type RegionYearParameters,
  type AccountKind,
  type ENTITLEMENT_SOURCES,
  type BUDGET_PAYMENT_KINDS,
} from "../payment";
import { attributeSpending, type AttributedSpending, type CoveredClaimGroup } from "./attribution";

/**
 * Score assumed for the year-end outlook while the agency has recorded none:
 * 60, the pass mark of the default rules — the lowest score that still allows
 * overspend sharing — so the outlook is conservative rather than flattering.
 */
export const DEFAULT_OUTLOOK_SCORE = 60;

export interface EntitlementSource {
  amount: Fen;
  /** override: set by the agency; per-capita: parameter × catchment population; enrolments: capitation roster (§4); unset: neither. */
  source: (typeof ENTITLEMENT_SOURCES)[number];
  /** E split by month: the roster's prepayments (capitation) or E/12 (consortium, override). */
  byMonth: { month: string; amount: Fen }[];
}

export interface RecordedPayment {
  period: string;
  kind: (typeof BUDGET_PAYMENT_KINDS)[number];
  amountFen: Fen;
}

export interface AccountViewInput {
  account: { id: string; kind: AccountKind; holderId: string; year: number; advanceFen: Fen };
  asOf: string;
  entitlement: EntitlementSource;
  rules: BudgetAccountRules;
  warning: RegionYearParameters["warning"];
  internalHospitalIds: string[];
  claimGroups: CoveredClaimGroup[];
  recordedPayments: RecordedPayment[];
  score: number | null;
}

export interface PaymentMonth {
  month: string;
  base: Fen;
  outflowDeducted: Fen;
  /** What the rule schedules for the month. */
  scheduled: Fen;
  /** A recorded budget_payments prepayment of the month, which replaces the scheduled amount. */
  recorded: Fen | null;
  /** Paid by the as-of date (the month has started). */
  made: boolean;
  amount: Fen;
}

export interface AccountView {
  account: { id: string; kind: AccountKind; holderId: string; year: number };
  asOf: string;
  elapsedMonths: number;
  entitlement: { amount: Fen; source: EntitlementSource["source"] };
  payments: { advance: Fen; advanceRecorded: boolean; months: PaymentMonth[]; madeToDate: Fen; scheduledForYear: Fen };
  spending: AttributedSpending & { total: Fen };
  /** b = E − O − I so far. */
  balance: Fen;
  warning: BudgetWarning;
  score: { value: number; source: "assessment" | "default" };
  /** The year-end clearing as it would come out if the year closed today. */
  outcomeToday: BudgetAccountClearing;
  /**
   * The year-end clearing at the projected spending (monthly run rate, §4), with
   * the whole year's payments; null before the first month has started.
   */
  outcomeProjected: BudgetAccountClearing | null;
  /** Cumulative series by month for the chart (fen); null where a series has no point. */
  chart: { months: string[]; spending: (Fen | null)[]; budgetLine: Fen[]; projection: (Fen | null)[] };
}

/** Months of `year` that have started by `asOf` (0–12). */
export function elapsedMonthsOf(year: number, asOf: string): number {
  const y = Number(asOf.slice(0, 4));
  if (y < year) return 0;
  if (y > year) return 12;
  return Number(asOf.slice(5, 7));
}

export function buildAccountView(input: AccountViewInput): AccountView {
  const { account, entitlement, rules } = input;
  const E = entitlement.amount;
  const months = monthsOfYear(account.year);
  const elapsed = elapsedMonthsOf(account.year, input.asOf);
  const elapsedMonths = months.slice(0, elapsed);

  const spending = attributeSpending(input.claimGroups, input.internalHospitalIds, elapsedMonths);
  const spent = spending.internal + spending.outflow;

  const schedule = accountPaymentSchedule({ entitlement: E, baseByMonth: entitlement.byMonth, spending: { monthly: spending.months }, rules });
  const recordedPrepayment = new Map(input.recordedPayments.filter((p) => p.kind === "prepayment").map((p) => [p.period, p.amountFen]));
  const recordedAdvance = input.recordedPayments.find((p) => p.kind === "advance");
  const paymentMonths = schedule.months.map((m, i): PaymentMonth => {
    const recorded = recordedPrepayment.get(m.month) ?? null;
    return { month: m.month, base: m.base, outflowDeducted: m.outflowDeducted, scheduled: m.payment, recorded, made: i < elapsed, amount: recorded ?? m.payment };
  });
  // The agency's advance on the account wins over the rule's default advance months (§4: one month's E/12).
  const advance = recordedAdvance?.amountFen ?? (account.advanceFen > 0 ? account.advanceFen : schedule.advance);
  const madeToDate = (elapsed > 0 ? advance : 0) + paymentMonths.filter((m) => m.made).reduce((s, m) => s + m.amount, 0);
  const scheduledForYear = advance + paymentMonths.reduce((s, m) => s + m.amount, 0);

  const warning = budgetWarning({ entitlement: E, spent, elapsedMonths: elapsed }, input.warning);
  const score = input.score === null ? { value: DEFAULT_OUTLOOK_SCORE, source: "default" as const } : { value: input.score, source: "assessment" as const };
  const outcomeToday = clearBudgetAccount({ entitlement: E, internal: spending.internal, outflow: spending.outflow, score: score.value, paymentsMade: madeToDate }, rules);

  // Run-rate projection split so that I + O equals the warning's projected year end exactly;
  // the remaining months' E/12 − O_m payments shrink by the projected outflow too.
  const projectedOutflow = elapsed === 0 ? 0 : mulDivRound(spending.outflow, 12, elapsed);
  const outcomeProjected =
    elapsed === 0
      ? null
      : clearBudgetAccount(
          {
            entitlement: E,
            internal: warning.projectedYearEnd - projectedOutflow,
            outflow: projectedOutflow,
            score: score.value,
            paymentsMade: scheduledForYear - (rules.prepaymentNetOfOutflow ? projectedOutflow - spending.outflow : 0),
          },
          rules,
        );

  return {
    account: { id: account.id, kind: account.kind, holderId: account.holderId, year: account.year },
    asOf: input.asOf,
    elapsedMonths: elapsed,
    entitlement: { amount: E, source: entitlement.source },
    payments: { advance, advanceRecorded: recordedAdvance !== undefined, months: paymentMonths, madeToDate, scheduledForYear },
    spending: { ...spending, total: spent },
    balance: E - spent,
    warning,
    score,
    outcomeToday,
    outcomeProjected,
    chart: chartSeries(months, entitlement.byMonth, spending, elapsed, warning.projectedYearEnd),
  };
}

/** Cumulative spending against the pro-rata budget line, and the run-rate projection from the last elapsed month. */
function chartSeries(months: string[], byMonth: { month: string; amount: Fen }[], spending: AttributedSpending, elapsed: number, projectedYearEnd: Fen): AccountView["chart"] {
  let cum = 0;
  const spendingSeries = months.map((_, i) => {
    if (i >= elapsed) return null;
    const m = spending.months[i]!;
    cum += m.internal + m.outflow;
    return cum;
  });
  let line = 0;
  const budgetLine = months.map((month) => (line += byMonth.find((b) => b.month === month)?.amount ?? 0));
  const spentSoFar = cum;
  const projection = months.map((_, i) => {
    if (elapsed === 0 || i + 1 < elapsed) return null;
    // Linear run rate: spent × k / elapsed, reaching the projected year end at month 12.
    return i + 1 === 12 ? projectedYearEnd : Math.round((spentSoFar * (i + 1)) / elapsed);
  });
  return { months, spending: spendingSeries, budgetLine, projection };
}
