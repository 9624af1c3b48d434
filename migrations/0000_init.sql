CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`key_hash` text NOT NULL,
	`prefix` text NOT NULL,
	`role` text NOT NULL,
	`region_id` text NOT NULL,
	`hospital_id` text,
	`consortium_id` text,
	`label` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`consortium_id`) REFERENCES `consortia`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_key_hash_unique` ON `api_keys` (`key_hash`);--> statement-breakpoint
CREATE INDEX `api_keys_region` ON `api_keys` (`region_id`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`key_id` text,
	`role` text,
	`region_id` text,
	`tenant_id` text,
	`method` text NOT NULL,
	`path` text NOT NULL,
	`status` integer NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_region` ON `audit_log` (`region_id`,`at`);--> statement-breakpoint
CREATE TABLE `budget_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`year` integer NOT NULL,
	`kind` text NOT NULL,
	`holder_id` text NOT NULL,
	`entitlement_override_fen` integer,
	`advance_fen` integer DEFAULT 0 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `budget_accounts_holder` ON `budget_accounts` (`kind`,`holder_id`,`year`);--> statement-breakpoint
CREATE TABLE `budget_payments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` text NOT NULL,
	`period` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `budget_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `budget_payments_once` ON `budget_payments` (`account_id`,`period`,`kind`);--> statement-breakpoint
CREATE TABLE `claims` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` text NOT NULL,
	`claim_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`hospital_id` text NOT NULL,
	`person_id` text NOT NULL,
	`scheme` text NOT NULL,
	`ward_category` text NOT NULL,
	`admission_date` text NOT NULL,
	`discharge_date` text,
	`period_start` text,
	`period_end` text,
	`settlement_month` text NOT NULL,
	`sex` text,
	`age_years` integer,
	`age_days` integer,
	`birth_weight_grams` integer,
	`los_days` integer NOT NULL,
	`discharge_status` text,
	`principal_dx` text NOT NULL,
	`secondary_dx` text NOT NULL,
	`procedures` text NOT NULL,
	`total_cost_fen` integer NOT NULL,
	`patient_paid_fen` integer NOT NULL,
	`planned_readmission` integer DEFAULT false NOT NULL,
	`content_hash` text NOT NULL,
	`mdc` text,
	`adrg` text,
	`drg` text,
	`grouping_set_id` text,
	`grouping_version` text,
	`grouping_flags` text,
	`submitted_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `claims_version` ON `claims` (`region_id`,`claim_id`,`version`);--> statement-breakpoint
CREATE INDEX `claims_month` ON `claims` (`region_id`,`settlement_month`,`status`);--> statement-breakpoint
CREATE INDEX `claims_hospital` ON `claims` (`hospital_id`,`settlement_month`);--> statement-breakpoint
CREATE INDEX `claims_person` ON `claims` (`person_id`,`admission_date`);--> statement-breakpoint
CREATE TABLE `enrolments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` text NOT NULL,
	`enrolment_id` text NOT NULL,
	`version` integer NOT NULL,
	`status` text NOT NULL,
	`person_id` text NOT NULL,
	`contractor_id` text NOT NULL,
	`disease` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`content_hash` text NOT NULL,
	`submitted_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`contractor_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrolments_version` ON `enrolments` (`region_id`,`enrolment_id`,`version`);--> statement-breakpoint
CREATE INDEX `enrolments_contractor` ON `enrolments` (`contractor_id`,`status`);--> statement-breakpoint
CREATE TABLE `consortia` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`lead_hospital_id` text,
	`catchment_population` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lead_hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `consortium_members` (
	`consortium_id` text NOT NULL,
	`hospital_id` text NOT NULL,
	PRIMARY KEY(`consortium_id`, `hospital_id`),
	FOREIGN KEY (`consortium_id`) REFERENCES `consortia`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `hospitals` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`level` text NOT NULL,
	`coefficient` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `hospitals_region` ON `hospitals` (`region_id`);--> statement-breakpoint
CREATE TABLE `persons` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`catchment_consortium_id` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`catchment_consortium_id`) REFERENCES `consortia`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `persons_catchment` ON `persons` (`catchment_consortium_id`);--> statement-breakpoint
CREATE TABLE `drg_weights` (
	`region_id` text NOT NULL,
	`year` integer NOT NULL,
	`drg` text NOT NULL,
	`rw` integer NOT NULL,
	`avg_cost_fen` integer NOT NULL,
	`avg_los_tenths` integer NOT NULL,
	`adrg` text,
	`per_diem_ward` text,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `drg_weights_pk` ON `drg_weights` (`region_id`,`year`,`drg`);--> statement-breakpoint
CREATE TABLE `parameter_sets` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`region_id` text NOT NULL,
	`year` integer NOT NULL,
	`version` integer NOT NULL,
	`params` text NOT NULL,
	`note` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `parameter_sets_region_year_version` ON `parameter_sets` (`region_id`,`year`,`version`);--> statement-breakpoint
CREATE TABLE `regions` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`name_en` text NOT NULL,
	`definition_set_id` text NOT NULL,
	`settlement_day` integer DEFAULT 5 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `weight_tables` (
	`region_id` text NOT NULL,
	`year` integer NOT NULL,
	`avg_all_cost_fen` integer NOT NULL,
	`version` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`region_id`, `year`),
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `assessment_scores` (
	`region_id` text NOT NULL,
	`year` integer NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`score` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	PRIMARY KEY(`region_id`, `year`, `subject_kind`, `subject_id`),
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `clearings` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`year` integer NOT NULL,
	`kind` text NOT NULL,
	`subject_id` text,
	`parameter_set_id` integer,
	`input_hash` text NOT NULL,
	`result` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parameter_set_id`) REFERENCES `parameter_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `clearings_region` ON `clearings` (`region_id`,`year`,`kind`);--> statement-breakpoint
CREATE TABLE `settlement_episodes` (
	`run_id` text NOT NULL,
	`claim_row_id` integer NOT NULL,
	`hospital_id` text NOT NULL,
	`payment_class` text NOT NULL,
	`points` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`flags` text NOT NULL,
	`explanation` text,
	PRIMARY KEY(`run_id`, `claim_row_id`),
	FOREIGN KEY (`run_id`) REFERENCES `settlement_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `settlement_episodes_hospital` ON `settlement_episodes` (`run_id`,`hospital_id`);--> statement-breakpoint
CREATE TABLE `settlement_lines` (
	`run_id` text NOT NULL,
	`hospital_id` text NOT NULL,
	`points` integer NOT NULL,
	`points_by_class` text NOT NULL,
	`drg_episodes` integer NOT NULL,
	`per_diem_episodes` integer NOT NULL,
	`allocated_fen` integer NOT NULL,
	`patient_paid_fen` integer NOT NULL,
	`drg_fund_fen` integer NOT NULL,
	`per_diem_standard_fen` integer NOT NULL,
	`per_diem_fund_fen` integer NOT NULL,
	`deposit_fen` integer NOT NULL,
	`net_payable_fen` integer NOT NULL,
	`flags` text NOT NULL,
	PRIMARY KEY(`run_id`, `hospital_id`),
	FOREIGN KEY (`run_id`) REFERENCES `settlement_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `settlement_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`period` text NOT NULL,
	`status` text NOT NULL,
	`parameter_set_id` integer,
	`definition_set_id` text,
	`definition_version` text,
	`input_hash` text,
	`output_hash` text,
	`episodes_total` integer DEFAULT 0 NOT NULL,
	`episodes_done` integer DEFAULT 0 NOT NULL,
	`totals` text,
	`error` text,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	`completed_at` text,
	`approved_at` text,
	`approved_by` text,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parameter_set_id`) REFERENCES `parameter_sets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `settlement_runs_one_running` ON `settlement_runs` (`region_id`,`period`) WHERE status = 'running';--> statement-breakpoint
CREATE INDEX `settlement_runs_region` ON `settlement_runs` (`region_id`,`period`);