import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export function openDatabase(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Database = ReturnType<typeof openDatabase>;

const perBinding = new WeakMap<D1Database, Database>();

/**
 * The drizzle instance of a D1 binding, made once per isolate: building the
 * relational-query config from the schema costs ~70 µs, more than a whole
 * payment preview, and the instance holds no per-request state.
 */
export function databaseFor(d1: D1Database): Database {
  let db = perBinding.get(d1);
  if (!db) {
    db = openDatabase(d1);
    perBinding.set(d1, db);
  }
  return db;
}

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
