import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { CLEARING_KINDS, PAYMENT_CLASSES, RUN_STATUSES, SCORE_SUBJECTS } from "../../payment/vocabulary";
import { createdAt } from "./columns";
import { hospitals } from "./providers";
import { parameterSets, regionRef } from "./regions";

/** A monthly pre-settlement run (月度预结算) of one region-period. */
export const settlementRuns = sqliteTable(
  "settlement_runs",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    period: text("period").notNull(),
    status: text("status", { enum: RUN_STATUSES }).notNull(),
    parameterSetId: integer("parameter_set_id").references(() => parameterSets.id),
    definitionSetId: text("definition_set_id"),
    definitionVersion: text("definition_version"),
    inputHash: text("input_hash"),
    outputHash: text("output_hash"),
    episodesTotal: integer("episodes_total").notNull().default(0),
    episodesDone: integer("episodes_done").notNull().default(0),
    totals: text("totals", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error"),
    createdBy: text("created_by"),
    createdAt: createdAt(),
    completedAt: text("completed_at"),
    approvedAt: text("approved_at"),
    approvedBy: text("approved_by"),
  },
  (t) => [
    // Only one run of a region-period may be in progress at a time.
    uniqueIndex("settlement_runs_one_running")
      .on(t.regionId, t.period)
      .where(sql`status = 'running'`),
    // An approved month is closed: two approvals racing for one period cannot both land.
    uniqueIndex("settlement_runs_one_approved")
      .on(t.regionId, t.period)
      .where(sql`status = 'approved'`),
    index("settlement_runs_region").on(t.regionId, t.period),
  ],
);

/** A hospital's statement line in a run. */
export const settlementLines = sqliteTable(
  "settlement_lines",
  {
    runId: text("run_id")
      .notNull()
      .references(() => settlementRuns.id),
    hospitalId: text("hospital_id")
      .notNull()
      .references(() => hospitals.id),
    /** Total DRG points in 1/10000 units. */
    points: integer("points").notNull(),
    pointsByClass: text("points_by_class", { mode: "json" }).notNull().$type<Record<string, number>>(),
    drgEpisodes: integer("drg_episodes").notNull(),
    perDiemEpisodes: integer("per_diem_episodes").notNull(),
    allocatedFen: integer("allocated_fen").notNull(),
    patientPaidFen: integer("patient_paid_fen").notNull(),
    drgFundFen: integer("drg_fund_fen").notNull(),
    perDiemStandardFen: integer("per_diem_standard_fen").notNull(),
    perDiemFundFen: integer("per_diem_fund_fen").notNull(),
    depositFen: integer("deposit_fen").notNull(),
    netPayableFen: integer("net_payable_fen").notNull(),
    flags: text("flags", { mode: "json" }).notNull().$type<Record<string, number>>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.hospitalId] })],
);

/**
 * Each priced episode of a run, with the class and the numbers that decided it.
 * Keyed by the pricing step that wrote it first: a step's rows then land next to
 * the previous step's, where a key of claim row ids alone scattered every step's
 * rows over the whole index (a million-claim run spent half its time there). A
 * retried step rewrites the same keys, so its rows are still written once.
 */
export const settlementEpisodes = sqliteTable(
  "settlement_episodes",
  {
    runId: text("run_id")
      .notNull()
      .references(() => settlementRuns.id),
    step: integer("step").notNull(),
    claimRowId: integer("claim_row_id").notNull(),
    hospitalId: text("hospital_id").notNull(),
    paymentClass: text("payment_class", { enum: PAYMENT_CLASSES }).notNull(),
    points: integer("points").notNull(),
    amountFen: integer("amount_fen").notNull(),
    /** Patient paid counted on this row (see PricedRow): kept here so allocation sums one table. */
    patientPaidFen: integer("patient_paid_fen").notNull(),
    flags: text("flags", { mode: "json" }).notNull().$type<string[]>(),
    explanation: text("explanation", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.step, t.claimRowId] })],
);

/** Annual assessment score (考核得分) of a hospital, consortium or capitation contractor. */
export const assessmentScores = sqliteTable(
  "assessment_scores",
  {
    regionId: regionRef(),
    year: integer("year").notNull(),
    subjectKind: text("subject_kind", { enum: SCORE_SUBJECTS }).notNull(),
    subjectId: text("subject_id").notNull(),
    score: integer("score").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.regionId, t.year, t.subjectKind, t.subjectId] })],
);

/** A recorded year-end clearing (年终清算); the result is kept whole for audit. */
export const clearings = sqliteTable(
  "clearings",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    year: integer("year").notNull(),
    kind: text("kind", { enum: CLEARING_KINDS }).notNull(),
    subjectId: text("subject_id"),
    parameterSetId: integer("parameter_set_id").references(() => parameterSets.id),
    inputHash: text("input_hash").notNull(),
    result: text("result", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [
    index("clearings_region").on(t.regionId, t.year, t.kind),
    // RULES.md §2: the final clearing is recorded once per region-year (DRG) and per account-year; two
    // concurrent clearings cannot both land (security review L5). A DRG clearing has no subject.
    uniqueIndex("clearings_once").on(t.regionId, t.year, t.kind, sql`coalesce(${t.subjectId}, '')`),
  ],
);
