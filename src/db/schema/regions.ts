import { integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { WARD_CATEGORIES } from "../../payment/vocabulary";
import { createdAt } from "./columns";

/** Pooling region (统筹区): the unit that owns a budget, parameters and a grouping set. */
export const regions = sqliteTable("regions", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  nameEn: text("name_en").notNull(),
  /** Grouping definition set used for this region's claims (a bundled set id). */
  definitionSetId: text("definition_set_id").notNull(),
  /** Day of the month on which the Cron trigger settles the previous month. */
  settlementDay: integer("settlement_day").notNull().default(5),
  createdAt: createdAt(),
});

/** The owning pooling region of a row: every tenant-scoped table has one. */
export const regionRef = () =>
  text("region_id")
    .notNull()
    .references(() => regions.id);

/**
 * Versioned rule parameters of a region-year (RULES.md: budgets, coefficients,
 * thresholds, per-diem tables, quotas, tiers). Never updated in place: a change
 * is a new version, so every settlement run can name exactly what it used.
 * `params` is validated by the payment module's schema before it is stored.
 */
export const parameterSets = sqliteTable(
  "parameter_sets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    regionId: regionRef(),
    year: integer("year").notNull(),
    version: integer("version").notNull(),
    params: text("params", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    note: text("note"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("parameter_sets_region_year_version").on(t.regionId, t.year, t.version)],
);

/**
 * The header of a region-year's DRG weight table: the all-case average cost
 * avgAll that prices ungroupable cases (RULES.md §1). The rows are drg_weights.
 */
export const weightTables = sqliteTable(
  "weight_tables",
  {
    regionId: regionRef(),
    year: integer("year").notNull(),
    avgAllCostFen: integer("avg_all_cost_fen").notNull(),
    /** Which published weight table this is, e.g. "demo-2026.1". */
    version: text("version").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.year] })],
);

/** Regional DRG weights (RW, average cost, LOS) for one region-year: payment data, not grouping data. */
export const drgWeights = sqliteTable(
  "drg_weights",
  {
    regionId: regionRef(),
    year: integer("year").notNull(),
    drg: text("drg").notNull(),
    /** Relative weight in 1/10000 units (RW 1.2000 → 12000). */
    rw: integer("rw").notNull(),
    avgCostFen: integer("avg_cost_fen").notNull(),
    /** Average length of stay in tenths of a day. */
    avgLosTenths: integer("avg_los_tenths").notNull(),
    /** The DRG's ADRG, for the same-ADRG readmission rule. */
    adrg: text("adrg"),
    /** When set, the DRG is paid per bed day with this ward category's rate table (RULES.md §3). */
    perDiemWard: text("per_diem_ward", { enum: WARD_CATEGORIES }),
  },
  (t) => [uniqueIndex("drg_weights_pk").on(t.regionId, t.year, t.drg)],
);
