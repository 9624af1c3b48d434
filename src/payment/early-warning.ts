/**
 * Budget early warning (预警, RULES.md §4; policy item 11): execution rate
 * (I + O so far) / E against time progress (elapsed months / 12). Yellow when
 * the rate exceeds time progress by more than `yellowAbove` (5 pp), red beyond
 * `redAbove` (10 pp); both are parameters. The year-end projection extrapolates
 * the monthly run rate: spent × 12 / elapsed months.
 * Compared exactly: (I+O)/E − m/12 > t/10000 ⇔ 120000·(I+O) − 10000·m·E > 12·t·E.
 * With E = 0 any spending is red and no spending is green (documented choice).
 */
import { formatRational, roundHalfAwayFromZero, toSafeNumber, type Fen } from "./money.js";
import type { RegionYearParameters } from "./parameters.js";
import type { WarningStatus } from "./vocabulary.js";

export interface BudgetWarning {
  elapsedMonths: number;
  spent: Fen;
  entitlement: Fen;
  executionRate: string;
  timeProgress: string;
  /** Execution rate − time progress, in percentage points (display). */
  gapPp: string;
  status: WarningStatus;
  projectedYearEnd: Fen;
  projectedBalance: Fen;
}

export function budgetWarning(
  input: { entitlement: Fen; spent: Fen; elapsedMonths: number },
  thresholds: RegionYearParameters["warning"],
): BudgetWarning {
  const { entitlement: E, spent, elapsedMonths: m } = input;
  const En = BigInt(E);
  const S = BigInt(spent);
  const M = BigInt(m);
  const gapScaled = 120_000n * S - 10_000n * M * En; // (rate − progress) × 12·10000·E
  const above = (t: number) => gapScaled > 12n * BigInt(t) * En;
  let status: WarningStatus;
  if (E === 0) status = spent > 0 ? "red" : "green";
  else status = above(thresholds.redAbove) ? "red" : above(thresholds.yellowAbove) ? "yellow" : "green";
  const projectedYearEnd = m === 0 ? 0 : toSafeNumber(roundHalfAwayFromZero(S * 12n, M));
  return {
    elapsedMonths: m,
    spent,
    entitlement: E,
    executionRate: E === 0 ? "n/a" : `${formatRational(S * 100n, En, 2)}%`,
    timeProgress: `${formatRational(M * 100n, 12n, 2)}%`,
    gapPp: E === 0 ? "n/a" : formatRational(gapScaled, 1_200n * En, 2),
    status,
    projectedYearEnd,
    projectedBalance: E - projectedYearEnd,
  };
}
