import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { ROLES } from "../../payment/vocabulary";
import { createdAt } from "./columns";
import { consortia, hospitals } from "./providers";
import { regionRef } from "./regions";

/**
 * API keys. Only a SHA-256 of the key is stored: keys are 256-bit random, so a
 * fast hash is as safe as a slow one and keeps authentication to one lookup.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    keyHash: text("key_hash").notNull().unique(),
    /** The first characters of the key, to recognise it in lists. */
    prefix: text("prefix").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    regionId: regionRef(),
    hospitalId: text("hospital_id").references(() => hospitals.id),
    consortiumId: text("consortium_id").references(() => consortia.id),
    label: text("label").notNull(),
    createdAt: createdAt(),
    revokedAt: text("revoked_at"),
  },
  (t) => [index("api_keys_region").on(t.regionId)],
);

/** Who wrote what, when: one row per write request, whatever its outcome. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: text("at").notNull(),
    keyId: text("key_id"),
    role: text("role"),
    regionId: text("region_id"),
    tenantId: text("tenant_id"),
    method: text("method").notNull(),
    path: text("path").notNull(),
    status: integer("status").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_region").on(t.regionId, t.at)],
);
