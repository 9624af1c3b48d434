/**
 * Year-end clearing of a budget account (年终清算, RULES.md §4): the account
 * view over the whole year at the recorded assessment score; clearing payment
 * = T − Σ payments made (advance included, so the advance is recovered here).
 * Recorded once per account-year in `clearings`, whole, with the hash of its inputs.
 */
import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client";
import { clearings } from "../db/schema";
import { DomainError } from "../payment/errors";
import { contentHash } from "../util/content-hash";
import type { AccountView } from "./account-view";
import { assessmentScore, loadAccountView, type BudgetAccountRow } from "./store";

export type ClearingRow = typeof clearings.$inferSelect;

/** The clearing uses the whole year: every month elapsed, every prepayment made. */
export const yearEndDate = (year: number) => `${year}-12-31`;

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

export async function clearBudgetAccountYear(db: Database, account: BudgetAccountRow, createdBy: string): Promise<{ id: string; createdAt: string; inputHash: string; parameterSetId: number; result: ClearingResult }> {
  const existing = await db.query.clearings.findFirst({
    where: and(eq(clearings.regionId, account.regionId), eq(clearings.year, account.year), eq(clearings.kind, account.kind), eq(clearings.subjectId, account.holderId)),
  });
  if (existing) throw new DomainError("already-cleared", `The ${account.kind} account ${account.id} was already cleared (${existing.id}).`);
  const score = await assessmentScore(db, account);
  if (score === null) throw new DomainError("no-score", `No assessment score is recorded for ${account.kind} ${account.holderId} in ${account.year}; the clearing needs one (RULES.md §4).`);
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
  const id = `clearing-${account.id}-${crypto.randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(clearings)
    .values({ id, regionId: account.regionId, year: account.year, kind: account.kind, subjectId: account.holderId, parameterSetId, inputHash, result, createdBy })
    .returning();
  return { id, createdAt: row!.createdAt, inputHash, parameterSetId, result };
}
