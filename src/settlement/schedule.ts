/**
 * The Cron trigger's job: on each region's `settlement_day` (UTC), start the
 * previous month's run. Idempotent: a region-period is skipped when it has a
 * running or approved run, or a completed run whose input hash equals the
 * inputs now (nothing changed since); a region without parameters or weights
 * for the period is skipped with the reason.
 */
import { and, eq, inArray } from "drizzle-orm";
import { openDatabase } from "../db/client";
import { regions, settlementRuns } from "../db/schema";
import type { Bindings } from "../env";
import { DomainError } from "../payment/errors";
import { claimWatermark, loadRunRules, snapshotRun } from "./run-inputs";
import { decisionsForRun } from "../supervision/run-decisions";
import { startRun } from "./runs";
import { EPISODES_PER_STEP } from "./run-workflow";

export interface ScheduleDecision {
  regionId: string;
  period: string;
  action: "started" | "skipped";
  reason: string;
  runId?: string;
}

export function previousMonth(at: Date): string {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth(); // 0-based: the previous month's 1-based number
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, "0")}`;
}

export async function startDueRuns(env: Bindings, at: Date): Promise<ScheduleDecision[]> {
  const db = openDatabase(env.DB);
  const period = previousMonth(at);
  const due = await db.select().from(regions).where(eq(regions.settlementDay, at.getUTCDate()));
  const decisions: ScheduleDecision[] = [];
  for (const region of due) {
    const skip = (reason: string) => decisions.push({ regionId: region.id, period, action: "skipped", reason });
    const runs = await db
      .select()
      .from(settlementRuns)
      .where(and(eq(settlementRuns.regionId, region.id), eq(settlementRuns.period, period), inArray(settlementRuns.status, ["running", "completed", "approved"])));
    if (runs.some((r) => r.status === "approved")) {
      skip("the period is approved");
      continue;
    }
    if (runs.some((r) => r.status === "running")) {
      skip("a run is in progress");
      continue;
    }
    try {
      const rules = await loadRunRules(db, region.id, period);
      const applied = await decisionsForRun(db, "", region.id, period);
      const { inputHash } = await snapshotRun(db, region.id, period, rules, await claimWatermark(db), EPISODES_PER_STEP, applied.hash);
      const same = runs.find((r) => r.status === "completed" && r.inputHash === inputHash);
      if (same) {
        skip(`run ${same.id} already settled these inputs`);
        continue;
      }
      const run = await startRun(db, env.SETTLEMENT_RUN, { regionId: region.id, period, createdBy: "cron", now: at });
      decisions.push({ regionId: region.id, period, action: "started", reason: "due", runId: run.id });
    } catch (err) {
      if (err instanceof DomainError) skip(err.message);
      else throw err;
    }
  }
  for (const d of decisions) console.log(JSON.stringify({ event: "scheduled-settlement", ...d }));
  return decisions;
}
