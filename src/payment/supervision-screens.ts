/**
 * Fund-supervision screens (RULES.md §8): they flag episodes for the agency's
 * review queue and move no money. Each flag names its rule, the parameters it
 * used and its evidence, so an officer can check it without re-running anything.
 * Regrouping (upcoding) is the caller's: it passes the grouper as a function,
 * which keeps this module pure.
 *
 * Documented choices: a later stay marked planned (e.g. scheduled chemotherapy)
 * is not flagged as a split stay, as §1 exempts it from readmission control;
 * the severity-share signal compares a hospital with the whole region
 * (itself included), per ADRG and month.
 */
import { compareIds } from "./allocation.js";
import { daysBetween, epochDay } from "./dates.js";
import { formatRational } from "./money.js";
import type { SupervisionParameters } from "./supervision-parameters.js";
import type { DrgWeight } from "./weights.js";

export const SCREEN_RULES = ["split-stay", "low-standard-admission", "upcoding-severity", "severity-share"] as const;
export type ScreenRule = (typeof SCREEN_RULES)[number];

/** What a screen reads of an episode. */
export interface ScreenEpisode {
  claimId: string;
  hospitalId: string;
  personId: string;
  admissionDate: string;
  dischargeDate: string;
  losDays: number;
  totalCost: number;
  procedures: readonly string[];
  planned: boolean;
  adrg: string | null;
  drg: string | null;
  month: string;
}

export interface ScreenFlag {
  rule: ScreenRule;
  /** The flagged episode; null for the hospital-level signal. */
  claimId: string | null;
  hospitalId: string;
  month: string;
  parameters: Record<string, unknown>;
  evidence: Record<string, unknown>;
}

/** split-stay: the same person readmitted to the same hospital within R days of a discharge, whatever the ADRG; flags the later stay. */
export function screenSplitStays(episodes: readonly ScreenEpisode[], p: SupervisionParameters, flagOnly?: (e: ScreenEpisode) => boolean): ScreenFlag[] {
  const byPersonHospital = new Map<string, ScreenEpisode[]>();
  for (const e of episodes) {
    const key = JSON.stringify([e.personId, e.hospitalId]);
    byPersonHospital.set(key, [...(byPersonHospital.get(key) ?? []), e]);
  }
  const flags: ScreenFlag[] = [];
  for (const list of byPersonHospital.values()) {
    list.sort((a, b) => epochDay(a.admissionDate) - epochDay(b.admissionDate) || compareIds(a.claimId, b.claimId));
    for (let j = 1; j < list.length; j++) {
      const later = list[j]!;
      if (later.planned || (flagOnly && !flagOnly(later))) continue;
      // The nearest earlier discharge on or before this admission.
      let previous: ScreenEpisode | undefined;
      for (let i = 0; i < j; i++) {
        const e = list[i]!;
        if (e.dischargeDate <= later.admissionDate && (!previous || e.dischargeDate > previous.dischargeDate)) previous = e;
      }
      if (!previous) continue;
      const gap = daysBetween(previous.dischargeDate, later.admissionDate);
      if (gap > p.splitStayDays) continue;
      flags.push({
        rule: "split-stay",
        claimId: later.claimId,
        hospitalId: later.hospitalId,
        month: later.month,
        parameters: { splitStayDays: p.splitStayDays },
        evidence: { otherClaimId: previous.claimId, otherDischargeDate: previous.dischargeDate, admissionDate: later.admissionDate, gapDays: gap, sameAdrg: previous.adrg !== null && previous.adrg === later.adrg },
      });
    }
  }
  return flags;
}

/** low-standard-admission: LOS ≤ shortStayDays, no procedure, and cost < lowCostShare × avg_d. */
export function screenLowStandardAdmission(e: ScreenEpisode, weight: DrgWeight | undefined, p: SupervisionParameters): ScreenFlag | null {
  if (!weight || e.losDays > p.shortStayDays || e.procedures.length > 0) return null;
  if (BigInt(e.totalCost) * 10_000n >= BigInt(p.lowCostShare) * BigInt(weight.avgCost)) return null;
  return {
    rule: "low-standard-admission",
    claimId: e.claimId,
    hospitalId: e.hospitalId,
    month: e.month,
    parameters: { shortStayDays: p.shortStayDays, lowCostShare: p.lowCostShare },
    evidence: { losDays: e.losDays, procedures: 0, totalCostFen: e.totalCost, drg: weight.drg, avgCostFen: weight.avgCost, costShare: formatRational(BigInt(e.totalCost), BigInt(weight.avgCost), 4) },
  };
}

/** A regrouping of the episode with its secondary diagnoses replaced (the grouper itself, injected). */
export type Regroup = (secondaryDx: readonly string[]) => { drg: string; adrg: string };

/** The counted CC/MCC secondaries at the level that decided the severity, as the grouper reported them. */
export interface SeverityEvidence {
  secondaryDx: readonly string[];
  counted: readonly { code: string; level: "CC" | "MCC" }[];
}

/**
 * upcoding-severity: the DRG ends in a severe suffix, and grouping the same episode without one secondary
 * diagnosis of the deciding level (MCC for an MCC split, else CC) gives a DRG of lower RW.
 */
export function screenUpcodingSeverity(
  e: ScreenEpisode,
  severity: SeverityEvidence,
  regroup: Regroup,
  weightOf: (drg: string) => DrgWeight | undefined,
  p: SupervisionParameters,
): ScreenFlag | null {
  if (!e.drg || !p.severitySuffixes.some((s) => e.drg!.endsWith(s))) return null;
  const own = weightOf(e.drg);
  if (!own) return null;
  const level = severity.counted.some((c) => c.level === "MCC") ? "MCC" : "CC";
  for (const c of severity.counted.filter((x) => x.level === level)) {
    const without = severity.secondaryDx.filter((d) => d !== c.code);
    const g = regroup(without);
    const lower = weightOf(g.drg);
    if (g.drg !== e.drg && lower && lower.rw < own.rw) {
      return {
        rule: "upcoding-severity",
        claimId: e.claimId,
        hospitalId: e.hospitalId,
        month: e.month,
        parameters: { severitySuffixes: p.severitySuffixes },
        evidence: { drg: e.drg, rw: own.rw, decidingDx: c.code, decidingLevel: c.level, lowerDrg: g.drg, lowerRw: lower.rw },
      };
    }
  }
  return null;
}

/**
 * The hospital-level signal beside upcoding: a hospital's share of severe-suffix episodes within an ADRG against
 * the region's, flagged at ≥ peerRatio with at least peerMinEpisodes episodes of the hospital. Exact: shares are
 * compared by cross-multiplication.
 */
export function screenSeverityShare(episodes: readonly ScreenEpisode[], month: string, p: SupervisionParameters): ScreenFlag[] {
  const severe = (drg: string | null) => drg !== null && p.severitySuffixes.some((s) => drg.endsWith(s));
  const cells = new Map<string, { hospitalId: string; adrg: string; n: number; severe: number }>();
  const region = new Map<string, { n: number; severe: number }>();
  for (const e of episodes) {
    if (e.month !== month || !e.adrg || !e.drg) continue;
    const key = JSON.stringify([e.hospitalId, e.adrg]);
    const cell = cells.get(key) ?? cells.set(key, { hospitalId: e.hospitalId, adrg: e.adrg, n: 0, severe: 0 }).get(key)!;
    const r = region.get(e.adrg) ?? region.set(e.adrg, { n: 0, severe: 0 }).get(e.adrg)!;
    cell.n++;
    r.n++;
    if (severe(e.drg)) {
      cell.severe++;
      r.severe++;
    }
  }
  const flags: ScreenFlag[] = [];
  for (const cell of [...cells.values()].sort((a, b) => compareIds(a.hospitalId, b.hospitalId) || compareIds(a.adrg, b.adrg))) {
    const r = region.get(cell.adrg)!;
    if (cell.n < p.peerMinEpisodes || r.severe === 0) continue;
    // cell.severe / cell.n ≥ peerRatio/10000 × r.severe / r.n
    if (BigInt(cell.severe) * BigInt(r.n) * 10_000n < BigInt(p.peerRatio) * BigInt(r.severe) * BigInt(cell.n)) continue;
    flags.push({
      rule: "severity-share",
      claimId: null,
      hospitalId: cell.hospitalId,
      month,
      parameters: { peerRatio: p.peerRatio, peerMinEpisodes: p.peerMinEpisodes, severitySuffixes: p.severitySuffixes },
      evidence: {
        adrg: cell.adrg,
        hospitalEpisodes: cell.n,
        hospitalSevere: cell.severe,
        hospitalShare: formatRational(BigInt(cell.severe), BigInt(cell.n), 4),
        regionEpisodes: r.n,
        regionSevere: r.severe,
        regionShare: formatRational(BigInt(r.severe), BigInt(r.n), 4),
      },
    });
  }
  return flags;
}
