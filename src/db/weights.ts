import { and, asc, eq } from "drizzle-orm";
import type { DrgWeightTable } from "../payment";
import type { Database } from "./client";
import { drgWeights, weightTables } from "./schema";

/**
 * A region-year's DRG weight table in the payment rules' shape, or undefined
 * when the region has none for that year. The one place that reads weights.
 */
export async function loadWeightTable(db: Database, regionId: string, year: number): Promise<DrgWeightTable | undefined> {
  const [header] = await db
    .select()
    .from(weightTables)
    .where(and(eq(weightTables.regionId, regionId), eq(weightTables.year, year)));
  if (!header) return undefined;
  const rows = await db
    .select()
    .from(drgWeights)
    .where(and(eq(drgWeights.regionId, regionId), eq(drgWeights.year, year)))
    .orderBy(asc(drgWeights.drg));
  return {
    version: header.version,
    avgAllCost: header.avgAllCostFen,
    drgs: rows.map((r) => ({
      drg: r.drg,
      rw: r.rw,
      avgCost: r.avgCostFen,
      ...(r.adrg ? { adrg: r.adrg } : {}),
      ...(r.perDiemWard ? { perDiem: r.perDiemWard } : {}),
    })),
  };
}

/** The stored weight rows of a region-year (with the average LOS the payment shape leaves out), by DRG. */
export async function weightRowsOf(db: Database, regionId: string, year: number) {
  const rows = await db
    .select()
    .from(drgWeights)
    .where(and(eq(drgWeights.regionId, regionId), eq(drgWeights.year, year)));
  return new Map(rows.map((r) => [r.drg, r]));
}
