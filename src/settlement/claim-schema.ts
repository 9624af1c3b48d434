/**
 * One inpatient claim as a hospital or agency submits it (NDJSON line or CSV
 * row). Money is integer fen (RULES.md §0). A claim is either final (with a
 * discharge date) or an interim claim of an ongoing long stay (中途结算, §3)
 * with periodStart..periodEnd inside one calendar month.
 */
import { z } from "zod";
import { daysBetween, monthOf } from "../payment/dates";
import { claimIdSchema, dateSchema, fenSchema, hospitalIdSchema, medicalCodeSchema, personIdSchema, schemeSchema, sexSchema, wardCategorySchema } from "../payment/vocabulary";

const code = medicalCodeSchema;

export const claimLineSchema = z
  .object({
    claimId: claimIdSchema,
    hospitalId: hospitalIdSchema,
    personId: personIdSchema,
    scheme: schemeSchema,
    wardCategory: wardCategorySchema,
    admissionDate: dateSchema,
    dischargeDate: dateSchema.optional(),
    periodStart: dateSchema.optional().describe("interim claim of an ongoing stay: first date of the period (inclusive)"),
    periodEnd: dateSchema.optional().describe("interim claim of an ongoing stay: last date of the period (inclusive)"),
    sex: sexSchema.optional(),
    ageYears: z.number().int().min(0).max(150).optional(),
    ageDays: z.number().int().min(0).max(366).optional(),
    birthWeightGrams: z.number().int().min(0).max(10_000).optional(),
    dischargeStatus: z.string().trim().min(1).max(8).optional(),
    principalDx: code,
    secondaryDx: z.array(code).max(50).default([]),
    procedures: z.array(code).max(50).default([]),
    totalCostFen: fenSchema,
    patientPaidFen: fenSchema,
    plannedReadmission: z.boolean().default(false),
  })
  .strict()
  .superRefine((c, ctx) => {
    const interim = c.periodEnd !== undefined;
    if (interim && c.periodStart === undefined) ctx.addIssue({ code: "custom", path: ["periodStart"], message: "an interim claim needs both periodStart and periodEnd" });
    if (!interim && c.dischargeDate === undefined) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "required unless the claim is interim (periodStart..periodEnd)" });
    if (interim && c.dischargeDate !== undefined) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "an interim claim (with periodEnd) cannot carry a dischargeDate" });
    if (c.dischargeDate !== undefined && c.dischargeDate < c.admissionDate) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "before admissionDate" });
    if (c.periodStart !== undefined && c.periodStart < c.admissionDate) ctx.addIssue({ code: "custom", path: ["periodStart"], message: "before admissionDate" });
    if (c.periodStart !== undefined && c.periodEnd !== undefined) {
      if (c.periodEnd < c.periodStart) ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "before periodStart" });
      else if (monthOf(c.periodEnd) !== monthOf(c.periodStart)) ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "an interim period lies within one calendar month" });
    }
    if (c.periodStart !== undefined && c.dischargeDate !== undefined && c.dischargeDate < c.periodStart) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "before periodStart" });
    if (c.patientPaidFen > c.totalCostFen) ctx.addIssue({ code: "custom", path: ["patientPaidFen"], message: "more than totalCostFen" });
  });

export type ClaimLine = z.output<typeof claimLineSchema>;

/** The month a claim is settled in: its discharge month, or the interim period's month (§2, §3). */
export function settlementMonthOf(c: ClaimLine): string {
  return monthOf(c.periodEnd ?? c.dischargeDate!);
}

/** Length of stay for the grouper (RULES.md §0 bed days; a same-day stay counts 1; interim: days so far). */
export function losDaysOf(c: ClaimLine): number {
  if (c.periodEnd !== undefined) return daysBetween(c.admissionDate, c.periodEnd) + 1;
  return Math.max(1, daysBetween(c.admissionDate, c.dischargeDate!));
}

/** CSV columns, in the documented order (README / OpenAPI). List cells separate codes with `|`. */
export const CLAIM_CSV_COLUMNS = [
  "claimId",
  "hospitalId",
  "personId",
  "scheme",
  "wardCategory",
  "admissionDate",
  "dischargeDate",
  "periodStart",
  "periodEnd",
  "sex",
  "ageYears",
  "ageDays",
  "birthWeightGrams",
  "dischargeStatus",
  "principalDx",
  "secondaryDx",
  "procedures",
  "totalCostFen",
  "patientPaidFen",
  "plannedReadmission",
] as const satisfies readonly (keyof ClaimLine)[];

export const CLAIM_CSV_TYPES = {
  integer: ["ageYears", "ageDays", "birthWeightGrams", "totalCostFen", "patientPaidFen"],
  list: ["secondaryDx", "procedures"],
  boolean: ["plannedReadmission"],
  required: ["claimId", "hospitalId", "personId", "scheme", "wardCategory", "admissionDate", "principalDx", "totalCostFen", "patientPaidFen"],
} as const;
