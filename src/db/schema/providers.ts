import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { HOSPITAL_LEVELS } from "../../payment/vocabulary";
import { createdAt } from "./columns";
import { regionRef } from "./regions";

export const hospitals = sqliteTable(
  "hospitals",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    name: text("name").notNull(),
    nameEn: text("name_en").notNull(),
    level: text("level", { enum: HOSPITAL_LEVELS }).notNull(),
    /** Hospital coefficient k_h in 1/10000 units; null means the level default of the parameter set. */
    coefficient: integer("coefficient"),
    createdAt: createdAt(),
  },
  (t) => [index("hospitals_region").on(t.regionId)],
);

/** Compact medical consortium (紧密型医联体 / 县域医共体). */
export const consortia = sqliteTable("consortia", {
  id: text("id").primaryKey(),
  regionId: regionRef(),
  name: text("name").notNull(),
  nameEn: text("name_en").notNull(),
  leadHospitalId: text("lead_hospital_id").references(() => hospitals.id),
  /** Insured residents of the catchment, the base of the per-capita entitlement. */
  catchmentPopulation: integer("catchment_population").notNull(),
  createdAt: createdAt(),
});

export const consortiumMembers = sqliteTable(
  "consortium_members",
  {
    consortiumId: text("consortium_id")
      .notNull()
      .references(() => consortia.id),
    hospitalId: text("hospital_id")
      .notNull()
      .references(() => hospitals.id),
  },
  (t) => [primaryKey({ columns: [t.consortiumId, t.hospitalId] })],
);

/**
 * Insured persons, pseudonymous. The catchment a person lives in decides whose
 * consortium budget their care is charged to (RULES.md §4).
 */
export const persons = sqliteTable(
  "persons",
  {
    id: text("id").primaryKey(),
    regionId: regionRef(),
    catchmentConsortiumId: text("catchment_consortium_id").references(() => consortia.id),
    createdAt: createdAt(),
  },
  (t) => [index("persons_catchment").on(t.catchmentConsortiumId)],
);
