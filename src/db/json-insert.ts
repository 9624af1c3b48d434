/**
 * Multi-row inserts that bind ONE parameter: the rows as a JSON array of
 * arrays, expanded by SQLite's json_each. D1 binds at most 100 parameters per
 * statement (STACK.md), so a wide table gets only a few rows per ordinary
 * insert (claims: 2); this form is bounded by the 100 KB statement size
 * instead, about 150 claims per statement. Values go through drizzle's own
 * column mapping (JSON columns to text, booleans to 0/1), so the stored rows
 * are the same as insertStatements would write. Returns D1 statements: run
 * them with `db.$client.batch` (drizzle queries convert with `asD1Statement`).
 */
import { Column, getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { SQLiteInsertValue, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

/** Bytes of row JSON per statement: below D1's 100 KB statement limit with room for the SQL text. */
const MAX_JSON_BYTES = 80_000;

/** UTF-8 length of a string without encoding it (a surrogate pair counts 2 + 2 = 4). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

export function jsonInsertStatements<T extends SQLiteTable>(db: Database, table: T, rows: SQLiteInsertValue<T>[], options: { orIgnore?: boolean } = {}) {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table as unknown as Table)).filter(([key]) => key in (rows[0] as object));
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const text = `insert${options.orIgnore ? " or ignore" : ""} into ${quote(getTableName(table as unknown as Table))} (${columns.map(([, c]) => quote(c.name)).join(", ")}) select ${columns.map((_, i) => `json_extract(value, '$[${i}]')`).join(", ")} from json_each(?)`;
  const statements: D1PreparedStatement[] = [];
  let part: string[] = [];
  let bytes = 0;
  const flush = () => {
    const json = `[${part.join(",")}]`;
    statements.push(db.$client.prepare(text).bind(json));
    part = [];
    bytes = 0;
  };
  // Only columns that map values (JSON, booleans, timestamps) go through drizzle: the rest pass as they are.
  const keys = columns.map(([key]) => key);
  const mappers = columns.map(([, c]) => (c.mapToDriverValue === Column.prototype.mapToDriverValue ? null : (v: unknown) => c.mapToDriverValue(v)));
  for (const row of rows) {
    const values = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const v = (row as Record<string, unknown>)[keys[i]!];
      const map = mappers[i];
      values[i] = v === null || v === undefined ? null : map ? map(v) : v;
    }
    const encoded = JSON.stringify(values);
    const size = utf8Length(encoded);
    if (bytes + size > MAX_JSON_BYTES && part.length > 0) flush();
    part.push(encoded);
    bytes += size + 1;
  }
  if (part.length > 0) flush();
  return statements;
}

/** A drizzle query as a D1 statement, to share one atomic D1 batch with jsonInsertStatements. */
export function asD1Statement(db: Database, query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return db.$client.prepare(sql).bind(...params);
}
