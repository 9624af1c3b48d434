/**
 * DRG points for one inpatient episode (病组点数法, RULES.md §1). Each priced
 * episode carries its class and the numbers that decided it, so a hospital can
 * check the arithmetic by hand.
 */
import { z } from "zod";
import { PaymentRuleError } from "./errors.js";
import { monthOf } from "./dates.js";
import { formatRatio4, formatRational, formatYuan, RATIO4_ONE_N } from "./money.js";
import { formatPoints, parsePoints, pointsFromRational, type PointUnits } from "./points.js";
import type { RegionYearParameters } from "./parameters.js";
import { dateSchema, fenSchema, hospitalLevelSchema, scoreSchema, wardCategorySchema, type EpisodeClass } from "./vocabulary.js";
import { indexWeights, type DrgWeight, type DrgWeightTable } from "./weights.js";

export const hospitalSchema = z.object({
  id: z.string().min(1),
  name: z.string().optional(),
  level: hospitalLevelSchema,
  score: scoreSchema.optional().describe("annual assessment score s_h (0–100), used at annual clearing"),
});
export type Hospital = z.infer<typeof hospitalSchema>;

/** One inpatient episode carrying its group result (grouping is the grouper's job). */
export const drgEpisodeSchema = z
  .object({
    id: z.string().min(1),
    hospitalId: z.string().min(1),
    personId: z.string().min(1).optional().describe("needed for the readmission rule"),
    mdc: z.string().optional(),
    adrg: z.string().optional(),
    drg: z.string().min(1),
    wardCategory: wardCategorySchema.optional().describe("default acute"),
    admissionDate: dateSchema,
    dischargeDate: dateSchema,
    totalCost: fenSchema,
    patientPaid: fenSchema.describe("PP: what the patient paid, fen"),
    planned: z.boolean().optional().describe("planned readmission (e.g. scheduled chemotherapy): exempt from the readmission rule"),
    points: z.string().regex(/^\d+(\.\d{1,4})?$/).optional().describe("already-priced points (4 places); when set the episode is not re-priced"),
  })
  .refine((e) => e.dischargeDate >= e.admissionDate, { path: ["dischargeDate"], message: "discharge before admission" });
export type DrgEpisode = z.infer<typeof drgEpisodeSchema>;

/** The numbers behind an episode's points (display strings, 4 places). */
export interface PricingExplanation {
  rule: string;
  formula: string;
  rw?: string;
  base?: string;
  avgCost?: number;
  avgAllCost?: number;
  totalCost?: number;
  r?: string;
  h?: string;
  l?: string;
  k?: string;
}

export interface PricedEpisode {
  episodeId: string;
  hospitalId: string;
  /** Discharge month `YYYY-MM`: the month whose pre-settlement counts it (§2). */
  month: string;
  drg: string;
  adrg: string | null;
  class: EpisodeClass;
  /** Points from the class formula, rounded to 4 places (1/10000 units). */
  points: PointUnits;
  pointsText: string;
  patientPaid: number;
  flags: string[];
  explanation: PricingExplanation;
}

export interface PricingContext {
  parameters: RegionYearParameters;
  weights: DrgWeightTable;
  hospital: Pick<Hospital, "id" | "level">;
  /** Pre-built index of `weights` (optional, for speed). */
  weightIndex?: Map<string, DrgWeight>;
}

/** Ungroupable (QY / 0000, §1): the code list and suffixes are parameters, never code. */
export function isUngroupable(episode: Pick<DrgEpisode, "drg" | "adrg">, parameters: RegionYearParameters): boolean {
  const u = parameters.drg.ungroupable;
  if (u.drgCodes.includes(episode.drg)) return true;
  return u.codeSuffixes.some((s) => episode.drg.endsWith(s) || (episode.adrg?.endsWith(s) ?? false));
}

/** k_h: the per-hospital override, else the default for its level (§1). */
export function hospitalCoefficient(parameters: RegionYearParameters, hospital: Pick<Hospital, "id" | "level">): number {
  return parameters.drg.hospitalCoefficients[hospital.id] ?? parameters.drg.coefficientByLevel[hospital.level];
}

/** H_d from the RW band table (§1: 3.0 / 2.5 / 2.0 by default). */
export function highThreshold(parameters: RegionYearParameters, rw: number): number {
  for (const band of parameters.drg.highThresholdBands) if (band.maxRw === null || rw <= band.maxRw) return band.h;
  throw new PaymentRuleError("invalid-parameters", "parameters.drg.highThresholdBands", "no band covers this RW");
}

/** Whether the episode is paid per bed day (§1 per-diem class / §3): its ward category has a rate table, or its DRG is flagged. */
export function perDiemTableFor(
  episode: Pick<DrgEpisode, "wardCategory">,
  weight: DrgWeight | undefined,
  parameters: RegionYearParameters,
): string | null {
  const ward = episode.wardCategory ?? "acute";
  if (parameters.perDiem[ward]) return ward;
  if (weight?.perDiem && parameters.perDiem[weight.perDiem]) return weight.perDiem;
  return null;
}

/** Prices one episode into points (§1 table). Points are rounded to 4 places here, once. */
export function priceEpisode(episode: DrgEpisode, ctx: PricingContext): PricedEpisode {
  const { parameters, weights } = ctx;
  const index = ctx.weightIndex ?? indexWeights(weights);
  const weight = index.get(episode.drg);
  const c = BigInt(episode.totalCost);
  const common = {
    episodeId: episode.id,
    hospitalId: episode.hospitalId,
    month: monthOf(episode.dischargeDate),
    drg: episode.drg,
    adrg: episode.adrg ?? weight?.adrg ?? null,
    patientPaid: episode.patientPaid,
  };
  const done = (cls: EpisodeClass, points: PointUnits, explanation: PricingExplanation, flags: string[] = []): PricedEpisode => ({
    ...common,
    class: cls,
    points,
    pointsText: formatPoints(points),
    flags,
    explanation,
  });

  if (episode.points !== undefined) {
    const units = parsePoints(episode.points);
    return done("given", units, { rule: "points supplied with the claim (already priced)", formula: `points = ${formatPoints(units)}` });
  }

  if (isUngroupable(episode, parameters)) {
    const avgAll = BigInt(weights.avgAllCost);
    const pts = pointsFromRational(c * 100n, avgAll);
    return done(
      "ungroupable",
      pts,
      {
        rule: "§1 ungroupable (QY/0000): priced on the all-case average and flagged for case review (特例单议)",
        formula: `points = totalCost / avgAll × 100 = ${formatYuan(episode.totalCost)} / ${formatYuan(weights.avgAllCost)} × 100 = ${formatPoints(pts)}`,
        totalCost: episode.totalCost,
        avgAllCost: weights.avgAllCost,
      },
      ["review"],
    );
  }

  const table = perDiemTableFor(episode, weight, parameters);
  if (table !== null) {
    return done("per-diem", 0, {
      rule: `§1/§3 per-diem: paid per bed day with the ${table} rate table, no DRG points`,
      formula: "points = 0 (see per-diem claim)",
    });
  }

  if (!weight) {
    throw new PaymentRuleError("unknown-drg", "drg", `DRG "${episode.drg}" is not in the weight table${weights.version ? ` ${weights.version}` : ""}`);
  }
  const R = BigInt(weight.rw);
  const a = BigInt(weight.avgCost);
  const K = BigInt(hospitalCoefficient(parameters, ctx.hospital));
  const H = BigInt(highThreshold(parameters, weight.rw));
  const L = BigInt(parameters.drg.lowThreshold);
  // base_d = RW_d × 100 points = R/100 points (R in 1/10000 units).
  const baseText = formatPoints(R * 100n);
  const shown = {
    rw: formatRatio4(weight.rw),
    base: baseText,
    avgCost: weight.avgCost,
    totalCost: episode.totalCost,
    r: formatRational(c, a, 4),
    h: formatRatio4(H),
    l: formatRatio4(L),
    k: formatRatio4(K),
  };
  // r = c / a compared with H and L exactly by cross-multiplication (never a float).
  if (c * RATIO4_ONE_N > H * a) {
    // base × k + (r − H) × base = R·(K·a + 10000·c − H·a) / (100·10000·a)
    const pts = pointsFromRational(R * (K * a + RATIO4_ONE_N * c - H * a), 100n * RATIO4_ONE_N * a);
    return done("high", pts, {
      ...shown,
      rule: `§1 high-cost case: r ${shown.r} > H ${shown.h}`,
      formula: `points = base × k + (r − H) × base = ${baseText} × ${shown.k} + (${shown.r} − ${shown.h}) × ${baseText} = ${formatPoints(pts)}`,
    });
  }
  if (c * RATIO4_ONE_N < L * a) {
    const pts = pointsFromRational(R * c, 100n * a);
    return done("low", pts, {
      ...shown,
      rule: `§1 low-cost case: r ${shown.r} < L ${shown.l}`,
      formula: `points = base × r = ${baseText} × ${shown.r} = ${formatPoints(pts)}`,
    });
  }
  const pts = pointsFromRational(R * K, 100n * RATIO4_ONE_N);
  return done("normal", pts, {
    ...shown,
    rule: `§1 normal case: L ${shown.l} ≤ r ${shown.r} ≤ H ${shown.h}`,
    formula: `points = base × k = ${baseText} × ${shown.k} = ${formatPoints(pts)}`,
  });
}
