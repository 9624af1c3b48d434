/**
 * Starting, reading and approving settlement runs. One run per region-period
 * may be in progress (partial unique index); once a period has an approved
 * run it is closed: approved runs are immutable and no new run of that period
 * may start (409) — corrections reach the next month (RULES.md §1: a settled
 * month is never reopened) or the annual clearing.
 */
import { and, desc, eq, inArray, like } from "drizzle-orm";
import type { Database } from "../db/client";
import { isUniqueViolation } from "../db/unique-violation";
import { settlementRuns } from "../db/schema";
import { assertMonthEnded, assertRunHasEpisodes } from "./month-edges";
import { FINISHED_RUN_STATUSES } from "../payment/vocabulary";
import { DomainError } from "../payment/errors";
import type { SettlementRunParams } from "./run-workflow";

export type RunRow = typeof settlementRuns.$inferSelect;

export async function approvedRunOf(db: Database, regionId: string, period: string) {
  return db.query.settlementRuns.findFirst({
    where: and(eq(settlementRuns.regionId, regionId), eq(settlementRuns.period, period), eq(settlementRuns.status, "approved")),
  });
}

/** Periods of `year` with an approved run, in order. */
export async function approvedPeriodsOf(db: Database, regionId: string, year: number): Promise<string[]> {
  const rows = await db
    .select({ period: settlementRuns.period })
    .from(settlementRuns)
    .where(and(eq(settlementRuns.regionId, regionId), eq(settlementRuns.status, "approved"), like(settlementRuns.period, `${year}-%`)))
    .orderBy(settlementRuns.period);
  return rows.map((r) => r.period);
}

export async function startRun(db: Database, workflow: Workflow<SettlementRunParams>, input: { regionId: string; period: string; createdBy: string; now: Date }): Promise<RunRow> {
  assertMonthEnded(input.period, input.now);
  if (await approvedRunOf(db, input.regionId, input.period)) {
    throw new DomainError("period-closed", `${input.regionId} ${input.period} has an approved run; an approved period is closed to new runs.`);
  }
  const id = crypto.randomUUID();
  try {
    await db.insert(settlementRuns).values({ id, regionId: input.regionId, period: input.period, status: "running", createdBy: input.createdBy });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError("run-in-progress", `A run of ${input.regionId} ${input.period} is already in progress.`);
    throw err;
  }
  try {
    await workflow.create({ id, params: { runId: id } });
  } catch (err) {
    await db.update(settlementRuns).set({ status: "failed", error: `could not start the workflow: ${(err as Error).message}` }).where(eq(settlementRuns.id, id));
    throw err;
  }
  return (await db.query.settlementRuns.findFirst({ where: eq(settlementRuns.id, id) }))!;
}

export async function runInRegion(db: Database, regionId: string, runId: string): Promise<RunRow> {
  const run = await db.query.settlementRuns.findFirst({ where: and(eq(settlementRuns.id, runId), eq(settlementRuns.regionId, regionId)) });
  if (!run) throw new DomainError("not-found", `No settlement run ${runId}.`);
  return run;
}

export async function listRuns(db: Database, regionId: string, period?: string) {
  return db
    .select()
    .from(settlementRuns)
    .where(and(eq(settlementRuns.regionId, regionId), period ? eq(settlementRuns.period, period) : undefined))
    .orderBy(desc(settlementRuns.createdAt), desc(settlementRuns.id));
}

/** Freezes a completed run. Approving twice (`period-closed`), or a run that is not completed (`run-not-completed`), is refused. */
export async function approveRun(db: Database, regionId: string, runId: string, approvedBy: string): Promise<RunRow> {
  const run = await runInRegion(db, regionId, runId);
  if (run.status !== "completed") throw new DomainError("run-not-completed", `Run ${runId} is ${run.status}; only a completed run can be approved.`);
  assertRunHasEpisodes(run);
  if (await approvedRunOf(db, regionId, run.period)) throw new DomainError("period-closed", `${regionId} ${run.period} already has an approved run.`);
  const [updated] = await db
    .update(settlementRuns)
    .set({ status: "approved", approvedAt: new Date().toISOString(), approvedBy })
    .where(and(eq(settlementRuns.id, runId), eq(settlementRuns.status, "completed")))
    .returning()
    .catch((err: unknown) => {
      // Another run of the period was approved between the check above and this write (partial unique index).
      if (isUniqueViolation(err)) throw new DomainError("period-closed", `${regionId} ${run.period} already has an approved run.`);
      throw err;
    });
  if (!updated) throw new DomainError("run-not-completed", `Run ${runId} changed status meanwhile; only a completed run can be approved.`);
  return updated;
}

export const finishedStatuses = inArray(settlementRuns.status, [...FINISHED_RUN_STATUSES]);
