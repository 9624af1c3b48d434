/**
 * The payment preview of one inpatient episode: grouping, points (RULES.md §1)
 * or per-diem standard (§3), expected payment at a point value, the patient's
 * share by layer (§5) and warnings. Pure: the route supplies the grouped
 * result and the region's cached context; nothing here touches D1.
 */
import type { SetView } from "../grouping/set-view";
import {
  formatPoints,
  highThreshold,
  isUngroupable,
  mulDivRound,
  perDiemLines,
  perDiemTableFor,
  previewPatientShare,
  priceEpisode,
  pointValueOf,
  type DrgWeight,
  type DrgWeightTable,
  type HospitalLevel,
  type RegionYearParameters,
  type WardCategory,
} from "../payment";
import { daysBetween } from "../payment/dates";
import type { PreviewRequest, PreviewResult, PreviewWarning } from "./schemas";
import { editWarnings, readmissionWarnings, severityWarnings, thresholdWarnings, type GroupedShape } from "./warnings";
import type { PriorStay } from "../db/prior-stays";

/** The grouper's result as the preview reads it. */
export interface GroupResultShape extends GroupedShape {
  setId: string;
  setVersion: string;
  mdc: string;
  drgNameZh: string;
  drgNameEn: string;
  ccExcluded: ReadonlyArray<{ code: string; level: "CC" | "MCC"; exclusionTable: string }>;
  cc: ReadonlyArray<{ code: string; level: "CC" | "MCC"; exclusionTable: string }>;
}

/**
 * A point value as an exact fraction: `poolFen` fen buy `totalPoints` points
 * (1/10000 units). Either the latest approved settlement run's (§2) or, when
 * no month is approved yet, avgAll per 100 points (an RW 1.0000 case at k 1.00
 * is worth the all-case average cost).
 */
export interface PointValueBasis {
  source: "settlement" | "avg-all";
  period: string | null;
  /** The approved run whose point value is used; null for the estimate. */
  runId: string | null;
  poolFen: number;
  totalPoints: number;
  basis: string;
}

export interface PreviewContext {
  regionId: string;
  year: number;
  set: SetView;
  parameters: RegionYearParameters;
  weights: DrgWeightTable;
  weightIndex: Map<string, DrgWeight>;
  hospital: { id: string; level: HospitalLevel };
  pointValue: PointValueBasis;
  /** Stored stays of the same person (only when personId and dates were given). */
  priorStays: readonly PriorStay[];
}

/** The stay as grouped: the projected length when a cost so far is projected to the expected stay. */
export function groupedLosDays(req: PreviewRequest): number {
  return req.expectedDays ?? req.losDays;
}

/** Total cost: given, or the cost so far projected linearly to the expected days (rounded to the fen). */
export function projectedTotalCost(req: PreviewRequest): { totalCostFen: number; projected: boolean } {
  if (req.totalCostFen !== undefined) return { totalCostFen: req.totalCostFen, projected: false };
  const soFar = req.costSoFarFen!;
  // A stay with no bed day yet has no daily run rate: its cost so far is the best estimate.
  if (req.losDays === 0) return { totalCostFen: soFar, projected: true };
  return { totalCostFen: mulDivRound(soFar, req.expectedDays!, req.losDays), projected: true };
}

export function previewEpisode(req: PreviewRequest, group: GroupResultShape, ctx: PreviewContext): PreviewResult {
  const { parameters, set } = ctx;
  const { totalCostFen, projected } = projectedTotalCost(req);
  const los = groupedLosDays(req);
  const outOfPolicy = req.outOfPolicyCostFen ?? 0;
  const share = previewPatientShare(
    { scheme: req.scheme, level: ctx.hospital.level, inPolicyCost: totalCostFen - outOfPolicy, outOfPolicyCost: outOfPolicy, keyGroup: req.patientGroup !== "none" },
    parameters,
  );
  // PP of RULES.md §2: everything the basic fund does not pay is outside the DRG pool's fund part.
  const paidOutsideFund = share.totalCost - share.basicFund;
  const weight = ctx.weightIndex.get(group.drg);
  const warnings: PreviewWarning[] = [...editWarnings(group)];

  const dischargeDate = req.dischargeDate ?? `${ctx.year}-12-31`;
  const episode = {
    id: req.id ?? "preview",
    hospitalId: ctx.hospital.id,
    drg: group.drg,
    adrg: group.adrg,
    mdc: group.mdc,
    wardCategory: req.wardCategory,
    admissionDate: req.admissionDate ?? dischargeDate,
    dischargeDate,
    totalCost: totalCostFen,
    patientPaid: paidOutsideFund,
  };

  let points: PreviewResult["points"] = null;
  let perDiem: PreviewResult["perDiem"] = null;
  let standardFen: number | null = null;
  const perDiemTable = perDiemTableFor(episode, weight, parameters);
  const ungroupable = isUngroupable(episode, parameters);

  if (perDiemTable !== null && !ungroupable) {
    const segments = parameters.perDiem[perDiemTable as WardCategory]!;
    // §0 midnight census: discharge − admission days, a same-day stay counting 1.
    const days = req.admissionDate && req.dischargeDate && !projected ? Math.max(1, daysBetween(req.admissionDate, req.dischargeDate)) : Math.max(1, los);
    const { lines, overCapDays } = perDiemLines(segments, 1, days);
    const standard = lines.reduce((a, l) => a + l.amount, 0);
    perDiem = { rateTable: perDiemTable as WardCategory, days, lines, overCapDays, standardFen: standard };
    standardFen = standard;
    if (overCapDays > 0) {
      warnings.push({ code: "per-diem-over-cap", message: `${overCapDays} bed days lie beyond the ${perDiemTable} rate table's last day and are not payable (flag over-cap, RULES.md §3).`, detail: { overCapDays } });
    }
  } else if (ungroupable || weight) {
    const priced = priceEpisode(episode, { parameters, weights: ctx.weights, hospital: ctx.hospital, weightIndex: ctx.weightIndex });
    const x = priced.explanation;
    points = {
      class: priced.class as "ungroupable" | "high" | "low" | "normal",
      points: priced.pointsText,
      rule: x.rule,
      formula: x.formula,
      ...(x.rw !== undefined ? { rw: x.rw } : {}),
      ...(x.base !== undefined ? { base: x.base } : {}),
      ...(x.avgCost !== undefined ? { avgCostFen: x.avgCost } : {}),
      ...(x.avgAllCost !== undefined ? { avgAllCostFen: x.avgAllCost } : {}),
      ...(x.r !== undefined ? { ratio: x.r } : {}),
      ...(x.h !== undefined ? { highThreshold: x.h } : {}),
      ...(x.l !== undefined ? { lowThreshold: x.l } : {}),
      ...(x.k !== undefined ? { coefficient: x.k } : {}),
    };
    if (weight && !ungroupable) {
      const h = highThreshold(parameters, weight.rw);
      const l = parameters.drg.lowThreshold;
      points.highThresholdCostFen = mulDivRound(weight.avgCost, h, 10_000);
      points.lowThresholdCostFen = mulDivRound(weight.avgCost, l, 10_000);
      warnings.push(...thresholdWarnings(totalCostFen, weight, h, l));
    }
    standardFen = mulDivRound(ctx.pointValue.poolFen, priced.points, ctx.pointValue.totalPoints);
  } else {
    warnings.push({
      code: "no-weight",
      message: `DRG ${group.drg} has no weight in ${ctx.regionId}'s ${ctx.year} weight table: no points can be priced; ask the agency.`,
      detail: { drg: group.drg, year: ctx.year },
    });
  }

  warnings.push(...severityWarnings(group, set, (d) => ctx.weightIndex.get(d)));
  if (req.personId && req.admissionDate && group.status === "grouped") {
    warnings.push(
      ...readmissionWarnings(
        { hospitalId: ctx.hospital.id, adrg: group.adrg, admissionDate: req.admissionDate, dischargeDate: req.dischargeDate, planned: req.planned },
        ctx.priorStays,
        parameters,
      ),
    );
  }
  const usesPointValue = points !== null;
  if (usesPointValue && ctx.pointValue.source === "avg-all") {
    warnings.push({ code: "point-value-estimated", message: ctx.pointValue.basis, detail: { source: ctx.pointValue.source } });
  }

  const pv = pointValueOf(ctx.pointValue.poolFen, ctx.pointValue.totalPoints);
  const named = (kind: "mdc" | "adrg", code: string) => {
    const n = kind === "mdc" ? set.mdc(code) : set.adrg(code);
    return { code, name: n?.nameZh ?? code, nameEn: n?.nameEn ?? code };
  };
  return {
    id: req.id ?? null,
    hospitalId: ctx.hospital.id,
    regionId: ctx.regionId,
    year: ctx.year,
    grouping: {
      setId: group.setId,
      setVersion: group.setVersion,
      status: group.status,
      mdc: named("mdc", group.mdc),
      adrg: named("adrg", group.adrg),
      drg: { code: group.drg, name: group.drgNameZh || (set.drg(group.drg)?.nameZh ?? group.drg), nameEn: group.drgNameEn || (set.drg(group.drg)?.nameEn ?? group.drg) },
      flags: group.flags.map((f) => ({ edit: f.edit, detail: f.detail, rejects: f.rejects })),
      cc: group.cc.map((c) => ({ code: c.code, level: c.level, exclusionTable: c.exclusionTable })),
      ccExcluded: group.ccExcluded.map((c) => ({ code: c.code, level: c.level, exclusionTable: c.exclusionTable })),
    },
    cost: { totalCostFen, projected, groupedLosDays: los },
    points,
    perDiem,
    pointValue: usesPointValue
      ? { source: ctx.pointValue.source, period: ctx.pointValue.period, runId: ctx.pointValue.runId, yuanPerPoint: pv.yuanPerPoint, poolFen: ctx.pointValue.poolFen, totalPoints: formatPoints(ctx.pointValue.totalPoints), basis: ctx.pointValue.basis }
      : null,
    expectedPayment: standardFen === null ? null : { standardFen, paidOutsideFundFen: paidOutsideFund, fundFen: standardFen - paidOutsideFund },
    patientShare: share,
    warnings,
  };
}
