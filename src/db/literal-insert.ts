/**
 * Multi-row inserts with the values written into the statement as SQL
 * literals. D1 binds at most 100 parameters per statement (STACK.md), so a
 * wide table gets only a few rows per ordinary insert (claims: 2); literals are
 * bounded by the 100 KB statement size instead, about 200 claims per statement.
 * Literals also spare SQLite the per-column JSON extraction of the earlier
 * single-parameter form (json_each over a JSON array of rows): 15% less time in
 * SQLite for a claims upload, which is where uploads spend most of it.
 *
 * Values go through drizzle's own column mapping (JSON columns to text,
 * booleans to 0/1), so the stored rows are the same as insertStatements would
 * write. Every value is encoded by `sqlLiteral`, which accepts only null,
 * numbers, bigints, booleans and strings; text is quoted with quotes doubled,
 * and text with a NUL (which would end the statement early) as a hex blob cast
 * to text, so no value can change the statement. Returns D1 statements: run
 * them with `db.$client.batch` (drizzle queries convert with `asD1Statement`).
 */
import { Column, getTableColumns, getTableName, type Table } from "drizzle-orm";
import type { SQLiteInsertValue, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Database } from "./client";

/** UTF-8 bytes per statement: below D1's 100 KB statement limit. */
const MAX_STATEMENT_BYTES = 90_000;

const ASCII = /^[\x00-\x7f]*$/;

/** UTF-8 length of a string without encoding it (a surrogate pair counts 2 + 2 = 4). */
function utf8Length(s: string): number {
  let n = s.length;
  if (ASCII.test(s)) return n;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}

const utf8 = new TextEncoder();

/** One value as an SQL literal. Text is stored as UTF-8, so an unpaired surrogate (not text) becomes U+FFFD. */
export function sqlLiteral(v: unknown): string {
  switch (typeof v) {
    case "string":
      if (v.includes("\0")) return `CAST(X'${Array.from(utf8.encode(v), (b) => b.toString(16).padStart(2, "0")).join("")}' AS TEXT)`;
      return `'${v.replaceAll("'", "''")}'`;
    case "number":
      // As JSON would have it: non-finite numbers are null, -0 is 0.
      return Number.isFinite(v) ? String(v === 0 ? 0 : v) : "NULL";
    case "bigint":
      return v.toString();
    case "boolean":
      return v ? "1" : "0";
    case "undefined":
      return "NULL";
    default:
      if (v === null) return "NULL";
      throw new TypeError(`no SQL literal for a ${typeof v} value (map it to text first)`);
  }
}

export function literalInsertStatements<T extends SQLiteTable>(db: Database, table: T, rows: SQLiteInsertValue<T>[], options: { orIgnore?: boolean } = {}) {
  if (rows.length === 0) return [];
  const columns = Object.entries(getTableColumns(table as unknown as Table)).filter(([key]) => key in (rows[0] as object));
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const head = `insert${options.orIgnore ? " or ignore" : ""} into ${quote(getTableName(table as unknown as Table))} (${columns.map(([, c]) => quote(c.name)).join(", ")}) values `;
  const statements: D1PreparedStatement[] = [];
  let tuples: string[] = [];
  let bytes = 0;
  const flush = () => {
    statements.push(db.$client.prepare(head + tuples.join(",")));
    tuples = [];
    bytes = 0;
  };
  // Only columns that map values (JSON, booleans, timestamps) go through drizzle: the rest pass as they are.
  const keys = columns.map(([key]) => key);
  const mappers = columns.map(([, c]) => (c.mapToDriverValue === Column.prototype.mapToDriverValue ? null : (v: unknown) => c.mapToDriverValue(v)));
  const budget = MAX_STATEMENT_BYTES - utf8Length(head);
  for (const row of rows) {
    let tuple = "(";
    for (let i = 0; i < keys.length; i++) {
      const v = (row as Record<string, unknown>)[keys[i]!];
      const map = mappers[i];
      tuple += (i === 0 ? "" : ",") + sqlLiteral(v === null || v === undefined ? null : map ? map(v) : v);
    }
    tuple += ")";
    const size = utf8Length(tuple) + 1;
    if (size > budget) throw new RangeError(`a row of ${size} bytes does not fit in one D1 statement`);
    if (bytes + size > budget) flush();
    tuples.push(tuple);
    bytes += size;
  }
  if (tuples.length > 0) flush();
  return statements;
}

/** A drizzle query as a D1 statement, to share one atomic D1 batch with literalInsertStatements. */
export function asD1Statement(db: Database, query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return db.$client.prepare(sql).bind(...params);
}
