import { env } from "cloudflare:test";
import { openDatabase } from "../../src/db/client";
import * as schema from "../../src/db/schema";

/**
 * Marks months of a region's year approved straight in D1, as approved runs with no statement lines (nothing
 * paid that month): what a year-end test needs so that its clearing is final (RULES.md §2) without settling
 * twelve months of claims. Months that already have an approved run are left alone.
 */
export async function markMonthsApproved(regionId: string, year: number, months = Array.from({ length: 12 }, (_, i) => i + 1)): Promise<void> {
  const db = openDatabase(env.DB);
  const approved = new Set(
    (await db.query.settlementRuns.findMany({ where: (r, { and, eq }) => and(eq(r.regionId, regionId), eq(r.status, "approved")) })).map((r) => r.period),
  );
  const periods = months.map((m) => `${year}-${String(m).padStart(2, "0")}`).filter((p) => !approved.has(p));
  if (periods.length === 0) return;
  const at = new Date().toISOString();
  // One row per statement: D1 binds at most 100 variables per query.
  for (const period of periods) {
    await db.insert(schema.settlementRuns).values({ id: `${regionId}-approved-${period}`, regionId, period, status: "approved", episodesTotal: 1, episodesDone: 1, totals: {}, completedAt: at, approvedAt: at, approvedBy: "test" });
  }
}
