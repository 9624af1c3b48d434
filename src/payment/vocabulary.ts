/**
 * medpay's vocabulary: every domain enum and scalar schema, declared once.
 * The drizzle tables (src/db/schema), the request and response schemas
 * (src/routes, src/preview), the pages and the payment rules all import their
 * words from here, so a new hospital level or run status is one edit that the
 * compiler carries to every consumer.
 *
 * Conventions (RULES.md §0): money is integer fen; ratios, rates and RW-like
 * numbers are integer 1/10000 units; scores are 0–100.
 */
import { z } from "zod";

// ---- Enums ---------------------------------------------------------------

/** Hospital level (医院等级): decides k_h, the deductible and the fund's share (RULES.md §1, §5). */
export const HOSPITAL_LEVELS = ["tertiary", "secondary", "primary"] as const;
/** Ward category: psychiatric, rehabilitation and palliative stays are paid per bed day (§3). */
export const WARD_CATEGORIES = ["acute", "psychiatric", "rehabilitation", "palliative"] as const;
/** Basic medical insurance scheme: employee (职工) or urban-rural resident (城乡居民). */
export const SCHEMES = ["employee", "resident"] as const;
/** Which stay of a readmission pair is halved (§1). */
export const READMISSION_WHICH = ["earlier", "later"] as const;
/** Budget account kind (§4): a consortium's total budget or a capitation contractor's budget. */
export const ACCOUNT_KINDS = ["consortium", "capitation"] as const;
/** Payment into a budget account: monthly prepayment, start-of-year advance, year-end clearing. */
export const BUDGET_PAYMENT_KINDS = ["prepayment", "advance", "clearing"] as const;
/** Where a budget account's entitlement E came from. */
export const ENTITLEMENT_SOURCES = ["override", "per-capita", "enrolments", "unset"] as const;
/** Where the score of a budget account's outlook came from: recorded by the agency, or the default assumption. */
export const SCORE_SOURCES = ["assessment", "default"] as const;
/** Outcome of a budget account's year: balance left (surplus) or spent beyond E (overspend). */
export const ACCOUNT_OUTCOMES = ["surplus", "overspend"] as const;
/** Early-warning status of a budget account (§4). */
export const WARNING_STATUSES = ["green", "yellow", "red"] as const;
/** Status of a monthly settlement run: running → completed | failed; completed → approved. */
export const RUN_STATUSES = ["running", "completed", "failed", "approved"] as const;
/** Runs whose statements exist: completed or approved. */
export const FINISHED_RUN_STATUSES = ["completed", "approved"] as const satisfies readonly RunStatus[];
/** Pricing class of a DRG episode (§1); `per-diem` when its DRG is paid per bed day (§3). */
export const EPISODE_CLASSES = ["ungroupable", "per-diem", "high", "low", "normal", "given"] as const;
/** Classes of an episode priced through its points (§2), as opposed to per-diem payment. */
export const DRG_CLASSES = ["normal", "high", "low", "ungroupable", "given"] as const satisfies readonly EpisodeClass[];
/**
 * Class of a row of a settlement run: an episode class, or `review` (held
 * back, not paid this month) or `adjustment` (a delta carried from an earlier month).
 */
export const PAYMENT_CLASSES = [...EPISODE_CLASSES, "review", "adjustment", "reviewed", "sanctioned", "deduction", "review-adjustment", "supervision-adjustment"] as const;
/** Episodes priced under an agency decision (§7 reviewed, §8 sanctioned): DRG-paid like the classes above. */
export const DECIDED_CLASSES = ["reviewed", "sanctioned"] as const;
/** Rows that move a hospital's points without being an episode of the month (no episode count, no patient paid): §1/§2 adjustments, §8 deductions, decisions carried for approved months. */
export const POINTS_ONLY_CLASSES = ["adjustment", "deduction", "review-adjustment", "supervision-adjustment"] as const;
/** A claim or enrolment version: the current one, or one a later upload superseded. */
export const RECORD_STATUSES = ["current", "superseded"] as const;
/** Who holds an API key: the agency of a region, a hospital, or a consortium. */
export const ROLES = ["agency", "hospital", "consortium"] as const;
/** Who an annual assessment score (考核得分) is about. */
export const SCORE_SUBJECTS = ["hospital", "consortium", "capitation"] as const;
/** Kind of a recorded year-end clearing (年终清算). */
export const CLEARING_KINDS = ["drg", "consortium", "capitation"] as const;
/** Sex as the grouper reads it. */
export const SEXES = ["M", "F"] as const;

export const hospitalLevelSchema = z.enum(HOSPITAL_LEVELS);
export const wardCategorySchema = z.enum(WARD_CATEGORIES);
export const schemeSchema = z.enum(SCHEMES);
export const accountKindSchema = z.enum(ACCOUNT_KINDS);
export const runStatusSchema = z.enum(RUN_STATUSES);
export const episodeClassSchema = z.enum(EPISODE_CLASSES);
export const paymentClassSchema = z.enum(PAYMENT_CLASSES);
export const recordStatusSchema = z.enum(RECORD_STATUSES);
export const roleSchema = z.enum(ROLES);
export const scoreSubjectSchema = z.enum(SCORE_SUBJECTS);
export const warningStatusSchema = z.enum(WARNING_STATUSES);
export const entitlementSourceSchema = z.enum(ENTITLEMENT_SOURCES);
export const accountOutcomeSchema = z.enum(ACCOUNT_OUTCOMES);
export const scoreSourceSchema = z.enum(SCORE_SOURCES);
export const sexSchema = z.enum(SEXES);

export type HospitalLevel = z.infer<typeof hospitalLevelSchema>;
export type WardCategory = z.infer<typeof wardCategorySchema>;
export type Scheme = z.infer<typeof schemeSchema>;
export type AccountKind = z.infer<typeof accountKindSchema>;
export type RunStatus = z.infer<typeof runStatusSchema>;
export type EpisodeClass = z.infer<typeof episodeClassSchema>;
export type PaymentClass = z.infer<typeof paymentClassSchema>;
export type RecordStatus = z.infer<typeof recordStatusSchema>;
export type Role = z.infer<typeof roleSchema>;
export type ScoreSubject = z.infer<typeof scoreSubjectSchema>;
export type WarningStatus = z.infer<typeof warningStatusSchema>;

/** True when a run's statements exist (completed or approved). */
export function isFinishedRun(status: RunStatus): status is (typeof FINISHED_RUN_STATUSES)[number] {
  return (FINISHED_RUN_STATUSES as readonly RunStatus[]).includes(status);
}

/** True for the classes paid through the hospital's points (§2). */
export function isDrgClass(cls: PaymentClass): cls is (typeof DRG_CLASSES)[number] | (typeof DECIDED_CLASSES)[number] {
  return (DRG_CLASSES as readonly PaymentClass[]).includes(cls) || (DECIDED_CLASSES as readonly PaymentClass[]).includes(cls);
}

/** True for rows that move points without being an episode of the month. */
export function isPointsOnlyClass(cls: PaymentClass): boolean {
  return (POINTS_ONLY_CLASSES as readonly PaymentClass[]).includes(cls);
}

// ---- Scalars -------------------------------------------------------------

const MAX = Number.MAX_SAFE_INTEGER;
/** Money, integer fen (0.01 yuan), ≥ 0 (RULES.md §0). */
export const fenSchema = z.number().int().min(0).max(MAX).describe("integer fen (0.01 yuan), ≥ 0");
/** Money that may be negative (a balance, an adjustment), integer fen. */
export const signedFenSchema = z.number().int().min(-MAX).max(MAX).describe("integer fen (0.01 yuan), may be negative");
export const ratio4Schema = z.number().int().min(0).max(MAX).describe("decimal held in integer 1/10000 units (5% = 500, 1.2 = 12000)");
export const rateSchema = z.number().int().min(0).max(10_000).describe("rate in 1/10000 units, 0–10000 (= 0–100%)");
export const scoreSchema = z.number().min(0).max(100).describe("assessment score 0–100");
/** A calendar month `YYYY-MM`: settlement periods, budget months. */
export const monthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");
/** A calendar year of parameters, weights, budgets and clearings. */
export const yearSchema = z.number().int().min(2000).max(2100);
/** A year in a path or query string, coerced from text; same range as `yearSchema`. */
export const yearParamSchema = z.coerce.number().int().min(2000).max(2100);
export const dateSchema = z.iso.date().describe("ISO date YYYY-MM-DD");

/** A code-like identifier (claim, enrolment): letters, digits and `. _ : -`. */
const codeLike = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[\w.:-]+$/, "letters, digits and . _ : - only");
export const claimIdSchema = codeLike(64);
export const enrolmentIdSchema = codeLike(96);
export const hospitalIdSchema = z.string().trim().min(1).max(32);
export const personIdSchema = z.string().trim().min(1).max(64).describe("pseudonymous person id");
/** A diagnosis or procedure code as the hospital coded it. */
export const medicalCodeSchema = z.string().trim().min(1).max(64);

export type Month = z.infer<typeof monthSchema>;
export type IsoDate = z.infer<typeof dateSchema>;

/** A record per hospital level, e.g. k_h or the deductible by level. */
export const byLevel = <T extends z.ZodType>(t: T) => z.object(Object.fromEntries(HOSPITAL_LEVELS.map((level) => [level, t])) as Record<HospitalLevel, T>);
