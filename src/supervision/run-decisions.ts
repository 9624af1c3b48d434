/**
 * Which of the agency's decisions a settlement run applies, and how (RULES.md
 * §7 "when it counts", §8 "in the month being run"). At its snapshot a run
 * fixes, per episode, the decision state current then (accepted review, confirmed
 * violation, with their versions) in `run_decisions`; its input hash covers that
 * list, so the same decisions give the same hashes.
 *
 * - An episode of the month being run carries its decisions in-month.
 * - An episode of an approved month whose decision state differs from the one
 *   the approved runs paid is an adjustment in the month being run: the points
 *   its decisions move now, minus what approved runs already moved for it
 *   (`pointsDelta`, summed), so a reversal after approval gives back exactly
 *   what was taken, and nothing is carried twice once a carrying run is approved.
 * - An episode of a month not yet approved waits for that month's run.
 *
 * Documented choice: the points a decision moves are counted before the
 * readmission factor (the halving of §1 applies to the month's own episodes).
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../db/client";
import { chunk } from "../db/client";
import { claims, runDecisions, settlementRuns, specialReviews, violations, type AppliedDecisions } from "../db/schema";
import { applyEpisodeDecisions, indexWeights, parsePoints, perDiemTableFor, priceEpisode, type EpisodeDecisions } from "../payment";
import { contentHash } from "../util/content-hash";
import { drgEpisodeOf, type PricedRow } from "../settlement/pricing";
import { loadYearRules } from "../settlement/run-inputs";

export type RunDecisionRow = typeof runDecisions.$inferSelect;

const stateKey = (d: AppliedDecisions) => JSON.stringify([d.review ? [d.review.id, d.review.version] : null, d.violation ? [d.violation.id, d.violation.version] : null]);

export function episodeDecisionsOf(d: AppliedDecisions): EpisodeDecisions {
  return {
    ...(d.review ? { review: { approvedFen: d.review.approvedFen } } : {}),
    ...(d.violation ? { violation: { kind: d.violation.kind, serious: d.violation.serious, ...(d.violation.correctedDrg ? { correctedDrg: d.violation.correctedDrg } : {}) } } : {}),
  };
}

/** The decision rows a run of `period` applies, fixed now and written to run_decisions, with their hash. */
export async function fixRunDecisions(db: Database, runId: string, regionId: string, period: string): Promise<{ rows: RunDecisionRow[]; hash: string }> {
  const fixed = await decisionsForRun(db, runId, regionId, period);
  await db.delete(runDecisions).where(eq(runDecisions.runId, runId));
  for (const part of chunk(fixed.rows, 10)) await db.insert(runDecisions).values(part);
  return fixed;
}

/** The decision rows a run of `period` starting now would apply, and their hash (the Cron's "same inputs" test reads it too). */
export async function decisionsForRun(db: Database, runId: string, regionId: string, period: string): Promise<{ rows: RunDecisionRow[]; hash: string }> {
  const reviews = await db.select().from(specialReviews).where(and(eq(specialReviews.regionId, regionId), eq(specialReviews.status, "accepted")));
  const confirmed = await db.select().from(violations).where(and(eq(violations.regionId, regionId), eq(violations.status, "confirmed")));
  const reversed = await db.select({ claimId: violations.claimId, hospitalId: violations.hospitalId, month: violations.month }).from(violations).where(and(eq(violations.regionId, regionId), eq(violations.status, "reversed")));
  const state = new Map<string, { hospitalId: string; month: string; d: AppliedDecisions }>();
  const at = (claimId: string, hospitalId: string, month: string) => state.get(claimId) ?? state.set(claimId, { hospitalId, month, d: {} }).get(claimId)!;
  for (const r of reviews) at(r.claimId, r.hospitalId, r.month).d.review = { id: r.id, version: r.version, approvedFen: r.approvedFen ?? 0 };
  for (const v of confirmed) at(v.claimId, v.hospitalId, v.month).d.violation = { id: v.id, version: v.version, kind: v.kind, serious: v.serious, correctedDrg: v.correctedDrg };
  for (const v of reversed) at(v.claimId, v.hospitalId, v.month); // a reversal may have to give points back

  const approvedMonths = new Set(
    (await db.select({ period: settlementRuns.period }).from(settlementRuns).where(and(eq(settlementRuns.regionId, regionId), eq(settlementRuns.status, "approved")))).map((r) => r.period),
  );
  const paid = await paidStates(db, regionId, [...state.keys()].filter((id) => state.get(id)!.month !== period));
  const rows: RunDecisionRow[] = [];
  for (const [claimId, s] of [...state].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    const empty = !s.d.review && !s.d.violation;
    if (s.month === period) {
      if (!empty) rows.push({ runId, claimId, hospitalId: s.hospitalId, month: s.month, mode: "in-month", decisions: s.d, pointsDelta: null });
      continue;
    }
    if (!approvedMonths.has(s.month)) continue;
    const before = paid.get(claimId);
    if ((before?.key ?? stateKey({})) === stateKey(s.d)) continue;
    rows.push({ runId, claimId, hospitalId: s.hospitalId, month: s.month, mode: "adjustment", decisions: s.d, pointsDelta: null });
  }
  return { rows, hash: contentHash(rows.map((r) => [r.claimId, r.mode, r.decisions])) };
}

/** Per claim: the decision state the newest approved run applied, and the points all approved runs moved for it. */
async function paidStates(db: Database, regionId: string, claimIds: string[]): Promise<Map<string, { key: string; points: number }>> {
  const out = new Map<string, { key: string; points: number }>();
  for (const part of chunk(claimIds, 80)) {
    const rows = await db
      .select({ claimId: runDecisions.claimId, decisions: runDecisions.decisions, points: runDecisions.pointsDelta, approvedAt: settlementRuns.approvedAt })
      .from(runDecisions)
      .innerJoin(settlementRuns, eq(settlementRuns.id, runDecisions.runId))
      .where(and(eq(settlementRuns.regionId, regionId), eq(settlementRuns.status, "approved"), inArray(runDecisions.claimId, part)))
      .orderBy(settlementRuns.approvedAt);
    for (const r of rows) out.set(r.claimId, { key: stateKey(r.decisions), points: (out.get(r.claimId)?.points ?? 0) + (r.points ?? 0) });
  }
  return out;
}

/** The in-month decisions of a run by claim id, for its pricing steps. */
export async function inMonthDecisions(db: Database, runId: string): Promise<Map<string, EpisodeDecisions>> {
  const rows = await db.select().from(runDecisions).where(and(eq(runDecisions.runId, runId), eq(runDecisions.mode, "in-month")));
  return new Map(rows.map((r) => [r.claimId, episodeDecisionsOf(r.decisions)]));
}

/** Points moved by decisions in a priced chunk, per claim id: decided − class points − deduction. */
export function decisionDeltas(rows: readonly PricedRow[], claimIdOf: ReadonlyMap<number, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const claimId = claimIdOf.get(Math.abs(r.claimRowId));
    if (!claimId) continue;
    if (r.paymentClass === "reviewed" || r.paymentClass === "sanctioned") {
      const e = r.explanation as { classPoints: string; decidedPoints: string };
      out.set(claimId, (out.get(claimId) ?? 0) + parsePoints(e.decidedPoints) - parsePoints(e.classPoints));
    }
    if (r.paymentClass === "deduction") out.set(claimId, (out.get(claimId) ?? 0) + r.points);
  }
  return out;
}


/**
 * The adjustment rows a run carries for decisions on episodes of approved months: per episode, the points its
 * decisions move now minus what approved runs already moved. Priced with the rules of the episode's own year.
 */
export async function adjustmentRows(db: Database, regionId: string, rows: readonly RunDecisionRow[], step: number): Promise<{ priced: (PricedRow & { step: number })[]; deltas: Map<string, number> }> {
  const adjustments = rows.filter((r) => r.mode === "adjustment");
  const paid = await paidStates(db, regionId, adjustments.map((r) => r.claimId));
  const priced: (PricedRow & { step: number })[] = [];
  const deltas = new Map<string, number>();
  const rulesByYear = new Map<number, Awaited<ReturnType<typeof loadYearRules>>>();
  for (const r of adjustments) {
    const claim = await db.query.claims.findFirst({ where: and(eq(claims.regionId, regionId), eq(claims.claimId, r.claimId), eq(claims.status, "current")) });
    if (!claim?.dischargeDate) continue;
    const year = Number(claim.settlementMonth.slice(0, 4));
    const rules = rulesByYear.get(year) ?? rulesByYear.set(year, await loadYearRules(db, regionId, year)).get(year)!;
    const episode = drgEpisodeOf({ ...claim, dischargeDate: claim.dischargeDate });
    const weightIndex = indexWeights(rules.weights);
    if (perDiemTableFor(episode, weightIndex.get(episode.drg), rules.parameters) !== null) continue;
    const ctx = { parameters: rules.parameters, weights: rules.weights, weightIndex, hospital: { id: claim.hospitalId, level: rules.hospitals.get(claim.hospitalId)! } };
    const base = priceEpisode(episode, ctx);
    const decided = applyEpisodeDecisions(episode, base, episodeDecisionsOf(r.decisions), ctx);
    const target = decided.priced.points - base.points - decided.deduction;
    const carry = target - (paid.get(r.claimId)?.points ?? 0);
    deltas.set(r.claimId, carry);
    if (carry === 0) continue;
    priced.push({
      step,
      claimRowId: claim.id,
      hospitalId: claim.hospitalId,
      paymentClass: r.decisions.violation || !r.decisions.review ? "supervision-adjustment" : "review-adjustment",
      points: carry,
      amountFen: 0,
      patientPaidFen: 0,
      flags: [r.decisions.violation || !r.decisions.review ? "supervision-adjustment" : "review-adjustment"],
      explanation: {
        rule: `decisions on ${r.claimId} (approved month ${r.month}) carried into this month: points moved now minus points already moved by approved runs`,
        claimId: r.claimId,
        month: r.month,
        classPoints: base.pointsText,
        decidedPoints: decided.priced.pointsText,
        deduction: decided.deductionText,
        alreadyMoved: paid.get(r.claimId)?.points ?? 0,
        decisions: r.decisions,
      },
    });
  }
  return { priced, deltas };
}

/** Records what the run's decisions moved, per claim, for later adjustments. */
export function recordDeltas(db: Database, runId: string, deltas: ReadonlyMap<string, number>) {
  return [...deltas].map(([claimId, points]) => db.update(runDecisions).set({ pointsDelta: points }).where(and(eq(runDecisions.runId, runId), eq(runDecisions.claimId, claimId))));
}
