-- Hand edit of the copy below: rows of earlier runs predate steps and are unique by claim row already, so they all
-- take step 0, and their patient paid is what allocation used to join from claims.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_settlement_episodes` (
	`run_id` text NOT NULL,
	`step` integer NOT NULL,
	`claim_row_id` integer NOT NULL,
	`hospital_id` text NOT NULL,
	`payment_class` text NOT NULL,
	`points` integer NOT NULL,
	`amount_fen` integer NOT NULL,
	`patient_paid_fen` integer NOT NULL,
	`flags` text NOT NULL,
	`explanation` text,
	PRIMARY KEY(`run_id`, `step`, `claim_row_id`),
	FOREIGN KEY (`run_id`) REFERENCES `settlement_runs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_settlement_episodes`("run_id", "step", "claim_row_id", "hospital_id", "payment_class", "points", "amount_fen", "patient_paid_fen", "flags", "explanation") SELECT e."run_id", 0, e."claim_row_id", e."hospital_id", e."payment_class", e."points", e."amount_fen", CASE WHEN e."payment_class" IN ('adjustment', 'review') THEN 0 ELSE c."patient_paid_fen" END, e."flags", e."explanation" FROM `settlement_episodes` e JOIN `claims` c ON c."id" = e."claim_row_id";--> statement-breakpoint
DROP TABLE `settlement_episodes`;--> statement-breakpoint
ALTER TABLE `__new_settlement_episodes` RENAME TO `settlement_episodes`;--> statement-breakpoint
PRAGMA foreign_keys=ON;