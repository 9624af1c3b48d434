/**
 * The episode an agency decision is about: the claim's current version, the
 * rules of its year, and its §1 pricing, so a decision is checked against the
 * same rules a run will apply (an approved cost above the total cost, an
 * unknown violation kind or corrected DRG are refused when decided, not when
 * the month is run).
 */
import { and, eq } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import type { Database } from "../db/client";
import { claims } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { ConflictProblem } from "./errors";
import { applyEpisodeDecisions, perDiemTableFor, priceEpisode, type EpisodeDecisions, type PricingContext } from "../payment";
import { indexWeights } from "../payment/weights";
import { drgEpisodeOf } from "../settlement/pricing";
import { loadYearRules, RunInputError } from "../settlement/run-inputs";

export type ClaimRecord = typeof claims.$inferSelect;

/** A hospital key sees its own episodes only; another hospital's is "not found". */
export function hospitalScope(p: Principal): string | undefined {
  return p.role === "hospital" ? (p.hospitalId ?? "") : undefined;
}

export async function currentClaim(db: Database, p: Principal, claimId: string): Promise<ClaimRecord> {
  const own = hospitalScope(p);
  const row = await db.query.claims.findFirst({
    where: and(eq(claims.regionId, p.regionId), eq(claims.claimId, claimId), eq(claims.status, "current"), own !== undefined ? eq(claims.hospitalId, own) : undefined),
  });
  if (!row) throw new NotFoundProblem(`No claim ${claimId}.`);
  return row;
}

/** The claim as a DRG-paid episode with its pricing context; 409 when it is not paid by DRG (interim or per-diem). */
export async function caseEpisode(db: Database, p: Principal, claimId: string) {
  const claim = await currentClaim(db, p, claimId);
  if (!claim.dischargeDate || claim.periodEnd) throw new ConflictProblem(`Claim ${claimId} is an interim claim of an ongoing stay; only discharged DRG episodes are reviewed.`);
  const rules = await loadYearRules(db, p.regionId, Number(claim.settlementMonth.slice(0, 4))).catch((err: unknown) => {
    if (err instanceof RunInputError) throw new ConflictProblem(`Claim ${claimId} cannot be priced: ${err.message}.`);
    throw err;
  });
  const episode = drgEpisodeOf({ ...claim, dischargeDate: claim.dischargeDate });
  const weightIndex = indexWeights(rules.weights);
  if (perDiemTableFor(episode, weightIndex.get(episode.drg), rules.parameters) !== null) {
    throw new ConflictProblem(`Claim ${claimId} is paid per bed day (RULES.md §3), not by DRG points.`);
  }
  const level = rules.hospitals.get(claim.hospitalId)!;
  const ctx: PricingContext = { parameters: rules.parameters, weights: rules.weights, weightIndex, hospital: { id: claim.hospitalId, level } };
  return { claim, episode, ctx, rules, priced: priceEpisode(episode, ctx) };
}

export type CaseEpisode = Awaited<ReturnType<typeof caseEpisode>>;

/** The episode's points and deduction under the given decisions (throws PaymentRuleError → 422 when they cannot apply). */
export function decidedOutcome(c: CaseEpisode, decisions: EpisodeDecisions) {
  return applyEpisodeDecisions(c.episode, c.priced, decisions, c.ctx);
}
