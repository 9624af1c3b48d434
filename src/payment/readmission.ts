/**
 * Readmission control (分解住院, RULES.md §1): the same person readmitted to the
 * same hospital within R days of the previous discharge with the same ADRG,
 * the later claim not marked planned → one stay of the pair has its points
 * multiplied by the factor (0.5) and is flagged `readmission`. Which stay is a
 * parameter (`earlier`, as in Zhejiang, or `later`).
 *
 * When the halved stay is the earlier one and its month was already settled,
 * that month is never reopened: the later discharge month carries an adjustment
 * of (factor − 1) × the earlier stay's points (−half by default) for the
 * hospital, while the annual clearing applies the halving directly.
 *
 * Scope (documented choice): only DRG-priced classes (normal/high/low/given)
 * take part; ungroupable cases are already sent to case review and per-diem
 * stays have no points. Episodes without a personId or an ADRG cannot be paired.
 */
import { daysBetween, epochDay } from "./dates.js";
import { compareIds } from "./allocation.js";
import { formatPoints, scalePoints, type PointUnits } from "./points.js";
import type { DrgEpisode, PricedEpisode } from "./drg-pricing.js";
import type { RegionYearParameters } from "./parameters.js";

export interface ReadmissionMark {
  /** The stay of the pair this episode was matched with. */
  pairedEpisodeId: string;
  role: "earlier" | "later";
  gapDays: number;
  factor: number;
  /** Month carrying the adjustment when the halved earlier stay's month was already settled. */
  adjustmentMonth: string | null;
}

export interface EpisodeWithReadmission extends PricedEpisode {
  /** Points after the readmission rule (what the annual clearing counts). */
  finalPoints: PointUnits;
  finalPointsText: string;
  /** Points counted in the monthly pre-settlement of `month` (full points when the halving arrives as a later adjustment). */
  settlementPoints: PointUnits;
  readmission: ReadmissionMark | null;
}

/** A points adjustment carried by a later month for an already-settled month (§1). */
export interface PointsAdjustment {
  hospitalId: string;
  month: string;
  points: PointUnits;
  pointsText: string;
  episodeId: string;
  pairedEpisodeId: string;
  reason: string;
}

const PAIRABLE = new Set(["normal", "high", "low", "given"]);

export interface ReadmissionOptions {
  /** Whether a month was already settled when the later claim arrived. Default: every month before the later stay's discharge month. */
  isMonthSettled?: (month: string, laterDischargeMonth: string) => boolean;
}

export function applyReadmissionRule(
  episodes: ReadonlyArray<DrgEpisode>,
  priced: ReadonlyArray<PricedEpisode>,
  parameters: RegionYearParameters,
  options: ReadmissionOptions = {},
): { episodes: EpisodeWithReadmission[]; adjustments: PointsAdjustment[] } {
  const rule = parameters.drg.readmission;
  const isSettled = options.isMonthSettled ?? ((m: string, later: string) => m < later);
  const out: EpisodeWithReadmission[] = priced.map((p) => ({
    ...p,
    finalPoints: p.points,
    finalPointsText: p.pointsText,
    settlementPoints: p.points,
    readmission: null,
  }));
  const adjustments: PointsAdjustment[] = [];

  // Group the pairable stays by person, hospital and ADRG, in admission order.
  const groups = new Map<string, number[]>();
  episodes.forEach((e, i) => {
    const p = priced[i]!;
    if (!e.personId || !p.adrg || !PAIRABLE.has(p.class)) return;
    const key = JSON.stringify([e.personId, e.hospitalId, p.adrg]);
    const list = groups.get(key) ?? [];
    list.push(i);
    groups.set(key, list);
  });

  for (const list of groups.values()) {
    list.sort((a, b) => {
      const ea = episodes[a]!;
      const eb = episodes[b]!;
      return epochDay(ea.admissionDate) - epochDay(eb.admissionDate) || epochDay(ea.dischargeDate) - epochDay(eb.dischargeDate) || compareIds(ea.id, eb.id);
    });
    for (let j = 1; j < list.length; j++) {
      const ei = list[j - 1]!;
      const li = list[j]!;
      const earlier = episodes[ei]!;
      const later = episodes[li]!;
      if (later.planned) continue;
      const gap = daysBetween(earlier.dischargeDate, later.admissionDate);
      if (gap < 0 || gap > rule.windowDays) continue;
      const halvedIndex = rule.which === "earlier" ? ei : li;
      const target = out[halvedIndex]!;
      if (target.readmission) continue; // a stay is halved at most once
      const finalPoints = scalePoints(target.points, rule.factor);
      const laterMonth = out[li]!.month;
      const carriedLater = rule.which === "earlier" && target.month !== laterMonth && isSettled(target.month, laterMonth);
      target.finalPoints = finalPoints;
      target.finalPointsText = formatPoints(finalPoints);
      target.flags = [...target.flags, "readmission"];
      target.readmission = {
        pairedEpisodeId: (rule.which === "earlier" ? later : earlier).id,
        role: rule.which,
        gapDays: gap,
        factor: rule.factor,
        adjustmentMonth: carriedLater ? laterMonth : null,
      };
      if (carriedLater) {
        // §1: the settled month is never reopened; the later month carries −(1 − factor) × points.
        const delta = finalPoints - target.points;
        adjustments.push({
          hospitalId: target.hospitalId,
          month: laterMonth,
          points: delta,
          pointsText: formatPoints(delta),
          episodeId: target.episodeId,
          pairedEpisodeId: later.id,
          reason: `§1 readmission within ${rule.windowDays} days: ${target.episodeId} (settled in ${target.month}) reduced to ${formatPoints(finalPoints)} points`,
        });
      } else {
        target.settlementPoints = finalPoints;
      }
    }
  }
  return { episodes: out, adjustments };
}
