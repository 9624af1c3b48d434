/**
 * Budget accounts (RULES.md §4): ONE mechanism for chronic-disease capitation
 * and compact-consortium total budgets; only the parameters differ.
 * balance b = E − O − I.
 * - b ≥ 0 (结余留用): retained Rt = round(ρ(s) × min(b, cap × E)); the rest
 *   returns to the fund; holder's total T = I + Rt.
 * - b < 0 (合理超支分担): o = −b; fund share Fs = Σ tier-rate × part of o in the
 *   tier (tiers as shares of E), zero when s < sMin; T = E − O + Fs.
 * - clearing payment = T − Σ payments already made (negative: money due back).
 * Fs and Rt are computed exactly and rounded once, half away from zero.
 */
import { formatRatio4, formatRational, mulDivRound, roundHalfAwayFromZero, sumFen, toSafeNumber, type Fen } from "./money.js";
import { monthsOfYear } from "./dates.js";
import { rateForScore, type BudgetAccountRules } from "./parameters.js";

export interface BudgetAccountClearingInput {
  /** E */
  entitlement: Fen;
  /** I: fund value of the holder's own claims for the covered people and services. */
  internal: Fen;
  /** O: fund payments to other providers charged to this account. */
  outflow: Fen;
  /** s (0–100) */
  score: number;
  /** Σ payments already made to the holder (prepayments, advance). */
  paymentsMade: Fen;
}

export interface OverspendTierLine {
  /** Tier bounds as shares of E (decimal strings, "0.0500"); `to` null = unbounded. */
  from: string;
  to: string | null;
  /** Part of o falling in the tier (fen, rounded for display). */
  part: Fen;
  rate: string;
  /** Fund share of this tier (fen, rounded for display; Fs is rounded once over all tiers). */
  amount: Fen;
}

export interface BudgetAccountClearing {
  entitlement: Fen;
  internal: Fen;
  outflow: Fen;
  score: number;
  /** b = E − O − I */
  balance: Fen;
  outcome: "surplus" | "overspend";
  /** Surplus side */
  retentionRate: string;
  retentionCap: Fen;
  retained: Fen;
  returnedToFund: Fen;
  /** Overspend side */
  overspend: Fen;
  sharingAllowed: boolean;
  overspendTiers: OverspendTierLine[];
  fundShare: Fen;
  holderBears: Fen;
  /** T */
  holderTotal: Fen;
  paymentsMade: Fen;
  clearingPayment: Fen;
}

export function clearBudgetAccount(input: BudgetAccountClearingInput, rules: BudgetAccountRules): BudgetAccountClearing {
  const { entitlement: E, internal: I, outflow: O, score } = input;
  const balance = E - O - I;
  const En = BigInt(E);
  const rho = rateForScore(rules.retentionTiers, score);
  // cap × E exact in fen × 10000
  const capScaled = BigInt(rules.retentionCap) * En;
  const base = {
    entitlement: E,
    internal: I,
    outflow: O,
    score,
    balance,
    retentionRate: formatRatio4(rho),
    retentionCap: toSafeNumber(roundHalfAwayFromZero(capScaled, 10_000n)),
    paymentsMade: input.paymentsMade,
  };
  if (balance >= 0) {
    const bScaled = BigInt(balance) * 10_000n;
    const limited = bScaled < capScaled ? bScaled : capScaled; // min(b, cap × E), × 10000
    const retained = toSafeNumber(roundHalfAwayFromZero(limited * BigInt(rho), 100_000_000n));
    const holderTotal = I + retained;
    return {
      ...base,
      outcome: "surplus",
      retained,
      returnedToFund: balance - retained,
      overspend: 0,
      sharingAllowed: score >= rules.minScoreForSharing,
      overspendTiers: [],
      fundShare: 0,
      holderBears: 0,
      holderTotal,
      clearingPayment: holderTotal - input.paymentsMade,
    };
  }
  const o = -balance;
  const oScaled = BigInt(o) * 10_000n; // o as fen × 10000, comparable with share × E
  const sharingAllowed = score >= rules.minScoreForSharing;
  const lines: OverspendTierLine[] = [];
  let fsScaled = 0n; // fen × 10^8
  let lower = 0n;
  let lowerShare = 0;
  for (const t of rules.overspendTiers) {
    const upper = t.upTo === null ? null : BigInt(t.upTo) * En;
    const top = upper === null || oScaled < upper ? oScaled : upper;
    const part = top > lower ? top - lower : 0n;
    const rate = sharingAllowed ? t.rate : 0;
    const amountScaled = part * BigInt(rate);
    fsScaled += amountScaled;
    lines.push({
      from: formatRatio4(lowerShare),
      to: t.upTo === null ? null : formatRatio4(t.upTo),
      part: toSafeNumber(roundHalfAwayFromZero(part, 10_000n)),
      rate: formatRatio4(rate),
      amount: toSafeNumber(roundHalfAwayFromZero(amountScaled, 100_000_000n)),
    });
    if (upper !== null) lower = upper;
    if (t.upTo !== null) lowerShare = t.upTo;
  }
  const fundShare = toSafeNumber(roundHalfAwayFromZero(fsScaled, 100_000_000n));
  const holderTotal = E - O + fundShare;
  return {
    ...base,
    outcome: "overspend",
    retained: 0,
    returnedToFund: 0,
    overspend: o,
    sharingAllowed,
    overspendTiers: lines,
    fundShare,
    holderBears: o - fundShare,
    holderTotal,
    clearingPayment: holderTotal - input.paymentsMade,
  };
}

export interface MonthlySpending {
  month: string;
  internal: Fen;
  outflow: Fen;
}

export interface AccountPaymentLine {
  month: string;
  /** E/12 (consortium) or the roster's prepayment (capitation). */
  base: Fen;
  /** Outflow of the month deducted (consortium rule), or 0. */
  outflowDeducted: Fen;
  payment: Fen;
}

export interface AccountPaymentSchedule {
  advance: Fen;
  months: AccountPaymentLine[];
  /** Outflow deducted without a month (spending given only as year totals). */
  outflowDeductedUndated: Fen;
  total: Fen;
}

/** E split into twelve monthly parts that sum to E exactly (cumulative rounding). */
export function evenMonthlySplit(entitlement: Fen, year: number): { month: string; amount: Fen }[] {
  const E = BigInt(entitlement);
  return monthsOfYear(year).map((month, i) => ({
    month,
    amount: toSafeNumber(roundHalfAwayFromZero(E * BigInt(i + 1), 12n) - roundHalfAwayFromZero(E * BigInt(i), 12n)),
  }));
}

/**
 * What the fund pays the holder during the year (§4): capitation prepays the
 * roster's Σ quotas / 12 each month; the consortium receives E/12 − O_m
 * (`prepaymentNetOfOutflow`), plus an optional advance of `advanceMonths` ×
 * E/12 at the start of the year, which the clearing recovers because it counts
 * among the payments made.
 */
export function accountPaymentSchedule(input: {
  entitlement: Fen;
  baseByMonth: ReadonlyArray<{ month: string; amount: Fen }>;
  spending: { monthly: ReadonlyArray<MonthlySpending> } | { totals: { outflow: Fen } };
  rules: BudgetAccountRules;
}): AccountPaymentSchedule {
  const net = input.rules.prepaymentNetOfOutflow;
  const outflowOf = new Map<string, Fen>();
  if ("monthly" in input.spending) for (const m of input.spending.monthly) outflowOf.set(m.month, (outflowOf.get(m.month) ?? 0) + m.outflow);
  const months = input.baseByMonth.map((b): AccountPaymentLine => {
    const outflowDeducted = net ? (outflowOf.get(b.month) ?? 0) : 0;
    return { month: b.month, base: b.amount, outflowDeducted, payment: b.amount - outflowDeducted };
  });
  const outflowDeductedUndated = net && "totals" in input.spending ? input.spending.totals.outflow : 0;
  const advance = mulDivRound(input.entitlement, input.rules.advanceMonths, 12);
  return {
    advance,
    months,
    outflowDeductedUndated,
    total: sumFen([advance, ...months.map((m) => m.payment)]) - outflowDeductedUndated,
  };
}

/** Execution rate as a percentage string for display, e.g. "43.75%". */
export function percentText(num: Fen, den: Fen): string {
  return den === 0 ? "n/a" : `${formatRational(BigInt(num) * 100n, BigInt(den), 2)}%`;
}
