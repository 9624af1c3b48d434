/**
 * Special-case review (特例单议, RULES.md §7): a hospital requests review of one
 * of its own DRG-paid episodes; the agency accepts with an approved additional
 * cost or rejects, always with a reason. The cap per hospital and month is
 * enforced when a request is accepted, in the same statement that accepts it,
 * so two officers accepting at once cannot both pass it. A request the cap
 * refuses is recorded `refused` with that reason (the hospital may appeal it),
 * and the caller gets a 409 naming the cap and the count.
 */
import { and, count, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import type { Database } from "../db/client";
import { claims, specialReviews } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { ConflictProblem } from "./errors";
import { perDiemTableFor, reviewCap, type RegionYearParameters } from "../payment";
import { indexWeights, type DrgWeightTable } from "../payment/weights";
import { caseEpisode, decidedOutcome, hospitalScope } from "./case-episode";

export type ReviewRow = typeof specialReviews.$inferSelect;

export async function requestReview(db: Database, p: Principal, body: { claimId: string; reason: string; claimedFen: number }): Promise<ReviewRow> {
  const c = await caseEpisode(db, p, body.claimId);
  if (body.claimedFen > c.claim.totalCostFen) throw new ConflictProblem(`The additional cost claimed (${body.claimedFen} fen) exceeds the episode's total cost (${c.claim.totalCostFen} fen).`);
  const id = crypto.randomUUID();
  try {
    await db.insert(specialReviews).values({ id, regionId: p.regionId, hospitalId: c.claim.hospitalId, claimId: c.claim.claimId, month: c.claim.settlementMonth, reason: body.reason, claimedFen: body.claimedFen, status: "open", createdBy: p.keyId });
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(`${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? "")}`)) {
      throw new ConflictProblem(`Claim ${body.claimId} already has an open or accepted review request (RULES.md §7: one per episode).`);
    }
    throw err;
  }
  return (await db.query.specialReviews.findFirst({ where: eq(specialReviews.id, id) }))!;
}

export async function reviewVisibleTo(db: Database, p: Principal, id: string): Promise<ReviewRow> {
  const own = hospitalScope(p);
  const row = await db.query.specialReviews.findFirst({ where: and(eq(specialReviews.id, id), eq(specialReviews.regionId, p.regionId)) });
  if (!row || (own !== undefined && row.hospitalId !== own)) throw new NotFoundProblem(`No review request ${id}.`);
  return row;
}

export async function listReviews(db: Database, p: Principal, q: { month?: string; hospitalId?: string; status?: ReviewRow["status"] }) {
  const own = hospitalScope(p);
  if (own !== undefined && q.hospitalId !== undefined && q.hospitalId !== own) throw new NotFoundProblem(`No hospital ${q.hospitalId}.`);
  const hospitalId = own ?? q.hospitalId;
  return db
    .select()
    .from(specialReviews)
    .where(
      and(
        eq(specialReviews.regionId, p.regionId),
        q.month ? eq(specialReviews.month, q.month) : undefined,
        hospitalId ? eq(specialReviews.hospitalId, hospitalId) : undefined,
        q.status ? eq(specialReviews.status, q.status) : undefined,
      ),
    )
    .orderBy(desc(specialReviews.createdAt), desc(specialReviews.id))
    .limit(1000);
}

export async function withdrawReview(db: Database, p: Principal, id: string): Promise<ReviewRow> {
  const row = await reviewVisibleTo(db, p, id);
  const [updated] = await db
    .update(specialReviews)
    .set({ status: "withdrawn", version: sql`${specialReviews.version} + 1` })
    .where(and(eq(specialReviews.id, row.id), eq(specialReviews.status, "open")))
    .returning();
  if (!updated) throw new ConflictProblem(`Review request ${id} is ${row.status}; only an open request can be withdrawn.`);
  return updated;
}

/** n of §7: the hospital's DRG-paid episodes discharged in the month (current claims; per-diem and interim claims excluded). */
async function drgPaidEpisodes(db: Database, regionId: string, hospitalId: string, month: string, parameters: RegionYearParameters, weights: DrgWeightTable): Promise<number> {
  const rows = await db
    .select({ wardCategory: claims.wardCategory, drg: claims.drg, n: count() })
    .from(claims)
    .where(and(eq(claims.regionId, regionId), eq(claims.hospitalId, hospitalId), eq(claims.settlementMonth, month), eq(claims.status, "current"), isNotNull(claims.dischargeDate), isNull(claims.periodEnd)))
    .groupBy(claims.wardCategory, claims.drg);
  const index = indexWeights(weights);
  return rows.filter((r) => perDiemTableFor({ wardCategory: r.wardCategory }, index.get(r.drg ?? ""), parameters) === null).reduce((s, r) => s + r.n, 0);
}

export interface ReviewDecision {
  decision: "accept" | "reject";
  approvedFen?: number;
  reason: string;
}

/**
 * Accepts (within the cap) or rejects a request. `from` is the status the decision replaces: `open` for a first
 * decision, `rejected`/`refused` when an appeal is reversed (§8: a reversal counts like §7's decisions).
 */
export async function decideReview(db: Database, p: Principal, id: string, d: ReviewDecision, from: readonly ReviewRow["status"][] = ["open"]): Promise<ReviewRow> {
  const row = await reviewVisibleTo(db, p, id);
  if (!from.includes(row.status)) throw new ConflictProblem(`Review request ${id} is ${row.status}; it cannot be decided again.`);
  const decided = { decisionReason: d.reason, decidedBy: p.keyId, decidedAt: new Date().toISOString(), version: sql`${specialReviews.version} + 1` };
  const statusIs = sql`${specialReviews.status} in (${sql.join(from.map((s) => sql`${s}`), sql`, `)})`;
  if (d.decision === "reject") {
    const [updated] = await db.update(specialReviews).set({ status: "rejected", ...decided }).where(and(eq(specialReviews.id, id), statusIs)).returning();
    if (!updated) throw new ConflictProblem(`Review request ${id} changed meanwhile.`);
    return updated;
  }
  if (d.approvedFen === undefined) throw new ConflictProblem("An acceptance needs approvedFen, the approved additional cost (RULES.md §7).");
  const c = await caseEpisode(db, { ...p, role: "agency" }, row.claimId);
  decidedOutcome(c, { review: { approvedFen: d.approvedFen } }); // 422 when A is outside 0 … totalCost
  const n = await drgPaidEpisodes(db, p.regionId, row.hospitalId, row.month, c.rules.parameters, c.rules.weights);
  const cap = reviewCap(n, c.rules.parameters);
  const acceptedSoFar = sql`(select count(*) from ${specialReviews} as other where other.region_id = ${p.regionId} and other.hospital_id = ${row.hospitalId} and other.month = ${row.month} and other.status = 'accepted')`;
  const [updated] = await db
    .update(specialReviews)
    .set({ status: "accepted", approvedFen: d.approvedFen, ...decided })
    .where(and(eq(specialReviews.id, id), statusIs, sql`${acceptedSoFar} < ${cap}`))
    .returning();
  if (updated) return updated;
  const [{ accepted } = { accepted: 0 }] = await db
    .select({ accepted: count() })
    .from(specialReviews)
    .where(and(eq(specialReviews.regionId, p.regionId), eq(specialReviews.hospitalId, row.hospitalId), eq(specialReviews.month, row.month), eq(specialReviews.status, "accepted")));
  const reason = `cap reached: ${accepted} of ${cap} reviews already accepted for ${row.hospitalId} in ${row.month} (max(reviewMinPerMonth, floor(reviewCapShare × ${n} DRG episodes)))`;
  if (row.status === "open") {
    await db.update(specialReviews).set({ status: "refused", ...decided, decisionReason: reason }).where(and(eq(specialReviews.id, id), eq(specialReviews.status, "open")));
  }
  throw new ReviewCapProblem(reason, cap, accepted);
}

/** 409 naming the cap and the count. */
export class ReviewCapProblem extends ConflictProblem {
  constructor(detail: string, readonly cap: number, readonly accepted: number) {
    super(`Refused: ${detail}. The request is recorded as refused; the hospital may appeal.`, "review-cap-reached");
  }
}
