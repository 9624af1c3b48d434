/**
 * Warnings for a coder looking at a payment preview: what would change the
 * money if the record changed a little. Each warning names the numbers behind
 * it so the coder can check it by hand.
 */
import type { DrgWeight, RegionYearParameters } from "../payment";
import { daysBetween } from "../payment/dates";
import { formatRatio4, formatYuan, mulDivRound } from "../payment/money";
import type { SetView } from "../grouping/set-view";
import type { PriorStay } from "../db/prior-stays";
import type { PreviewWarning } from "./schemas";

/**
 * "Near" a threshold: the cost ratio r lies within 10% of the threshold T
 * (|r − T| ≤ 0.10 × T), on either side. Advisory only, so a module constant
 * rather than a RULES.md parameter.
 */
export const NEAR_THRESHOLD_SHARE = 1_000; // 1/10000 units of T: 10%

/** The parts of the grouper's result the warnings read. */
export interface GroupedShape {
  status: string;
  adrg: string;
  drg: string;
  flags: ReadonlyArray<{ edit: string; detail: string; rejects: boolean }>;
  cc: ReadonlyArray<{ code: string; level: "CC" | "MCC" }>;
  ccExcluded: ReadonlyArray<{ code: string; level: "CC" | "MCC"; exclusionTable: string }>;
}

/** |c − T·a| ≤ share × T·a, exactly: c = total cost (fen), a = the DRG's average cost, T in 1/10000. */
function isNear(cost: number, avg: number, t: number): boolean {
  const target = BigInt(t) * BigInt(avg); // T·a in 1/10000 fen
  const diff = BigInt(cost) * 10_000n - target;
  const abs = diff < 0n ? -diff : diff;
  return abs * 10_000n <= BigInt(NEAR_THRESHOLD_SHARE) * target;
}

/** RULES.md §1: H_d and L decide the class; a cost near either flips the class with a small change. */
export function thresholdWarnings(totalCost: number, weight: DrgWeight, h: number, l: number): PreviewWarning[] {
  const out: PreviewWarning[] = [];
  const highCost = mulDivRound(weight.avgCost, h, 10_000);
  const lowCost = mulDivRound(weight.avgCost, l, 10_000);
  if (isNear(totalCost, weight.avgCost, h)) {
    const above = BigInt(totalCost) * 10_000n > BigInt(h) * BigInt(weight.avgCost);
    out.push({
      code: "near-high-threshold",
      message: above
        ? `Just above the high-cost threshold: r > H ${formatRatio4(h)} from a total cost of ${formatYuan(highCost)} yuan; the case is paid as high-cost.`
        : `Within ${NEAR_THRESHOLD_SHARE / 100}% of the high-cost threshold H ${formatRatio4(h)}: above ${formatYuan(highCost)} yuan total cost the case becomes high-cost (RULES.md §1).`,
      detail: { threshold: formatRatio4(h), thresholdCostFen: highCost, totalCostFen: totalCost, side: above ? "above" : "below" },
    });
  }
  if (isNear(totalCost, weight.avgCost, l)) {
    const below = BigInt(totalCost) * 10_000n < BigInt(l) * BigInt(weight.avgCost);
    out.push({
      code: "near-low-threshold",
      message: below
        ? `Just below the low-cost threshold: r < L ${formatRatio4(l)} under a total cost of ${formatYuan(lowCost)} yuan; the case is paid as low-cost (base × r).`
        : `Within ${NEAR_THRESHOLD_SHARE / 100}% of the low-cost threshold L ${formatRatio4(l)}: below ${formatYuan(lowCost)} yuan total cost the case becomes low-cost (RULES.md §1).`,
      detail: { threshold: formatRatio4(l), thresholdCostFen: lowCost, totalCostFen: totalCost, side: below ? "below" : "above" },
    });
  }
  return out;
}

/**
 * GROUPER.md step 6: in a split ADRG an MCC gives the "1" DRG and a CC (or an
 * MCC where there is no "1") the "3" DRG. When no CC/MCC counted, or only a CC,
 * say which DRG a (better-documented) complication would give, with its RW.
 */
export function severityWarnings(group: GroupedShape, set: SetView, weightOf: (drg: string) => DrgWeight | undefined): PreviewWarning[] {
  if (group.status !== "grouped") return [];
  const adrg = set.adrg(group.adrg);
  if (!adrg || adrg.drgs.length < 2) return [];
  const hasMcc = group.cc.some((c) => c.level === "MCC");
  const hasCc = group.cc.some((c) => c.level === "CC");
  const out: PreviewWarning[] = [];
  const suggest = (kind: "MCC" | "CC", split: string) => {
    const target = adrg.drgs.find((d) => d.split === split);
    if (!target || target.code === group.drg) return;
    const rw = weightOf(target.code)?.rw;
    out.push({
      code: "cc-would-change-group",
      message: `ADRG ${adrg.code} is split by severity and no ${kind === "MCC" ? "MCC" : "CC or MCC"} counted: a documented ${kind} would group the case to ${target.code} (${target.nameEn}, suffix ${target.suffix})${rw !== undefined ? `, RW ${formatRatio4(rw)}` : ""}.`,
      detail: { adrg: adrg.code, currentDrg: group.drg, level: kind, drg: target.code, suffix: target.suffix, name: target.nameZh, nameEn: target.nameEn, ...(rw !== undefined ? { rw: formatRatio4(rw) } : {}) },
    });
  };
  if (!hasMcc) suggest("MCC", "MCC");
  if (!hasMcc && !hasCc) suggest("CC", "MCC_OR_CC");
  if (group.ccExcluded.length > 0) {
    out.push({
      code: "cc-excluded",
      message: `Excluded by the principal diagnosis's exclusion table, so they did not count: ${group.ccExcluded.map((c) => `${c.code} (${c.level})`).join(", ")}.`,
      detail: { excluded: group.ccExcluded.map((c) => ({ code: c.code, level: c.level, exclusionTable: c.exclusionTable })) },
    });
  }
  return out;
}

export function editWarnings(group: GroupedShape): PreviewWarning[] {
  const out: PreviewWarning[] = group.flags.map((f) => ({
    code: "grouper-edit" as const,
    message: `Grouper edit ${f.edit}${f.detail ? ` (${f.detail})` : ""}${f.rejects ? ": the case cannot be grouped" : ": reported, grouping continued"}.`,
    detail: { edit: f.edit, detail: f.detail, rejects: f.rejects },
  }));
  if (group.status !== "grouped") {
    out.push({
      code: "ungroupable",
      message: `The case did not group normally (${group.status}, ${group.drg}): it is priced on the all-case average and sent to case review (特例单议, RULES.md §1).`,
      detail: { status: group.status, drg: group.drg },
    });
  }
  return out;
}

/**
 * RULES.md §1 readmission (分解住院): the same person at the same hospital with
 * the same ADRG within R days of the previous discharge; the later stay not
 * planned. Checked both ways: the previewed stay may be the later or the earlier one.
 */
export function readmissionWarnings(
  stay: { hospitalId: string; adrg: string; admissionDate: string; dischargeDate: string | undefined; planned: boolean },
  prior: ReadonlyArray<PriorStay>,
  parameters: RegionYearParameters,
): PreviewWarning[] {
  const rule = parameters.drg.readmission;
  const out: PreviewWarning[] = [];
  for (const p of prior) {
    if (p.hospitalId !== stay.hospitalId || p.adrg !== stay.adrg) continue;
    let role: "later" | "earlier" | null = null;
    let gap = 0;
    if (p.dischargeDate <= stay.admissionDate) {
      gap = daysBetween(p.dischargeDate, stay.admissionDate);
      if (gap <= rule.windowDays && !stay.planned) role = "later";
    } else if (stay.dischargeDate !== undefined && stay.dischargeDate <= p.admissionDate) {
      gap = daysBetween(stay.dischargeDate, p.admissionDate);
      if (gap <= rule.windowDays) role = "earlier"; // whether the stored later stay was planned is not known here
    }
    if (role === null) continue;
    const halvesThis = rule.which === role;
    out.push({
      code: "readmission",
      message: `Readmission within ${rule.windowDays} days with the same ADRG ${stay.adrg} (claim ${p.claimId}, ${gap} days apart): the ${rule.which} stay's points are multiplied by ${formatRatio4(rule.factor)}${halvesThis ? " — that is this stay" : " — that is the other stay"} (RULES.md §1).`,
      detail: { claimId: p.claimId, gapDays: gap, thisStayIs: role, halvedStay: rule.which, factor: formatRatio4(rule.factor), appliesToThisStay: halvesThis },
    });
  }
  return out;
}
