/**
 * The what-if scenario file (JSON): one region-year's parameters, hospitals,
 * DRG weights, claims (priced or carrying a group result), per-diem claims,
 * enrolments and consortium figures. `simulate(scenario)` turns it into every
 * amount RULES.md defines. The JSON Schema in
 * `fixtures/scenarios/scenario.schema.json` is generated from these zod
 * schemas (`scenarioJsonSchema()`); a unit test fails when it is stale.
 * Money in fen, rates/RW in 1/10000 units, dates ISO (RULES.md §0).
 */
import { z } from "zod";
import { enrolmentSchema } from "./capitation-entitlement.js";
import { drgEpisodeSchema, hospitalSchema } from "./drg-pricing.js";
import { regionYearParametersSchema, zodToPaymentError } from "./parameters.js";
import { accountKindSchema, fenSchema, monthSchema, scoreSchema } from "./vocabulary.js";
import { patientShareInputSchema } from "./patient-share.js";
import { perDiemClaimSchema } from "./per-diem.js";
import { drgWeightTableSchema } from "./weights.js";

const monthlySpendingSchema = z.object({ month: monthSchema, internal: fenSchema, outflow: fenSchema });

export const budgetAccountScenarioSchema = z.object({
  id: z.string().min(1),
  kind: accountKindSchema.describe("selects parameters.capitation.account or parameters.consortium.account"),
  holder: z.string().optional().describe("the hospital or consortium holding the account"),
  score: scoreSchema.describe("assessment score s"),
  entitlement: z
    .union([
      z.object({ enrolments: z.array(enrolmentSchema) }).strict(),
      z.object({ perCapita: fenSchema, population: z.number().int().min(0) }).strict(),
      z.object({ amount: fenSchema }).strict(),
    ])
    .describe("capitation roster, per-capita × insured residents, or an amount set by the agency"),
  spending: z
    .union([
      z.object({ internal: fenSchema, outflow: fenSchema }).strict(),
      z.object({ monthly: z.array(monthlySpendingSchema) }).strict(),
    ])
    .describe("I and O as year totals, or month by month (needed for the early warning)"),
  paymentsMade: fenSchema.optional().describe("payments already made, when they differ from the rule's schedule"),
  asOfMonth: monthSchema.optional().describe("early-warning cut-off; default the last month with spending"),
});
export type BudgetAccountScenario = z.infer<typeof budgetAccountScenarioSchema>;

export const scenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    description: z.string().optional(),
    parameters: regionYearParametersSchema,
    hospitals: z.array(hospitalSchema),
    weights: drgWeightTableSchema.optional().describe("needed when episodes must be priced"),
    episodes: z.array(drgEpisodeSchema).optional().describe("inpatient DRG episodes carrying their group (mdc/adrg/drg) or already-priced points"),
    perDiemClaims: z.array(perDiemClaimSchema).optional(),
    settlement: z
      .object({
        months: z.array(monthSchema).optional().describe("months to pre-settle; default every month with DRG episodes or adjustments"),
        settledMonths: z
          .array(monthSchema)
          .optional()
          .describe("months already settled when later readmissions arrived; default every month before the later stay's discharge month"),
        annualClearing: z.boolean().optional().describe("run the annual clearing (needs hospital scores)"),
      })
      .optional(),
    reviews: z
      .array(
        z.object({
          episodeId: z.string().min(1),
          approvedCost: fenSchema.describe("A: the approved additional cost (the approved cost for an ungroupable episode), fen"),
          reason: z.string().optional(),
        }),
      )
      .optional()
      .describe("§7 special-case reviews the agency accepts, in decision order; one beyond the hospital-month cap is refused"),
    violations: z
      .array(
        z.object({
          episodeId: z.string().min(1),
          kind: z.string().min(1).describe("a key of parameters.supervision.violationKinds"),
          serious: z.boolean().optional(),
          correctedDrg: z.string().min(1).optional().describe("the DRG the agency sets (upcoding)"),
        }),
      )
      .optional()
      .describe("§8 confirmed violations"),
    budgetAccounts: z.array(budgetAccountScenarioSchema).optional(),
    patientShares: z.array(patientShareInputSchema.extend({ id: z.string().min(1) })).optional(),
  })
  .describe("medpay what-if scenario (RULES.md): money in fen, rates in 1/10000 units");

export type Scenario = z.infer<typeof scenarioSchema>;

/** Validates a scenario; throws PaymentRuleError naming the field, e.g. `parameters.perDiem.psychiatric[1].fromDay`. */
export function parseScenario(input: unknown): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (!result.success) throw zodToPaymentError(result.error, "invalid-scenario", "");
  return result.data;
}

/** The JSON Schema of the scenario file (input shape), generated from the zod schemas. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(scenarioSchema, { io: "input", target: "draft-2020-12" }),
    $id: "https://medpay.example/schemas/scenario.schema.json",
    title: "medpay what-if scenario",
  };
}
