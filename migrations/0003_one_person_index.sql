DROP INDEX `claims_month_person`;--> statement-breakpoint
DROP INDEX `claims_person`;--> statement-breakpoint
CREATE INDEX `claims_region_person` ON `claims` (`region_id`,`person_id`,`settlement_month`);