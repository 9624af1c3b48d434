import { createRoute, z } from "@hono/zod-openapi";
import { authenticate, requireRole } from "../auth/middleware";
import { visibleConsortium } from "../auth/tenancy";
import { visibleAccount } from "../budgets/access";
import type { Context } from "hono";
import { clearBudgetAccountYear, type BudgetClearing } from "../budgets/clearing";
import type { AppEnv } from "../env";
import { isoDate } from "../http/clock";
import { findAccount, loadAccountView } from "../budgets/store";
import { budgetAccounts } from "../db/schema";
import { createRouter, documented } from "../http/openapi";
import { authErrors, jsonContent, securedBy, writeErrors } from "../http/schemas";
import { dateSchema, yearParamSchema, accountKindSchema, accountOutcomeSchema, entitlementSourceSchema, scoreSourceSchema, warningStatusSchema } from "../payment/vocabulary";

const fen = z.number().int();
const hospitalSpending = z.object({ hospitalId: z.string(), claims: z.number().int(), fundValue: fen });

const clearingOutcomeSchema = z.object({
  entitlement: fen,
  internal: fen,
  outflow: fen,
  score: z.number(),
  balance: fen.describe("b = E − O − I"),
  outcome: accountOutcomeSchema,
  retentionRate: z.string(),
  retentionCap: fen,
  retained: fen,
  returnedToFund: fen,
  overspend: fen,
  sharingAllowed: z.boolean(),
  overspendTiers: z.array(z.object({ from: z.string(), to: z.string().nullable(), part: fen, rate: z.string(), amount: fen })),
  fundShare: fen,
  holderBears: fen,
  holderTotal: fen.describe("T"),
  paymentsMade: fen,
  clearingPayment: fen.describe("T − Σ payments made; negative = money due back"),
});

const paymentsSchema = z.object({
  advance: fen,
  advanceRecorded: z.boolean(),
  months: z.array(
    z.object({ month: z.string(), base: fen, outflowDeducted: fen, scheduled: fen, recorded: fen.nullable(), made: z.boolean(), amount: fen }),
  ),
  madeToDate: fen,
  scheduledForYear: fen,
});

export const accountViewSchema = z
  .object({
    account: z.object({ id: z.string(), kind: accountKindSchema, holderId: z.string(), year: z.number().int() }),
    asOf: z.string(),
    elapsedMonths: z.number().int().describe("months of the year started by asOf"),
    entitlement: z.object({ amount: fen, source: entitlementSourceSchema }),
    payments: paymentsSchema,
    spending: z.object({
      months: z.array(z.object({ month: z.string(), internal: fen, outflow: fen })),
      internal: fen,
      outflow: fen,
      total: fen,
      byInternalHospital: z.array(hospitalSpending),
      byOutflowHospital: z.array(hospitalSpending),
    }),
    balance: fen,
    warning: z.object({
      elapsedMonths: z.number().int(),
      spent: fen,
      entitlement: fen,
      executionRate: z.string(),
      timeProgress: z.string(),
      gapPp: z.string(),
      status: warningStatusSchema,
      projectedYearEnd: fen,
      projectedBalance: fen,
    }),
    score: z.object({ value: z.number(), source: scoreSourceSchema }),
    outcomeToday: clearingOutcomeSchema,
    outcomeProjected: clearingOutcomeSchema.nullable().describe("the clearing at the run-rate projection with the whole year's payments"),
    chart: z.object({ months: z.array(z.string()), spending: z.array(fen.nullable()), budgetLine: z.array(fen), projection: z.array(fen.nullable()) }),
  })
  .openapi("BudgetAccountView");

const clearingSchema = z
  .object({
    id: z.string().nullable().describe("null for a trial: it is not recorded"),
    final: z.boolean().describe("false: a trial (模拟清算) while a month of the region's year has no approved run (RULES.md §2)"),
    missingMonths: z.array(z.string()).describe("months of the year without an approved run"),
    createdAt: z.string().nullable(),
    inputHash: z.string(),
    parameterSetId: z.number().int(),
    result: clearingOutcomeSchema.extend({
      accountId: z.string(),
      kind: accountKindSchema,
      holderId: z.string(),
      year: z.number().int(),
      entitlementSource: entitlementSourceSchema,
      payments: paymentsSchema,
      spendingByMonth: z.array(z.object({ month: z.string(), internal: fen, outflow: fen })),
    }),
  })
  .openapi("BudgetClearing");

const accountSchema = z
  .object({
    id: z.string(),
    regionId: z.string(),
    year: z.number().int(),
    kind: accountKindSchema,
    holderId: z.string(),
    entitlementOverrideFen: fen.nullable(),
    advanceFen: fen,
    createdAt: z.string(),
  })
  .openapi("BudgetAccount");

const viewQuery = z.object({
  year: yearParamSchema.optional().openapi({ description: "budget year; default: the year of asOf", example: 2026 }),
  asOf: dateSchema.optional().openapi({ description: "date deciding time progress (default today, UTC)", example: "2026-07-15" }),
});
const yearQuery = z.object({ year: documented(yearParamSchema, { example: 2026 }) });
const consortiumParams = z.object({ consortiumId: z.string().min(1).openapi({ example: "C01" }) });
const contractorParams = z.object({ hospitalId: z.string().min(1).openapi({ example: "H08" }) });

const viewDescription =
  "Entitlement, payments made (monthly prepayment schedule of RULES.md §4 plus recorded budget_payments), internal and outflow spending by month and hospital, " +
  "balance, execution rate against time progress, warning level, projection to year end, and the year-end outcome if the year closed today " +
  "(at the recorded assessment score, or 60 when none is recorded). Spending is the fund value (total cost − patient paid) of current claims of covered people.";

const getConsortiumBudget = createRoute({
  method: "get",
  path: "/v1/consortia/{consortiumId}/budget",
  tags: ["budgets"],
  summary: "A consortium's total budget account (own consortium; agency of the region)",
  description: viewDescription,
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "consortium")] as const,
  request: { params: consortiumParams, query: viewQuery },
  responses: { 200: jsonContent(accountViewSchema, "The account as of the date."), ...authErrors },
});

const getCapitationBudget = createRoute({
  method: "get",
  path: "/v1/capitation/{hospitalId}/budget",
  tags: ["budgets"],
  summary: "A capitation contractor's chronic-disease budget account (own hospital; agency of the region)",
  description: viewDescription,
  security: securedBy,
  middleware: [authenticate, requireRole("agency", "hospital")] as const,
  request: { params: contractorParams, query: viewQuery },
  responses: { 200: jsonContent(accountViewSchema, "The account as of the date."), ...authErrors },
});

const putConsortiumBudget = createRoute({
  method: "put",
  path: "/v1/consortia/{consortiumId}/budget/{year}",
  tags: ["budgets"],
  summary: "Set a consortium-year's entitlement override and advance (agency)",
  description:
    "Creates the account when missing. `entitlementOverrideFen` replaces the per-capita entitlement (RULES.md §4: 'or an amount set by the agency'); null clears it. " +
    "`advanceFen` is the advance paid at the start of the year and recovered at clearing.",
  security: securedBy,
  middleware: [authenticate, requireRole("agency")] as const,
  request: {
    params: consortiumParams.extend({ year: documented(yearParamSchema, { example: 2026 }) }),
    body: {
      content: {
        "application/json": {
          schema: z.object({
            entitlementOverrideFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
            advanceFen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
          }),
        },
      },
    },
  },
  responses: { 200: jsonContent(accountSchema, "The account after the change."), ...writeErrors },
});

// Path as a literal type parameter: a plain `string` path would erase every route from the typed client (src/client.ts).
const clearingRoute = <Path extends string, P extends z.ZodObject>(path: Path, params: P) =>
  createRoute({
    method: "post",
    path,
    tags: ["budgets"],
    summary: "Year-end clearing of the account (agency): final and recorded once the year is approved, else a trial",
    description:
      "RULES.md §4 over the whole year at the recorded assessment score: retained balance or shared overspend by tier, holder's total T, clearing payment = T − payments made. " +
      "While a month of the region's year has no approved run the answer is a trial (200, `final: false`, the months still missing; at the assumed score 60 when none is recorded), never recorded. " +
      "Once all twelve are approved the clearing is final (201) and recorded once per account-year (409 when already cleared or when no score is recorded).",
    security: securedBy,
    middleware: [authenticate, requireRole("agency")] as const,
    request: { params, query: yearQuery },
    responses: { 200: jsonContent(clearingSchema, "A trial clearing, not recorded."), 201: jsonContent(clearingSchema, "The recorded final clearing."), ...writeErrors, 409: { ...writeErrors[404], description: "Already cleared, or no assessment score recorded." } },
  });
const consortiumClearing = clearingRoute("/v1/consortia/{consortiumId}/clearing", consortiumParams);
const capitationClearing = clearingRoute("/v1/capitation/{hospitalId}/clearing", contractorParams);

const resolveDates = (q: { year?: number; asOf?: string }, now: Date) => {
  const asOf = q.asOf ?? isoDate(now);
  return { asOf, year: q.year ?? Number(asOf.slice(0, 4)) };
};

function answerClearing(c: Context<AppEnv>, clearing: BudgetClearing, accountId: string) {
  c.set("auditDetail", { clearingId: clearing.id, final: clearing.final, accountId, clearingPayment: clearing.result.clearingPayment });
  return clearing.final ? c.json(clearing, 201) : c.json(clearing, 200);
}

export const budgetRoutes = createRouter()
  .openapi(getConsortiumBudget, async (c) => {
    const { asOf, year } = resolveDates(c.req.valid("query"), c.var.now);
    const account = await visibleAccount(c.var.db, c.var.principal, "consortium", c.req.valid("param").consortiumId, year);
    return c.json((await loadAccountView(c.var.db, account, asOf)).view, 200);
  })
  .openapi(getCapitationBudget, async (c) => {
    const { asOf, year } = resolveDates(c.req.valid("query"), c.var.now);
    const account = await visibleAccount(c.var.db, c.var.principal, "capitation", c.req.valid("param").hospitalId, year);
    return c.json((await loadAccountView(c.var.db, account, asOf)).view, 200);
  })
  .openapi(putConsortiumBudget, async (c) => {
    const { consortiumId, year } = c.req.valid("param");
    const body = c.req.valid("json");
    const consortium = await visibleConsortium(c.var.db, c.var.principal, consortiumId);
    const existing = await findAccount(c.var.db, "consortium", consortium.id, year);
    const changes = {
      ...(body.entitlementOverrideFen !== undefined ? { entitlementOverrideFen: body.entitlementOverrideFen } : {}),
      ...(body.advanceFen !== undefined ? { advanceFen: body.advanceFen } : {}),
    };
    const [row] = await c.var.db
      .insert(budgetAccounts)
      .values({ id: existing?.id ?? `consortium-${consortium.id}-${year}`, regionId: consortium.regionId, year, kind: "consortium", holderId: consortium.id, ...changes })
      .onConflictDoUpdate({ target: [budgetAccounts.kind, budgetAccounts.holderId, budgetAccounts.year], set: Object.keys(changes).length > 0 ? changes : { holderId: consortium.id } })
      .returning();
    c.set("auditDetail", { accountId: row!.id, created: existing === undefined, ...changes });
    return c.json(row!, 200);
  })
  .openapi(consortiumClearing, async (c) => {
    const account = await visibleAccount(c.var.db, c.var.principal, "consortium", c.req.valid("param").consortiumId, c.req.valid("query").year);
    const clearing = await clearBudgetAccountYear(c.var.db, account, c.var.principal.keyId);
    return answerClearing(c, clearing, account.id);
  })
  .openapi(capitationClearing, async (c) => {
    const account = await visibleAccount(c.var.db, c.var.principal, "capitation", c.req.valid("param").hospitalId, c.req.valid("query").year);
    const clearing = await clearBudgetAccountYear(c.var.db, account, c.var.principal.keyId);
    return answerClearing(c, clearing, account.id);
  });
