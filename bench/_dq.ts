import { drizzle } from "drizzle-orm/d1";
import { eq } from "drizzle-orm";
import * as schema from "../src/db/schema";
const db = drizzle({} as any, { schema });
for (const table of ["regions", "apiKeys", "settlementRuns"] as const) {
  let t = performance.now();
  for (let i = 0; i < 5; i++) (db.query as any)[table].findFirst({ where: eq((schema as any)[table].id, "x") }).toSQL();
  console.log(table, ((performance.now() - t) / 5).toFixed(2), "ms per toSQL");
}
