import { and, desc, eq } from "drizzle-orm";
import type { Database } from "./client";
import { parameterSets } from "./schema";

/** The newest version of a region-year's parameter set, or undefined. */
export async function latestParameterSet(db: Database, regionId: string, year: number) {
  return db.query.parameterSets.findFirst({
    where: and(eq(parameterSets.regionId, regionId), eq(parameterSets.year, year)),
    orderBy: desc(parameterSets.version),
  });
}
