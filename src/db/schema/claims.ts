import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { RECORD_STATUSES, SCHEMES, WARD_CATEGORIES } from "../../payment/vocabulary";
import { createdAt } from "./columns";
import { hospitals } from "./providers";
import { regionRef } from "./regions";

/**
 * Inpatient claims. A claim id may arrive several times: identical content is
 * a no-op, changed content is a new version and the older one is marked
 * superseded, never deleted, so earlier settlement runs stay explainable.
 */
export const claims = sqliteTable(
  "claims",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    regionId: regionRef(),
    claimId: text("claim_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: RECORD_STATUSES }).notNull(),
    hospitalId: text("hospital_id")
      .notNull()
      .references(() => hospitals.id),
    personId: text("person_id").notNull(),
    scheme: text("scheme", { enum: SCHEMES }).notNull(),
    wardCategory: text("ward_category", { enum: WARD_CATEGORIES }).notNull(),
    admissionDate: text("admission_date").notNull(),
    /** Null for an interim claim of an ongoing stay. */
    dischargeDate: text("discharge_date"),
    periodStart: text("period_start"),
    periodEnd: text("period_end"),
    /** The month the claim is settled in: discharge month, or the interim period's month. */
    settlementMonth: text("settlement_month").notNull(),
    sex: text("sex"),
    ageYears: integer("age_years"),
    ageDays: integer("age_days"),
    birthWeightGrams: integer("birth_weight_grams"),
    losDays: integer("los_days").notNull(),
    dischargeStatus: text("discharge_status"),
    principalDx: text("principal_dx").notNull(),
    secondaryDx: text("secondary_dx", { mode: "json" }).notNull().$type<string[]>(),
    procedures: text("procedures", { mode: "json" }).notNull().$type<string[]>(),
    totalCostFen: integer("total_cost_fen").notNull(),
    patientPaidFen: integer("patient_paid_fen").notNull(),
    plannedReadmission: integer("planned_readmission", { mode: "boolean" }).notNull().default(false),
    contentHash: text("content_hash").notNull(),
    mdc: text("mdc"),
    adrg: text("adrg"),
    drg: text("drg"),
    groupingSetId: text("grouping_set_id"),
    groupingVersion: text("grouping_version"),
    groupingFlags: text("grouping_flags", { mode: "json" }).$type<string[]>(),
    submittedBy: text("submitted_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("claims_version").on(t.regionId, t.claimId, t.version),
    index("claims_month").on(t.regionId, t.settlementMonth, t.status),
    index("claims_hospital").on(t.hospitalId, t.settlementMonth),
    // The one index keyed by person, serving both settlement runs (a month's claims by person range,
    // src/settlement/run-inputs.ts) and the preview's readmission lookup (src/db/prior-stays.ts). Persons
    // arrive in random order, so each such index costs every insert a random B-tree descent; with two of
    // them, ingestion of a large month ran at half the speed.
    index("claims_region_person").on(t.regionId, t.personId, t.settlementMonth),
  ],
);

/** Outpatient special chronic disease enrolment (门诊慢特病) with a capitation contractor. */
export const enrolments = sqliteTable(
  "enrolments",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    regionId: regionRef(),
    enrolmentId: text("enrolment_id").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: RECORD_STATUSES }).notNull(),
    personId: text("person_id").notNull(),
    /** The hospital holding the capitation contract for this person. */
    contractorId: text("contractor_id")
      .notNull()
      .references(() => hospitals.id),
    disease: text("disease").notNull(),
    startDate: text("start_date").notNull(),
    endDate: text("end_date"),
    contentHash: text("content_hash").notNull(),
    submittedBy: text("submitted_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("enrolments_version").on(t.regionId, t.enrolmentId, t.version),
    index("enrolments_contractor").on(t.contractorId, t.status),
  ],
);
