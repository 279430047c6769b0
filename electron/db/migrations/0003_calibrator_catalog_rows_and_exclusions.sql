CREATE TABLE `calibrator_catalog_rows` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`kind` text NOT NULL,
	`row_key` text NOT NULL,
	`name` text NOT NULL,
	`ra_deg` real NOT NULL,
	`dec_deg` real NOT NULL,
	`row_json` text NOT NULL,
	`source_file` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calibrator_catalog_rows_kind_key_unique` ON `calibrator_catalog_rows` (`kind`,`row_key`);--> statement-breakpoint
CREATE TABLE `calibrator_exclusions` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`target_id` text NOT NULL,
	`star_key` text NOT NULL,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `calibrator_exclusions_target_idx` ON `calibrator_exclusions` (`target_id`);--> statement-breakpoint
CREATE TABLE `calibrator_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`kind` text NOT NULL,
	`file_name` text NOT NULL,
	`row_count` integer NOT NULL,
	`imported_at_ms` integer NOT NULL
);
