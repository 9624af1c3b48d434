import { env } from "cloudflare:test";
import { asc } from "drizzle-orm";
import { integer, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client";
import { literalInsertStatements, sqlLiteral } from "../../src/db/literal-insert";

/** A table of every kind of column the Worker inserts, created for this file only. */
const scratch = sqliteTable("literal_insert_scratch", {
  id: integer("id").primaryKey(),
  label: text("label"),
  amount: integer("amount"),
  ratio: real("ratio"),
  flag: integer("flag", { mode: "boolean" }),
  tags: text("tags", { mode: "json" }).$type<string[]>(),
});
type Row = typeof scratch.$inferInsert;

const db = openDatabase(env.DB);

beforeAll(async () => {
  await env.DB.exec("CREATE TABLE IF NOT EXISTS literal_insert_scratch (id integer PRIMARY KEY, label text, amount integer, ratio real, flag integer, tags text)");
});

async function roundTrip(rows: Row[]): Promise<{ statements: number; stored: (typeof scratch.$inferSelect)[] }> {
  await env.DB.exec("DELETE FROM literal_insert_scratch");
  const statements = literalInsertStatements(db, scratch, rows);
  if (statements.length > 0) await env.DB.batch(statements);
  return { statements: statements.length, stored: await db.select().from(scratch).orderBy(asc(scratch.id)) };
}

const full = (r: Row) => ({ id: r.id, label: r.label ?? null, amount: r.amount ?? null, ratio: r.ratio ?? null, flag: r.flag ?? null, tags: r.tags ?? null });

describe("literal multi-row inserts", () => {
  it("store text exactly, whatever quotes, NULs, newlines or SQL it holds", async () => {
    const labels = ["it's", "''", "'); DROP TABLE claims; --", "a\0b", "\0", 'say "hi"\n\tback\\slash', "病案首页 🏥", "", "X'00'", "NULL"];
    const rows = labels.map((label, id) => ({ id, label, amount: 1 - id * 1_000, ratio: id / 3, flag: id % 2 === 0, tags: [label, "x"] }));
    const { stored } = await roundTrip(rows);
    expect(stored).toEqual(rows.map(full));
  });

  it("round-trip arbitrary rows and split them over statements below D1's size limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            label: fc.option(fc.string({ unit: fc.oneof(fc.constantFrom("'", "\0", "\n", '"', "\\"), fc.string({ unit: "grapheme", maxLength: 1 })), maxLength: 40 })),
            amount: fc.option(fc.maxSafeInteger().map((n) => n - Number.MAX_SAFE_INTEGER / 2)),
            ratio: fc.option(fc.double({ noNaN: true, noDefaultInfinity: true })),
            flag: fc.option(fc.boolean()),
            tags: fc.option(fc.array(fc.string({ unit: "grapheme", maxLength: 8 }), { maxLength: 4 })),
          }),
          { maxLength: 30 },
        ),
        async (records) => {
          const rows = records.map((r, id) => ({ id, ...r }));
          const { stored } = await roundTrip(rows);
          expect(stored).toEqual(rows.map((r) => ({ ...full(r), ratio: r.ratio === null ? null : r.ratio === 0 ? 0 : r.ratio })));
        },
      ),
      { numRuns: 40 },
    );
    const big = Array.from({ length: 600 }, (_, id) => ({ id, label: "病".repeat(200) + id }));
    const { statements, stored } = await roundTrip(big);
    expect(statements).toBeGreaterThan(4); // 600 × ~600 UTF-8 bytes
    expect(stored.map((r) => r.label)).toEqual(big.map((r) => r.label));
  });

  it("refuse values that have no literal instead of writing something else", () => {
    expect(() => sqlLiteral({ a: 1 })).toThrow(TypeError);
    expect(sqlLiteral(Number.NaN)).toBe("NULL");
    expect(sqlLiteral(-0)).toBe("0");
    expect(sqlLiteral(12n)).toBe("12");
  });
});
