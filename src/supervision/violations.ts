/**
 * The agency's review queue of supervision flags and its confirmed violations
 * (基金监管, RULES.md §8). A flag (or any episode) is confirmed as a violation of
 * one of the region's kinds, or a flag is dismissed, always with a reason. The
 * violation is checked against the rules when confirmed (kind, corrected DRG),
 * and its points take effect in the next run (see run-decisions.ts).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import type { Database } from "../db/client";
import { supervisionFlags, violations } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { ConflictProblem } from "./errors";
import { caseEpisode, decidedOutcome, hospitalScope } from "./case-episode";

export type FlagRow = typeof supervisionFlags.$inferSelect;
export type ViolationRow = typeof violations.$inferSelect;

export async function listFlags(db: Database, p: Principal, q: { month?: string; hospitalId?: string; rule?: string; status?: FlagRow["status"] }) {
  const own = hospitalScope(p);
  if (own !== undefined && q.hospitalId !== undefined && q.hospitalId !== own) throw new NotFoundProblem(`No hospital ${q.hospitalId}.`);
  const hospitalId = own ?? q.hospitalId;
  return db
    .select()
    .from(supervisionFlags)
    .where(
      and(
        eq(supervisionFlags.regionId, p.regionId),
        q.month ? eq(supervisionFlags.month, q.month) : undefined,
        hospitalId ? eq(supervisionFlags.hospitalId, hospitalId) : undefined,
        q.rule ? eq(supervisionFlags.rule, q.rule) : undefined,
        q.status ? eq(supervisionFlags.status, q.status) : undefined,
      ),
    )
    .orderBy(supervisionFlags.month, supervisionFlags.hospitalId, supervisionFlags.rule, supervisionFlags.subject)
    .limit(1000);
}

export async function flagInRegion(db: Database, p: Principal, id: string): Promise<FlagRow> {
  const row = await db.query.supervisionFlags.findFirst({ where: and(eq(supervisionFlags.id, id), eq(supervisionFlags.regionId, p.regionId)) });
  if (!row) throw new NotFoundProblem(`No flag ${id}.`);
  return row;
}

export interface ViolationInput {
  kind: string;
  serious?: boolean;
  correctedDrg?: string;
  reason: string;
}

/** Confirms an episode as a violation (optionally from a flag); one confirmed violation per episode. */
export async function confirmViolation(db: Database, p: Principal, claimId: string, v: ViolationInput, flagId: string | null = null): Promise<ViolationRow> {
  const c = await caseEpisode(db, p, claimId);
  decidedOutcome(c, { violation: { kind: v.kind, serious: v.serious ?? false, ...(v.correctedDrg ? { correctedDrg: v.correctedDrg } : {}) } }); // 422 for an unknown kind or DRG
  const id = crypto.randomUUID();
  const row = {
    id,
    regionId: p.regionId,
    hospitalId: c.claim.hospitalId,
    claimId: c.claim.claimId,
    month: c.claim.settlementMonth,
    flagId,
    kind: v.kind,
    serious: v.serious ?? false,
    correctedDrg: v.correctedDrg ?? null,
    reason: v.reason,
    status: "confirmed" as const,
    decidedBy: p.keyId,
    decidedAt: new Date().toISOString(),
  };
  try {
    await db.batch([
      db.insert(violations).values(row),
      ...(flagId ? [db.update(supervisionFlags).set({ status: "confirmed", decisionReason: v.reason, decidedBy: p.keyId, decidedAt: row.decidedAt }).where(eq(supervisionFlags.id, flagId))] : []),
    ]);
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(`${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? "")}`)) {
      throw new ConflictProblem(`Claim ${claimId} already has a confirmed violation.`);
    }
    throw err;
  }
  return (await db.query.violations.findFirst({ where: eq(violations.id, id) }))!;
}

export async function decideFlag(db: Database, p: Principal, id: string, d: { decision: "confirm" | "dismiss" } & Partial<ViolationInput> & { reason: string }) {
  const flag = await flagInRegion(db, p, id);
  if (flag.status !== "open") throw new ConflictProblem(`Flag ${id} is ${flag.status} already.`);
  if (d.decision === "dismiss") {
    const [updated] = await db
      .update(supervisionFlags)
      .set({ status: "dismissed", decisionReason: d.reason, decidedBy: p.keyId, decidedAt: new Date().toISOString() })
      .where(and(eq(supervisionFlags.id, id), eq(supervisionFlags.status, "open")))
      .returning();
    if (!updated) throw new ConflictProblem(`Flag ${id} changed meanwhile.`);
    return { flag: updated, violation: null };
  }
  if (!flag.claimId) throw new ConflictProblem(`Flag ${id} is a hospital-level signal (${flag.rule}) naming no episode: confirm the episodes it points to with POST /v1/violations.`);
  if (!d.kind) throw new ConflictProblem("A confirmation needs the violation kind.");
  const violation = await confirmViolation(db, p, flag.claimId, { kind: d.kind, reason: d.reason, ...(d.serious !== undefined ? { serious: d.serious } : {}), ...(d.correctedDrg ? { correctedDrg: d.correctedDrg } : {}) }, flag.id);
  return { flag: await flagInRegion(db, p, id), violation };
}

export async function violationVisibleTo(db: Database, p: Principal, id: string): Promise<ViolationRow> {
  const own = hospitalScope(p);
  const row = await db.query.violations.findFirst({ where: and(eq(violations.id, id), eq(violations.regionId, p.regionId)) });
  if (!row || (own !== undefined && row.hospitalId !== own)) throw new NotFoundProblem(`No violation ${id}.`);
  return row;
}

export async function listViolations(db: Database, p: Principal, q: { month?: string; hospitalId?: string }) {
  const own = hospitalScope(p);
  if (own !== undefined && q.hospitalId !== undefined && q.hospitalId !== own) throw new NotFoundProblem(`No hospital ${q.hospitalId}.`);
  const hospitalId = own ?? q.hospitalId;
  return db
    .select()
    .from(violations)
    .where(and(eq(violations.regionId, p.regionId), q.month ? eq(violations.month, q.month) : undefined, hospitalId ? eq(violations.hospitalId, hospitalId) : undefined))
    .orderBy(desc(violations.decidedAt))
    .limit(1000);
}

/** An appeal's reversal (§8): the earlier points are restored in the next run. */
export async function reverseViolation(db: Database, p: Principal, id: string, reason: string): Promise<void> {
  await db
    .update(violations)
    .set({ status: "reversed", reason: sql`${violations.reason} || ${`\n[reversed on appeal by ${p.keyId}] ${reason}`}`, version: sql`${violations.version} + 1` })
    .where(and(eq(violations.id, id), eq(violations.regionId, p.regionId), eq(violations.status, "confirmed")));
}
