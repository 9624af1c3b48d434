CREATE TABLE `appeals` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`hospital_id` text NOT NULL,
	`subject_kind` text NOT NULL,
	`subject_id` text NOT NULL,
	`evidence` text NOT NULL,
	`files` text NOT NULL,
	`status` text NOT NULL,
	`approved_fen` integer,
	`decision_reason` text,
	`decided_by` text,
	`decided_at` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `appeals_one_per_decision` ON `appeals` (`subject_kind`,`subject_id`);--> statement-breakpoint
CREATE INDEX `appeals_region` ON `appeals` (`region_id`,`status`);--> statement-breakpoint
CREATE TABLE `run_decisions` (
	`run_id` text NOT NULL,
	`claim_id` text NOT NULL,
	`hospital_id` text NOT NULL,
	`month` text NOT NULL,
	`mode` text NOT NULL,
	`decisions` text NOT NULL,
	`points_delta` integer,
	PRIMARY KEY(`run_id`, `claim_id`),
	FOREIGN KEY (`run_id`) REFERENCES `settlement_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `special_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`hospital_id` text NOT NULL,
	`claim_id` text NOT NULL,
	`month` text NOT NULL,
	`reason` text NOT NULL,
	`claimed_fen` integer NOT NULL,
	`status` text NOT NULL,
	`approved_fen` integer,
	`decision_reason` text,
	`decided_by` text,
	`decided_at` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `special_reviews_one_live` ON `special_reviews` (`region_id`,`claim_id`) WHERE status in ('open', 'accepted');--> statement-breakpoint
CREATE INDEX `special_reviews_month` ON `special_reviews` (`region_id`,`month`,`hospital_id`,`status`);--> statement-breakpoint
CREATE TABLE `supervision_flags` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`hospital_id` text NOT NULL,
	`claim_id` text,
	`month` text NOT NULL,
	`rule` text NOT NULL,
	`subject` text NOT NULL,
	`parameters` text NOT NULL,
	`evidence` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`source` text NOT NULL,
	`decision_reason` text,
	`decided_by` text,
	`decided_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `supervision_flags_subject` ON `supervision_flags` (`region_id`,`month`,`rule`,`subject`);--> statement-breakpoint
CREATE INDEX `supervision_flags_queue` ON `supervision_flags` (`region_id`,`month`,`hospital_id`,`rule`,`status`);--> statement-breakpoint
CREATE TABLE `violations` (
	`id` text PRIMARY KEY NOT NULL,
	`region_id` text NOT NULL,
	`hospital_id` text NOT NULL,
	`claim_id` text NOT NULL,
	`month` text NOT NULL,
	`flag_id` text,
	`kind` text NOT NULL,
	`serious` integer DEFAULT false NOT NULL,
	`corrected_drg` text,
	`reason` text NOT NULL,
	`status` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`decided_by` text NOT NULL,
	`decided_at` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`region_id`) REFERENCES `regions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`hospital_id`) REFERENCES `hospitals`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`flag_id`) REFERENCES `supervision_flags`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `violations_one_confirmed` ON `violations` (`region_id`,`claim_id`) WHERE status = 'confirmed';--> statement-breakpoint
CREATE INDEX `violations_month` ON `violations` (`region_id`,`month`,`hospital_id`);