import { getTableColumns, type Table } from "drizzle-orm";
import type { SQLiteInsertValue, SQLiteTable } from "drizzle-orm/sqlite-core";
import { chunk, type Database, rowsPerInsert } from "./client";

/**
 * Multi-row inserts sized to D1's 100-bound-parameter limit, all in one atomic
 * batch (STACK.md: no transactions on D1; a batch rolls back as a whole).
 */
export function insertStatements<T extends SQLiteTable>(db: Database, table: T, rows: SQLiteInsertValue<T>[]) {
  const columns = Object.keys(getTableColumns(table as unknown as Table)).length;
  return chunk(rows, rowsPerInsert(columns)).map((part) => db.insert(table).values(part));
}

/** Runs statements in atomic batches; D1 rejects an empty batch, so none is sent then. */
export async function runBatch(db: Database, statements: Parameters<Database["batch"]>[0][number][]) {
  if (statements.length === 0) return;
  await db.batch(statements as unknown as Parameters<Database["batch"]>[0]);
}
