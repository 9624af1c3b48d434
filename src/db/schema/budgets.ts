import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ACCOUNT_KINDS, BUDGET_PAYMENT_KINDS } from "../../payment/vocabulary";
import { createdAt } from "./columns";
import { regionRef } from "./regions";

/**
 * A budget account of one holder-year (RULES.md §4): a consortium's total
 * budget or a capitation contractor's chronic-disease budget. Entitlement is
 * derived (per capita × population, or from enrolments) unless the agency set it.
 */
export const budgetAccounts = sqliteTable(
  "budget_accounts",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    year: integer("year").notNull(),
    kind: text("kind", { enum: ACCOUNT_KINDS }).notNull(),
    /** Consortium id or contractor hospital id. */
    holderId: text("holder_id").notNull(),
    /** Entitlement set by the agency, overriding the derived one. */
    entitlementOverrideFen: integer("entitlement_override_fen"),
    /** Advance of one month's E/12 paid at the start of the year, recovered at clearing. */
    advanceFen: integer("advance_fen").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("budget_accounts_holder").on(t.kind, t.holderId, t.year)],
);

/** Payments made to a budget account holder (monthly prepayments, advances). */
export const budgetPayments = sqliteTable(
  "budget_payments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    accountId: text("account_id")
      .notNull()
      .references(() => budgetAccounts.id),
    period: text("period").notNull(),
    kind: text("kind", { enum: BUDGET_PAYMENT_KINDS }).notNull(),
    amountFen: integer("amount_fen").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("budget_payments_once").on(t.accountId, t.period, t.kind)],
);
