/**
 * Year-end clearing of a budget account (年终清算, RULES.md §4): the account
 * view over the whole year at the recorded assessment score; clearing payment
 * = T − Σ payments made (advance included, so the advance is recovered here).
 * Final once every month of the region's year is approved (RULES.md §2, the
 * same edge as the DRG clearing): recorded once per account-year in
 * `clearings`, whole, with the hash of its inputs (a unique index: a second or
 * concurrent clearing is a 409). Before that the clearing is a trial, computed
 * and shown (at the recorded score, else the outlook's assumed score) and never
 * recorded, so it cannot lock the account.
 */
import type { Database } from "../db/client";
import { clearings } from "../db/schema";
import { isUniqueViolation } from "../db/unique-violation";
import { DomainError } from "../payment/errors";
import { recordedClearingId } from "../settlement/clearing";
import { monthsNotApproved } from "../settlement/month-edges";
import { approvedPeriodsOf } from "../settlement/runs";
import { contentHash } from "../util/content-hash";
import { DEFAULT_OUTLOOK_SCORE, type AccountView } from "./account-view";
import { assessmentScore, loadAccountView, type BudgetAccountRow } from "./store";

export type ClearingRow = typeof clearings.$inferSelect;

/** The clearing uses the whole year: as of the day after it, every month is complete and every prepayment made. */
export const yearEndDate = (year: number) => `${year + 1}-01-01`;

export function clearingResult(view: AccountView) {
  return {
    accountId: view.account.id,
    kind: view.account.kind,
    holderId: view.account.holderId,
    year: view.account.year,
    entitlementSource: view.entitlement.source,
    ...view.outcomeToday,
    payments: view.payments,
    spendingByMonth: view.spending.months,
  };
}
export type ClearingResult = ReturnType<typeof clearingResult>;

export interface BudgetClearing {
  id: string | null;
  final: boolean;
  /** Months of the region's year without an approved run (a trial while any remain). */
  missingMonths: string[];
  createdAt: string | null;
  inputHash: string;
  parameterSetId: number;
  result: ClearingResult;
}

export async function clearBudgetAccountYear(db: Database, account: BudgetAccountRow, createdBy: string): Promise<BudgetClearing> {
  const missingMonths = monthsNotApproved(account.year, await approvedPeriodsOf(db, account.regionId, account.year));
  const final = missingMonths.length === 0;
  const already = final ? await recordedClearingId(db, account.regionId, account.year, account.kind, account.holderId) : undefined;
  if (already) throw alreadyCleared(account, already);
  const recorded = await assessmentScore(db, account);
  if (final && recorded === null) throw new DomainError("no-score", `No assessment score is recorded for ${account.kind} ${account.holderId} in ${account.year}; the final clearing needs one (RULES.md §4).`);
  const score = recorded ?? DEFAULT_OUTLOOK_SCORE;
  const { view, parameterSetId } = await loadAccountView(db, account, yearEndDate(account.year), score);
  const result = clearingResult(view);
  const inputHash = contentHash({
    parameterSetId,
    entitlement: view.entitlement,
    spendingByMonth: view.spending.months,
    byInternalHospital: view.spending.byInternalHospital,
    byOutflowHospital: view.spending.byOutflowHospital,
    payments: view.payments,
    score,
  });
  if (!final) return { id: null, final, missingMonths, createdAt: null, inputHash, parameterSetId, result };
  const id = `clearing-${account.id}-${crypto.randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(clearings)
    .values({ id, regionId: account.regionId, year: account.year, kind: account.kind, subjectId: account.holderId, parameterSetId, inputHash, result, createdBy })
    .returning()
    .catch(async (err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
      throw alreadyCleared(account, (await recordedClearingId(db, account.regionId, account.year, account.kind, account.holderId)) ?? "?");
    });
  return { id, final, missingMonths, createdAt: row!.createdAt, inputHash, parameterSetId, result };
}

const alreadyCleared = (account: BudgetAccountRow, id: string) => new DomainError("already-cleared", `The ${account.kind} account ${account.id} was already cleared (${id}); a final clearing is recorded once.`);
