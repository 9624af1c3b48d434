import { sql } from "drizzle-orm";
import { text } from "drizzle-orm/sqlite-core";

/** Creation timestamp as ISO-8601 text, set by SQLite so every writer agrees. */
export const createdAt = () =>
  text("created_at")
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`);
