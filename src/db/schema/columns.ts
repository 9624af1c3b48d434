import { sql } from "drizzle-orm";
import { text } from "drizzle-orm/sqlite-core";

/** Creation timestamp as ISO-8601 text, set by SQLite so every writer agrees. */
export const createdAt = () =>
  text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);

export const hospitalLevels = ["tertiary", "secondary", "primary"] as const;
export const wardCategories = ["acute", "psychiatric", "rehabilitation", "palliative"] as const;
export const schemes = ["employee", "resident"] as const;
export const roles = ["agency", "hospital", "consortium"] as const;
export const recordStatuses = ["current", "superseded"] as const;
