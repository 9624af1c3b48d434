/**
 * The agency's decisions on one DRG episode and what they do to its points:
 * an accepted special-case review (特例单议, RULES.md §7) replaces the class
 * formula; a confirmed violation (基金监管, §8) changes the episode's points
 * and deducts points from its hospital. Applied to the §1 result before the
 * readmission rule, which (§7) "still applies afterwards".
 */
import { PaymentRuleError } from "./errors.js";
import { formatYuan } from "./money.js";
import { hospitalCoefficient, isUngroupable, priceEpisode, type DrgEpisode, type PricedEpisode, type PricingContext } from "./drg-pricing.js";
import { formatPoints, pointsFromRational, scalePoints, type PointUnits } from "./points.js";
import type { RegionYearParameters } from "./parameters.js";
import { indexWeights } from "./weights.js";

/** §7 cap: accepted reviews per hospital and month ≤ max(reviewMinPerMonth, floor(reviewCapShare × n)). */
export function reviewCap(drgEpisodes: number, parameters: RegionYearParameters): number {
  const s = parameters.supervision;
  return Math.max(s.reviewMinPerMonth, Math.floor((drgEpisodes * s.reviewCapShare) / 10_000));
}

export interface AcceptedReview {
  /** A: the approved additional cost (fen); for an ungroupable episode the approved cost. */
  approvedFen: number;
}

export interface ConfirmedViolation {
  kind: string;
  serious?: boolean;
  /** The DRG the agency sets (kinds priced at a corrected DRG: upcoding). */
  correctedDrg?: string;
}

export interface EpisodeDecisions {
  review?: AcceptedReview;
  violation?: ConfirmedViolation;
}

export interface DecidedEpisode {
  priced: PricedEpisode;
  /** Points deducted from the hospital's month (≥ 0, 1/10000 units). */
  deduction: PointUnits;
  deductionText: string;
  /** The §1 points before any decision. */
  classPoints: PointUnits;
}

const indexOf = (ctx: PricingContext) => ctx.weightIndex ?? indexWeights(ctx.weights);

/** base_d = RW_d × 100 in point units; 0 for an episode without a weight (ungroupable). */
function basePoints(drg: string, ctx: PricingContext): PointUnits {
  const w = indexOf(ctx).get(drg);
  return w ? w.rw * 100 : 0;
}

/** §7: points = base_d × k_h + A / avgAll × 100 (grouped), A / avgAll × 100 (ungroupable), rounded once to 4 places. */
export function reviewedPoints(episode: DrgEpisode, review: AcceptedReview, ctx: PricingContext): { points: PointUnits; formula: string } {
  if (review.approvedFen < 0 || review.approvedFen > episode.totalCost) {
    throw new PaymentRuleError("invalid-input", "approvedFen", `the approved cost must lie within 0 … totalCost (${episode.totalCost} fen)`);
  }
  const avgAll = BigInt(ctx.weights.avgAllCost);
  const A = BigInt(review.approvedFen);
  const extra = `${formatYuan(review.approvedFen)} / ${formatYuan(ctx.weights.avgAllCost)} × 100`;
  if (isUngroupable(episode, ctx.parameters)) {
    const points = pointsFromRational(A * 100n, avgAll);
    return { points, formula: `reviewed points = A / avgAll × 100 = ${extra} = ${formatPoints(points)}` };
  }
  const weight = indexOf(ctx).get(episode.drg);
  if (!weight) throw new PaymentRuleError("unknown-drg", "drg", `DRG "${episode.drg}" is not in the weight table`);
  const R = BigInt(weight.rw);
  const K = BigInt(hospitalCoefficient(ctx.parameters, ctx.hospital));
  // base × k = R·K / 10^6 points; one fraction so the sum is rounded once.
  const points = pointsFromRational(R * K * avgAll + A * 100n * 1_000_000n, 1_000_000n * avgAll);
  return { points, formula: `reviewed points = base × k + A / avgAll × 100 = ${formatPoints(weight.rw * 100)} × ${formatPoints(Number(K))} + ${extra} = ${formatPoints(points)}` };
}

/** §8: the episode's points and the hospital's deduction under a confirmed violation. */
export function violationEffect(
  episode: DrgEpisode,
  current: PointUnits,
  violation: ConfirmedViolation,
  ctx: PricingContext,
): { points: PointUnits; deduction: PointUnits; formula: string } {
  const rule = ctx.parameters.supervision.violationKinds[violation.kind];
  if (!rule) throw new PaymentRuleError("invalid-input", "kind", `"${violation.kind}" is not a violation kind of the region (${Object.keys(ctx.parameters.supervision.violationKinds).join(", ")})`);
  const base = basePoints(episode.drg, ctx);
  let points = current;
  if (rule.episode === "zero") points = 0;
  if (rule.episode === "corrected-drg") {
    if (!violation.correctedDrg) throw new PaymentRuleError("invalid-input", "correctedDrg", `a ${violation.kind} violation needs the corrected DRG`);
    const weight = indexOf(ctx).get(violation.correctedDrg);
    if (!weight) throw new PaymentRuleError("unknown-drg", "correctedDrg", `DRG "${violation.correctedDrg}" is not in the weight table`);
    points = priceEpisode({ ...episode, drg: violation.correctedDrg, adrg: weight.adrg ?? episode.adrg, points: undefined }, ctx).points;
  }
  let deducted = 0;
  if (rule.deduction === "base" || (rule.deduction === "base-if-serious" && violation.serious)) deducted = base;
  if (rule.deduction === "upcoded-difference") deducted = Math.max(0, current - points);
  const deduction = scalePoints(deducted, rule.multiplier);
  const formula = `§8 ${violation.kind}${violation.serious ? " (serious)" : ""}: episode points ${formatPoints(current)} → ${formatPoints(points)}; deduction ${formatPoints(rule.multiplier)} × ${formatPoints(deducted)} = ${formatPoints(deduction)}`;
  return { points, deduction, formula };
}

/** Applies an episode's decisions to its §1 result: review first (it replaces the class formula), then the violation. */
export function applyEpisodeDecisions(episode: DrgEpisode, priced: PricedEpisode, decisions: EpisodeDecisions, ctx: PricingContext): DecidedEpisode {
  let points = priced.points;
  const flags = [...priced.flags];
  const formulas: string[] = [];
  if (decisions.review) {
    const r = reviewedPoints(episode, decisions.review, ctx);
    points = r.points;
    flags.push("reviewed");
    formulas.push(r.formula);
  }
  let deduction = 0;
  if (decisions.violation) {
    const v = violationEffect(episode, points, decisions.violation, ctx);
    points = v.points;
    deduction = v.deduction;
    flags.push("sanctioned", `violation:${decisions.violation.kind}`);
    formulas.push(v.formula);
  }
  const decided: PricedEpisode =
    formulas.length === 0
      ? priced
      : {
          ...priced,
          points,
          pointsText: formatPoints(points),
          flags,
          explanation: { ...priced.explanation, rule: `${priced.explanation.rule}; then ${formulas.join("; ")}`, formula: `${priced.explanation.formula}; ${formulas.join("; ")}` },
        };
  return { priced: decided, deduction, deductionText: formatPoints(deduction), classPoints: priced.points };
}
