-- RULES.md §2: a final clearing is recorded once per region-year and account-year. Before this index a
-- second call recorded a second clearing; the first recorded one stays, the later copies go (security L5).
-- (Hand-corrected: drizzle-kit 0.31 quotes the coalesce() expression of the index as if it were a column.)
DELETE FROM `clearings` WHERE rowid NOT IN (SELECT min(rowid) FROM `clearings` GROUP BY `region_id`, `year`, `kind`, coalesce(`subject_id`, ''));--> statement-breakpoint
CREATE UNIQUE INDEX `clearings_once` ON `clearings` (`region_id`,`year`,`kind`,coalesce(`subject_id`, ''));
