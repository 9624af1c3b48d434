import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export function openDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Database = ReturnType<typeof openDatabase>;

/**
 * D1 binds at most 100 parameters per statement (STACK.md): rows per
 * multi-row insert = floor(100 / bound columns per row).
 */
export const D1_MAX_BOUND_PARAMETERS = 100;

export function rowsPerInsert(boundColumnsPerRow: number): number {
  return Math.max(1, Math.floor(D1_MAX_BOUND_PARAMETERS / boundColumnsPerRow));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
