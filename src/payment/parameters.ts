/**
 * The region-year parameter set: every number RULES.md names is data here,
 * never a constant in code (RULES.md preamble: "where real policies differ, the
 * difference must be a parameter"). Conventions inside the set:
 * - money: integer fen;
 * - ratios, rates, RW-like thresholds, coefficients: integer 1/10000 units
 *   (5% = 500, k 0.85 = 8500, H 2.5 = 25000, 100% = 10000);
 * - scores: numbers 0–100.
 */
import { z } from "zod";
import { formatFieldPath, PaymentRuleError } from "./errors.js";
import { byLevel, fenSchema, monthSchema, rateSchema, ratio4Schema, READMISSION_WHICH, schemeSchema, scoreSchema, yearSchema } from "./vocabulary.js";
import { defaultSupervisionParameters, supervisionParametersSchema } from "./supervision-parameters.js";

/**
 * Score tiers (q(s) for deposit return §2, ρ(s) for retention §4): ascending
 * `minScore`, the first at 0 so every score 0–100 falls in exactly one tier, and
 * a rate that never falls as the score rises (a better score never earns less).
 */
export const scoreTiersSchema = z
  .array(z.object({ minScore: scoreSchema, rate: rateSchema }))
  .min(1)
  .superRefine((tiers, ctx) => {
    if (tiers[0] && tiers[0].minScore !== 0) {
      ctx.addIssue({ code: "custom", path: [0, "minScore"], message: "the first score tier must start at 0 so that every score 0–100 is covered" });
    }
    for (let i = 1; i < tiers.length; i++) {
      if (tiers[i]!.minScore <= tiers[i - 1]!.minScore) {
        ctx.addIssue({ code: "custom", path: [i, "minScore"], message: `score tiers must be strictly ascending (${tiers[i]!.minScore} after ${tiers[i - 1]!.minScore})` });
      }
      if (tiers[i]!.rate < tiers[i - 1]!.rate) {
        ctx.addIssue({ code: "custom", path: [i, "rate"], message: "score tiers must be non-decreasing: a higher score cannot earn a lower rate" });
      }
    }
  })
  .describe("tiers by score: the tier with the largest minScore ≤ s applies");
export type ScoreTiers = z.infer<typeof scoreTiersSchema>;

/**
 * Tiers over a non-negative quantity that must cover 0–∞ without gaps: each
 * tier runs from the previous `upTo` (0 for the first) to its own `upTo`; the
 * last has `upTo: null` (unbounded). Used for the overspend-sharing tiers (§4),
 * `upTo` measured as a share of E in 1/10000 units.
 */
export const openTiersSchema = z
  .array(z.object({ upTo: ratio4Schema.nullable(), rate: rateSchema }))
  .min(1)
  .superRefine((tiers, ctx) => {
    tiers.forEach((t, i) => {
      const last = i === tiers.length - 1;
      if (last && t.upTo !== null) {
        ctx.addIssue({ code: "custom", path: [i, "upTo"], message: "the last tier must have upTo null so that the tiers cover 0–∞" });
      }
      if (!last && t.upTo === null) {
        ctx.addIssue({ code: "custom", path: [i, "upTo"], message: "only the last tier may be unbounded (upTo null)" });
      }
      const prev = i === 0 ? 0 : tiers[i - 1]!.upTo;
      if (t.upTo !== null && prev !== null && t.upTo <= prev) {
        ctx.addIssue({ code: "custom", path: [i, "upTo"], message: `tiers must be strictly ascending and non-empty (upTo ${t.upTo} ≤ ${prev})` });
      }
    });
  });
export type OpenTiers = z.infer<typeof openTiersSchema>;

/**
 * Per-bed-day rate segments by day ordinal (§3): the first starts at day 1,
 * each next starts the day after the previous ends (no gap, no overlap); only
 * the last may be open (`toDay: null`). A closed last segment is the cap:
 * days beyond it are not payable and the claim is flagged `over-cap`.
 */
export const perDiemSegmentsSchema = z
  .array(
    z.object({
      fromDay: z.number().int().min(1),
      toDay: z.number().int().min(1).nullable(),
      rate: fenSchema.describe("fen per bed day, ≥ 0"),
    }),
  )
  .min(1)
  .superRefine((segs, ctx) => {
    segs.forEach((s, i) => {
      const expected = i === 0 ? 1 : (segs[i - 1]!.toDay ?? Number.NaN) + 1;
      if (i === 0 && s.fromDay !== 1) {
        ctx.addIssue({ code: "custom", path: [0, "fromDay"], message: "the first segment must start at day 1" });
      } else if (i > 0 && !Number.isNaN(expected) && s.fromDay !== expected) {
        const kind = s.fromDay < expected ? "overlaps" : "leaves a gap after";
        ctx.addIssue({ code: "custom", path: [i, "fromDay"], message: `segment ${kind} the previous one: expected fromDay ${expected}, got ${s.fromDay}` });
      }
      if (s.toDay !== null && s.toDay < s.fromDay) {
        ctx.addIssue({ code: "custom", path: [i, "toDay"], message: `toDay ${s.toDay} is before fromDay ${s.fromDay}` });
      }
      if (s.toDay === null && i !== segs.length - 1) {
        ctx.addIssue({ code: "custom", path: [i, "toDay"], message: "only the last segment may be open-ended (toDay null)" });
      }
    });
  });
export type PerDiemSegments = z.infer<typeof perDiemSegmentsSchema>;

/** Settlement rules of one kind of budget account (§4): the same mechanism for capitation and consortia. */
export const budgetAccountRulesSchema = z.object({
  retentionTiers: scoreTiersSchema.describe("ρ(s): share of the balance retained, by score"),
  retentionCap: ratio4Schema.describe("cap on the retained balance as a share of E (1/10000 units; 10000 = 100%)"),
  overspendTiers: openTiersSchema.describe("fund share of the overspend o by tiers of o/E; upTo as a share of E"),
  minScoreForSharing: scoreSchema.describe("sMin: no overspend sharing below this score"),
  prepaymentNetOfOutflow: z.boolean().describe("monthly payment = E/12 − outflow of the month (consortium) instead of E/12 (capitation)"),
  advanceMonths: z.number().int().min(0).max(12).describe("months of E/12 prepaid at the start of the year, recovered at clearing"),
});
export type BudgetAccountRules = z.infer<typeof budgetAccountRulesSchema>;

const highBandsSchema = z
  .array(z.object({ maxRw: ratio4Schema.nullable(), h: ratio4Schema }))
  .min(1)
  .superRefine((bands, ctx) => {
    bands.forEach((b, i) => {
      const last = i === bands.length - 1;
      if (last && b.maxRw !== null) ctx.addIssue({ code: "custom", path: [i, "maxRw"], message: "the last band must have maxRw null so that every RW is covered" });
      if (!last && b.maxRw === null) ctx.addIssue({ code: "custom", path: [i, "maxRw"], message: "only the last band may be unbounded" });
      const prev = i === 0 ? -1 : bands[i - 1]!.maxRw;
      if (b.maxRw !== null && prev !== null && b.maxRw <= prev) ctx.addIssue({ code: "custom", path: [i, "maxRw"], message: "bands must be strictly ascending in maxRw" });
    });
  })
  .describe("H_d by RW band: the first band with RW ≤ maxRw applies (maxRw null = no upper bound)");

export const regionYearParametersSchema = z
  .object({
    region: z.string().min(1).describe("pooling region (统筹区) code or name"),
    year: yearSchema,
    drg: z.object({
      monthlyBudgets: z.record(monthSchema, fenSchema).describe("B_m: DRG fund budget per month, fen"),
      annualBudget: fenSchema.nullable().describe("annual DRG budget for clearing, fen; null = Σ monthly budgets"),
      coefficientByLevel: byLevel(ratio4Schema).describe("k_h default by hospital level"),
      hospitalCoefficients: z.record(z.string(), ratio4Schema).describe("k_h overrides per hospital id"),
      highThresholdBands: highBandsSchema,
      lowThreshold: ratio4Schema.describe("L: low-cost class when r < L"),
      ungroupable: z.object({
        drgCodes: z.array(z.string()).describe("DRG codes meaning 'ungroupable' (e.g. 0000)"),
        codeSuffixes: z.array(z.string()).describe("ADRG/DRG code suffixes meaning ungroupable (e.g. QY)"),
      }),
      readmission: z.object({
        windowDays: z.number().int().min(0).describe("R: days from previous discharge to readmission"),
        factor: rateSchema.describe("points multiplier for the halved stay (5000 = 0.5)"),
        which: z.enum(READMISSION_WHICH).describe("which stay of the pair is halved"),
      }),
      depositRate: rateSchema.describe("w: quality deposit (质量保证金) share of positive fund payments"),
      depositReturnTiers: scoreTiersSchema.describe("q(s): returned share of the deposit by assessment score"),
    }),
    perDiem: z
      .object({
        acute: perDiemSegmentsSchema.optional(),
        psychiatric: perDiemSegmentsSchema.optional(),
        rehabilitation: perDiemSegmentsSchema.optional(),
        palliative: perDiemSegmentsSchema.optional(),
      })
      .describe("per-bed-day rate tables by ward category; a category with a table is paid per bed day"),
    capitation: z.object({
      quotas: z.record(z.string().min(1), fenSchema).describe("annual quota per enrolled person by disease, fen"),
      multiDisease: z.object({
        largestRate: rateSchema.describe("share of the largest quota (10000 = 100%)"),
        otherRate: rateSchema.describe("share of each other quota (5000 = 50%)"),
      }),
      account: budgetAccountRulesSchema,
    }),
    consortium: z.object({
      perCapita: fenSchema
        .optional()
        .describe("§4 per-capita amount per insured catchment resident and year, fen; E = perCapita × population unless the agency sets E"),
      account: budgetAccountRulesSchema,
    }),
    warning: z
      .object({
        yellowAbove: ratio4Schema.describe("yellow when execution rate − time progress > this (1/10000; 500 = 5 pp)"),
        redAbove: ratio4Schema.describe("red when execution rate − time progress > this (1/10000; 1000 = 10 pp)"),
      })
      .refine((w) => w.redAbove >= w.yellowAbove, { path: ["redAbove"], message: "red threshold must not be below the yellow threshold" }),
    patientShare: z.object({
      deductibleByLevel: byLevel(fenSchema).describe("deductible per admission, fen"),
      inPolicyRatio: z.object({ employee: byLevel(rateSchema), resident: byLevel(rateSchema) }).describe("basic fund's share of in-policy cost above the deductible"),
      annualCap: z.object({ employee: fenSchema, resident: fenSchema }).describe("basic fund's annual payment cap per person, fen"),
      criticalIllness: z.object({
        threshold: fenSchema.describe("annual in-policy patient burden above which critical-illness insurance pays, fen"),
        rate: rateSchema,
        schemes: z.array(schemeSchema).describe("schemes covered by the critical-illness layer"),
      }),
      medicalAssistance: z.object({
        rate: rateSchema.describe("share of the remaining in-policy burden paid for key groups (≥ 7000)"),
      }),
    }),
    supervision: supervisionParametersSchema.default(defaultSupervisionParameters),
  })
  .superRefine((p, ctx) => {
    // B_m belongs to the parameter set's own year: a 2025 budget in a 2026 set is a typo, not data.
    for (const month of Object.keys(p.drg.monthlyBudgets)) {
      if (!month.startsWith(`${p.year}-`)) ctx.addIssue({ code: "custom", path: ["drg", "monthlyBudgets", month], message: `month ${month} is not in year ${p.year}` });
    }
  })
  .describe("medpay region-year payment parameters (RULES.md)");

export type RegionYearParameters = z.infer<typeof regionYearParametersSchema>;

/** Validates a parameter set; throws PaymentRuleError naming every bad field as `parameters.…`. */
export function parseRegionYearParameters(input: unknown, root = "parameters"): RegionYearParameters {
  const result = regionYearParametersSchema.safeParse(input);
  if (!result.success) throw zodToPaymentError(result.error, "invalid-parameters", root);
  return result.data;
}

/** Turns a zod error into a PaymentRuleError listing each issue with its field path. */
export function zodToPaymentError(error: z.ZodError, code: "invalid-parameters" | "invalid-scenario" | "invalid-input", root: string): PaymentRuleError {
  const issues = error.issues.map((i) => ({ field: formatFieldPath(i.path, root), message: i.message }));
  const first = issues[0] ?? { field: root, message: "invalid" };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more: ${issues.slice(1).map((i) => `${i.field}: ${i.message}`).join("; ")})` : "";
  return new PaymentRuleError(code, first.field, first.message + more, issues);
}

export interface DefaultParametersOptions {
  year: number;
  region?: string;
  /** B_m for every month of the year, fen (RULES.md gives no default; 0 unless set). */
  monthlyDrgBudget?: number;
  /** Per-month overrides of B_m, keyed `YYYY-MM`. */
  monthlyDrgBudgets?: Record<string, number>;
}

const yuan = (y: number) => y * 100;
const pct = (p: number) => p * 100;

/** The RULES.md defaults for a region-year. Every value can be changed afterwards; validate with `parseRegionYearParameters`. */
export function defaultParameters(options: DefaultParametersOptions): RegionYearParameters {
  const { year } = options;
  const monthlyBudgets: Record<string, number> = {};
  for (let m = 1; m <= 12; m++) monthlyBudgets[`${year}-${String(m).padStart(2, "0")}`] = options.monthlyDrgBudget ?? 0;
  Object.assign(monthlyBudgets, options.monthlyDrgBudgets ?? {});
  return {
    region: options.region ?? "default",
    year,
    drg: {
      monthlyBudgets,
      annualBudget: null,
      // §1: k_h by level.
      coefficientByLevel: { tertiary: 10_000, secondary: 8_500, primary: 7_000 },
      hospitalCoefficients: {},
      // §1: H_d = 3.0 when RW ≤ 1, 2.5 when 1 < RW ≤ 2, 2.0 when RW > 2.
      highThresholdBands: [
        { maxRw: 10_000, h: 30_000 },
        { maxRw: 20_000, h: 25_000 },
        { maxRw: null, h: 20_000 },
      ],
      lowThreshold: 4_000,
      ungroupable: { drgCodes: ["0000"], codeSuffixes: ["QY"] },
      readmission: { windowDays: 15, factor: 5_000, which: "earlier" },
      depositRate: pct(5),
      // §2: q(s) = 100% s ≥ 90, 90% 80–90, 80% 70–80, 60% 60–70, 0 below 60.
      depositReturnTiers: [
        { minScore: 0, rate: 0 },
        { minScore: 60, rate: pct(60) },
        { minScore: 70, rate: pct(80) },
        { minScore: 80, rate: pct(90) },
        { minScore: 90, rate: pct(100) },
      ],
    },
    // §3 default daily rates (fen per day).
    perDiem: {
      psychiatric: [
        { fromDay: 1, toDay: 60, rate: yuan(280) },
        { fromDay: 61, toDay: 180, rate: yuan(250) },
        { fromDay: 181, toDay: null, rate: yuan(220) },
      ],
      rehabilitation: [
        { fromDay: 1, toDay: 30, rate: yuan(520) },
        { fromDay: 31, toDay: 60, rate: yuan(460) },
        { fromDay: 61, toDay: 90, rate: yuan(400) },
      ],
      palliative: [
        { fromDay: 1, toDay: 90, rate: yuan(350) },
        { fromDay: 91, toDay: null, rate: yuan(300) },
      ],
    },
    capitation: {
      quotas: {
        hypertension: yuan(600),
        diabetes: yuan(900),
        "severe-mental-illness": yuan(1_800),
        uraemia: yuan(60_000),
      },
      multiDisease: { largestRate: pct(100), otherRate: pct(50) },
      account: {
        retentionTiers: [{ minScore: 0, rate: pct(100) }],
        retentionCap: pct(15),
        overspendTiers: [
          { upTo: pct(10), rate: pct(50) },
          { upTo: null, rate: 0 },
        ],
        minScoreForSharing: 0,
        prepaymentNetOfOutflow: false,
        advanceMonths: 0,
      },
    },
    consortium: {
      account: {
        retentionTiers: [
          { minScore: 0, rate: 0 },
          { minScore: 60, rate: pct(50) },
          { minScore: 80, rate: pct(80) },
          { minScore: 90, rate: pct(100) },
        ],
        retentionCap: pct(100),
        overspendTiers: [
          { upTo: pct(5), rate: pct(70) },
          { upTo: pct(10), rate: pct(50) },
          { upTo: null, rate: 0 },
        ],
        minScoreForSharing: 60,
        prepaymentNetOfOutflow: true,
        advanceMonths: 0,
      },
    },
    warning: { yellowAbove: pct(5), redAbove: pct(10) },
    patientShare: {
      deductibleByLevel: { primary: yuan(200), secondary: yuan(500), tertiary: yuan(800) },
      inPolicyRatio: {
        employee: { tertiary: pct(80), secondary: pct(85), primary: pct(90) },
        resident: { tertiary: pct(65), secondary: pct(75), primary: pct(85) },
      },
      // RULES.md §5 names an annual cap without an amount: assumption, 300,000 yuan per scheme.
      annualCap: { employee: yuan(300_000), resident: yuan(300_000) },
      criticalIllness: { threshold: yuan(15_000), rate: pct(60), schemes: ["employee", "resident"] },
      medicalAssistance: { rate: pct(70) },
    },
    supervision: defaultSupervisionParameters(),
  };
}

/** Rate for a score from score tiers: the tier with the largest minScore ≤ s. */
export function rateForScore(tiers: ScoreTiers, score: number): number {
  let rate = 0;
  for (const t of tiers) if (score >= t.minScore) rate = t.rate;
  return rate;
}
