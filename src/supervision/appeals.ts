/**
 * Appeals (申诉, RULES.md §8): a hospital appeals a confirmed violation or a
 * rejected or refused review within `appealDays` of the decision, with its
 * evidence (text, optionally references to files it holds); the agency upholds
 * or reverses with a reason. A reversal counts like a §7 decision: a violation
 * is reversed (its points restored), a review accepted with an approved cost
 * (within the cap). One appeal per decision: after it the decision is final.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Principal } from "../auth/principal";
import type { Database } from "../db/client";
import { appeals } from "../db/schema";
import { NotFoundProblem } from "../http/errors";
import { ConflictProblem } from "./errors";
import { epochDay } from "../payment/dates";
import { loadYearRules } from "../settlement/run-inputs";
import { hospitalScope } from "./case-episode";
import { decideReview, reviewVisibleTo } from "./reviews";
import { reverseViolation, violationVisibleTo } from "./violations";

export type AppealRow = typeof appeals.$inferSelect;

export interface AppealInput {
  subjectKind: AppealRow["subjectKind"];
  subjectId: string;
  evidence: string;
  files?: string[];
}

/** The decision appealed against: who it concerns, when it was made, and whether it can be appealed. */
async function appealable(db: Database, p: Principal, kind: AppealRow["subjectKind"], id: string) {
  if (kind === "violation") {
    const v = await violationVisibleTo(db, p, id);
    if (v.status !== "confirmed") throw new ConflictProblem(`Violation ${id} is ${v.status}; only a confirmed violation can be appealed.`);
    return { hospitalId: v.hospitalId, month: v.month, decidedAt: v.decidedAt };
  }
  const r = await reviewVisibleTo(db, p, id);
  if (r.status !== "rejected" && r.status !== "refused") throw new ConflictProblem(`Review request ${id} is ${r.status}; only a rejected or refused request can be appealed.`);
  return { hospitalId: r.hospitalId, month: r.month, decidedAt: r.decidedAt! };
}

export async function fileAppeal(db: Database, p: Principal, input: AppealInput): Promise<AppealRow> {
  const subject = await appealable(db, p, input.subjectKind, input.subjectId);
  const rules = await loadYearRules(db, p.regionId, Number(subject.month.slice(0, 4)));
  const days = rules.parameters.supervision.appealDays;
  const now = new Date().toISOString();
  if (epochDay(now.slice(0, 10)) - epochDay(subject.decidedAt.slice(0, 10)) > days) {
    throw new ConflictProblem(`The appeal window has closed: ${days} days (appealDays) from the decision of ${subject.decidedAt.slice(0, 10)}.`);
  }
  const id = crypto.randomUUID();
  try {
    await db.insert(appeals).values({ id, regionId: p.regionId, hospitalId: subject.hospitalId, subjectKind: input.subjectKind, subjectId: input.subjectId, evidence: input.evidence, files: input.files ?? [], status: "open", createdBy: p.keyId });
  } catch (err) {
    if (/UNIQUE constraint failed/i.test(`${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? "")}`)) {
      throw new ConflictProblem(`This ${input.subjectKind} decision was appealed already; after the appeal it is final (RULES.md §8).`);
    }
    throw err;
  }
  return (await db.query.appeals.findFirst({ where: eq(appeals.id, id) }))!;
}

export async function appealVisibleTo(db: Database, p: Principal, id: string): Promise<AppealRow> {
  const own = hospitalScope(p);
  const row = await db.query.appeals.findFirst({ where: and(eq(appeals.id, id), eq(appeals.regionId, p.regionId)) });
  if (!row || (own !== undefined && row.hospitalId !== own)) throw new NotFoundProblem(`No appeal ${id}.`);
  return row;
}

export async function listAppeals(db: Database, p: Principal, q: { status?: AppealRow["status"]; hospitalId?: string }) {
  const own = hospitalScope(p);
  if (own !== undefined && q.hospitalId !== undefined && q.hospitalId !== own) throw new NotFoundProblem(`No hospital ${q.hospitalId}.`);
  const hospitalId = own ?? q.hospitalId;
  return db
    .select()
    .from(appeals)
    .where(and(eq(appeals.regionId, p.regionId), q.status ? eq(appeals.status, q.status) : undefined, hospitalId ? eq(appeals.hospitalId, hospitalId) : undefined))
    .orderBy(desc(appeals.createdAt), desc(appeals.id))
    .limit(1000);
}

export async function decideAppeal(db: Database, p: Principal, id: string, d: { decision: "uphold" | "reverse"; reason: string; approvedFen?: number }): Promise<AppealRow> {
  const appeal = await appealVisibleTo(db, p, id);
  if (appeal.status !== "open") throw new ConflictProblem(`Appeal ${id} is ${appeal.status}; the decision is final.`);
  if (d.decision === "reverse") {
    if (appeal.subjectKind === "violation") await reverseViolation(db, p, appeal.subjectId, d.reason);
    else {
      if (d.approvedFen === undefined) throw new ConflictProblem("Reversing a review decision accepts the request: approvedFen is needed (RULES.md §7).");
      await decideReview(db, p, appeal.subjectId, { decision: "accept", approvedFen: d.approvedFen, reason: `[reversed on appeal ${id}] ${d.reason}` }, ["rejected", "refused"]);
    }
  }
  const [updated] = await db
    .update(appeals)
    .set({ status: d.decision === "reverse" ? "reversed" : "upheld", approvedFen: d.approvedFen ?? null, decisionReason: d.reason, decidedBy: p.keyId, decidedAt: new Date().toISOString() })
    .where(and(eq(appeals.id, id), eq(appeals.status, "open")))
    .returning();
  if (!updated) throw new ConflictProblem(`Appeal ${id} changed meanwhile.`);
  return updated;
}
