/**
 * Request and response schemas of the payment preview (POST /v1/preview and
 * /v1/preview/batch). They validate requests and generate the OpenAPI
 * document; the TypeScript types are derived from them, never written twice.
 */
import { z } from "@hono/zod-openapi";
import { SCHEMES, WARD_CATEGORIES, yearSchema } from "../payment/vocabulary";

const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const isoDate = z.iso.date();

/**
 * Medical-assistance key groups (医疗救助, RULES.md §5 and seed 003): low-income
 * households (低保), people in extreme poverty (特困), low-income margin
 * households (低保边缘) and people monitored for relapse into poverty (防返贫监测).
 * Any group other than `none` gets the medical-assistance layer.
 */
export const PATIENT_GROUPS = ["none", "low-income", "extreme-poverty", "low-income-margin", "relapse-risk"] as const;

/** Most episodes a batch preview takes: a month of a large hospital's discharges in a few calls, within the 1 MiB body limit. */
export const PREVIEW_BATCH_MAX = 500;

export const previewRequestSchema = z
  .object({
    hospitalId: z.string().min(1).max(64).openapi({ example: "H01", description: "the hospital treating the patient; a hospital key may only name itself" }),
    scheme: z.enum(SCHEMES).openapi({ description: "basic medical insurance scheme: employee (职工) or resident (城乡居民)" }),
    wardCategory: z.enum(WARD_CATEGORIES).default("acute").openapi({ description: "psychiatric, rehabilitation and palliative wards are paid per bed day (RULES.md §3)" }),
    patientGroup: z.enum(PATIENT_GROUPS).default("none").openapi({ description: "medical-assistance key group (RULES.md §5)" }),
    year: yearSchema.optional().openapi({ description: "region-year of parameters and weights; default the discharge year, else the latest year with weights" }),
    // The episode as in GROUPER.md.
    id: z.string().max(64).optional().openapi({ description: "your episode id, echoed back" }),
    sex: z.enum(["M", "F"]).nullable().optional(),
    ageYears: z.number().int().min(0).max(150).nullable().optional(),
    ageDays: z.number().int().min(0).max(60_000).nullable().optional().openapi({ description: "age in days, for infants under one year" }),
    birthWeightGrams: z.number().int().min(0).max(10_000).nullable().optional(),
    losDays: z.number().int().min(0).max(36_500).openapi({ description: "length of stay in bed days (RULES.md §0); so far, when expectedDays is given" }),
    dischargeStatus: z.string().max(16).nullable().optional(),
    principalDx: z.string().min(1).max(64).openapi({ example: "J18.900" }),
    secondaryDx: z.array(z.string().min(1).max(64)).max(200).default([]),
    procedures: z.array(z.string().min(1).max(64)).max(200).default([]).openapi({ description: "ICD-9-CM-3 codes, the main procedure first" }),
    // Cost: either the total, or the cost so far projected to the expected stay.
    totalCostFen: fen.optional().openapi({ description: "total cost of the stay, fen", example: 1_200_000 }),
    costSoFarFen: fen.optional().openapi({ description: "cost so far of an ongoing stay, fen (with expectedDays)" }),
    expectedDays: z.number().int().min(1).max(36_500).optional().openapi({ description: "expected length of the whole stay: the cost so far is projected to it and the episode is grouped with it" }),
    outOfPolicyCostFen: fen.optional().openapi({ description: "part of the cost outside the reimbursement policy (自费), fen" }),
    // Optional, for the readmission warning (RULES.md §1).
    personId: z.string().min(1).max(64).optional(),
    admissionDate: isoDate.optional(),
    dischargeDate: isoDate.optional(),
    planned: z.boolean().default(false).openapi({ description: "a planned readmission (e.g. scheduled chemotherapy) is exempt from the readmission rule" }),
  })
  .superRefine((r, ctx) => {
    const total = r.totalCostFen !== undefined;
    const projected = r.costSoFarFen !== undefined || r.expectedDays !== undefined;
    if (total && projected) ctx.addIssue({ code: "custom", path: ["totalCostFen"], message: "give either totalCostFen or costSoFarFen + expectedDays, not both" });
    if (!total && !projected) ctx.addIssue({ code: "custom", path: ["totalCostFen"], message: "required unless costSoFarFen and expectedDays are given" });
    if (projected && r.costSoFarFen === undefined) ctx.addIssue({ code: "custom", path: ["costSoFarFen"], message: "required with expectedDays" });
    if (projected && r.expectedDays === undefined) ctx.addIssue({ code: "custom", path: ["expectedDays"], message: "required with costSoFarFen" });
    if (r.expectedDays !== undefined && r.expectedDays < r.losDays) ctx.addIssue({ code: "custom", path: ["expectedDays"], message: "expectedDays is below the days so far (losDays)" });
    const cost = r.totalCostFen ?? r.costSoFarFen;
    if (cost !== undefined && r.outOfPolicyCostFen !== undefined && r.outOfPolicyCostFen > cost) ctx.addIssue({ code: "custom", path: ["outOfPolicyCostFen"], message: "exceeds the cost of the stay" });
    if (r.admissionDate && r.dischargeDate && r.dischargeDate < r.admissionDate) ctx.addIssue({ code: "custom", path: ["dischargeDate"], message: "discharge before admission" });
  })
  .openapi("PreviewRequest", {
    example: {
      hospitalId: "H01",
      scheme: "employee",
      wardCategory: "acute",
      patientGroup: "none",
      id: "E-2026-000123",
      sex: "M",
      ageYears: 67,
      losDays: 9,
      principalDx: "J18.900",
      secondaryDx: ["I10.x00"],
      procedures: [],
      totalCostFen: 1_200_000,
      personId: "P00042",
      admissionDate: "2026-10-03",
      dischargeDate: "2026-10-12",
      planned: false,
    },
  });
export type PreviewRequest = z.output<typeof previewRequestSchema>;

const codeName = z.object({ code: z.string(), name: z.string(), nameEn: z.string() });

export const warningSchema = z
  .object({
    code: z.enum([
      "near-high-threshold",
      "near-low-threshold",
      "cc-would-change-group",
      "cc-excluded",
      "readmission",
      "ungroupable",
      "grouper-edit",
      "no-weight",
      "per-diem-over-cap",
      "point-value-estimated",
    ]),
    message: z.string(),
    detail: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi("PreviewWarning");
export type PreviewWarning = z.infer<typeof warningSchema>;

export const previewResultSchema = z
  .object({
    id: z.string().nullable(),
    hospitalId: z.string(),
    regionId: z.string(),
    year: z.number().int(),
    grouping: z.object({
      setId: z.string(),
      setVersion: z.string(),
      status: z.string().openapi({ description: "grouped | qy | ungroupable | rejected" }),
      mdc: codeName,
      adrg: codeName,
      drg: codeName,
      flags: z.array(z.object({ edit: z.string(), detail: z.string(), rejects: z.boolean() })),
      cc: z.array(z.object({ code: z.string(), level: z.enum(["CC", "MCC"]), exclusionTable: z.string() })).openapi({ description: "CC/MCC secondaries that counted" }),
      ccExcluded: z.array(z.object({ code: z.string(), level: z.enum(["CC", "MCC"]), exclusionTable: z.string() })).openapi({ description: "CC/MCC secondaries excluded by the principal's exclusion table" }),
    }),
    cost: z.object({
      totalCostFen: z.number().int(),
      projected: z.boolean().openapi({ description: "true when projected from the cost so far: costSoFar × expectedDays / losDays" }),
      groupedLosDays: z.number().int(),
    }),
    points: z
      .object({
        class: z.enum(["ungroupable", "high", "low", "normal"]),
        points: z.string().openapi({ example: "120.0000" }),
        rule: z.string(),
        formula: z.string(),
        rw: z.string().optional(),
        base: z.string().optional(),
        avgCostFen: z.number().int().optional(),
        avgAllCostFen: z.number().int().optional(),
        ratio: z.string().optional().openapi({ description: "r = total cost / the DRG's average cost (4 places)" }),
        highThreshold: z.string().optional(),
        lowThreshold: z.string().optional(),
        highThresholdCostFen: z.number().int().optional().openapi({ description: "total cost above which the case is high-cost (H × avg)" }),
        lowThresholdCostFen: z.number().int().optional().openapi({ description: "total cost below which the case is low-cost (L × avg)" }),
        coefficient: z.string().optional(),
      })
      .nullable()
      .openapi({ description: "DRG points (RULES.md §1); null for per-diem wards and DRGs without a weight" }),
    perDiem: z
      .object({
        rateTable: z.enum(WARD_CATEGORIES),
        days: z.number().int(),
        lines: z.array(z.object({ fromDay: z.number().int(), toDay: z.number().int(), days: z.number().int(), rate: z.number().int(), amount: z.number().int() })),
        overCapDays: z.number().int(),
        standardFen: z.number().int(),
      })
      .nullable()
      .openapi({ description: "per-bed-day standard (RULES.md §3) for per-diem wards, else null" }),
    pointValue: z
      .object({
        source: z.enum(["settlement", "avg-all"]).openapi({ description: "settlement: the latest approved monthly run's point value; avg-all: the avgAll / 100 estimate before any month is approved (RULES.md §2)" }),
        period: z.string().nullable(),
        runId: z.string().nullable().openapi({ description: "the approved run whose point value is used; null for the estimate" }),
        yuanPerPoint: z.string(),
        poolFen: z.number().int(),
        totalPoints: z.string(),
        basis: z.string(),
      })
      .nullable(),
    expectedPayment: z
      .object({
        standardFen: z.number().int().openapi({ description: "points × point value, or the per-diem standard" }),
        paidOutsideFundFen: z.number().int().openapi({ description: "what is not paid by the basic fund: patient, critical illness, medical assistance (PP in RULES.md §2)" }),
        fundFen: z.number().int().openapi({ description: "expected DRG/per-diem fund payment = standard − paidOutsideFund (may be negative)" }),
      })
      .nullable(),
    patientShare: z.object({
      totalCost: z.number().int(),
      deductible: z.number().int(),
      basicFund: z.number().int(),
      coinsurance: z.number().int(),
      aboveAnnualCap: z.number().int(),
      inPolicyBurden: z.number().int(),
      criticalIllness: z.number().int(),
      medicalAssistance: z.number().int(),
      outOfPolicy: z.number().int(),
      patientPays: z.number().int(),
      byPayer: z.object({ basicFund: z.number().int(), criticalIllness: z.number().int(), medicalAssistance: z.number().int(), patient: z.number().int() }),
      layers: z.array(z.object({ layer: z.string(), payer: z.string(), amount: z.number().int(), basis: z.string() })),
    }),
    warnings: z.array(warningSchema),
  })
  .openapi("PreviewResult");
export type PreviewResult = z.infer<typeof previewResultSchema>;

export const batchRequestSchema = z
  .object({
    items: z
      .array(z.unknown())
      .min(1)
      .max(PREVIEW_BATCH_MAX)
      .openapi({ type: "array", items: { $ref: "#/components/schemas/PreviewRequest" }, description: `1–${PREVIEW_BATCH_MAX} PreviewRequest objects; each is validated on its own` }),
  })
  .openapi("PreviewBatchRequest");

export const batchResultSchema = z
  .object({
    submitted: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    results: z.array(
      z.union([
        z.object({ index: z.number().int(), ok: z.literal(true), result: previewResultSchema }),
        z.object({ index: z.number().int(), ok: z.literal(false), errors: z.array(z.object({ field: z.string(), reason: z.string() })) }),
      ]),
    ),
  })
  .openapi("PreviewBatchResult");
