CREATE TABLE `bad_calibrators` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`name` text NOT NULL,
	`hd` text,
	`hip` text,
	`ra_deg` real,
	`dec_deg` real,
	`night` text,
	`reason` text NOT NULL,
	`source` text DEFAULT 'local' NOT NULL
);
--> statement-breakpoint
CREATE TABLE `calibrator_associations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`target_id` text NOT NULL,
	`calibrator_name` text NOT NULL,
	`hd` text,
	`hip` text,
	`ra_deg` real NOT NULL,
	`dec_deg` real NOT NULL,
	`vmag` real,
	`udd_mas` real,
	`udd_err_mas` real,
	`kind` text DEFAULT 'secondary' NOT NULL,
	`source` text,
	`is_pinned` integer DEFAULT false NOT NULL,
	`notes` text,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `calibrator_associations_target_idx` ON `calibrator_associations` (`target_id`);--> statement-breakpoint
CREATE TABLE `change_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`op` text NOT NULL,
	`patch_json` text NOT NULL,
	`at_ms` integer NOT NULL,
	`is_pushed` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE INDEX `change_log_entity_idx` ON `change_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `data_products` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`path` text NOT NULL,
	`level` text NOT NULL,
	`night` text,
	`target_id` text,
	`file_target_name` text,
	`quality_level` integer,
	`review_comment` text,
	`reviewer` text,
	`reviewed_at_ms` integer,
	`file_size_bytes` integer,
	`file_mtime_ms` integer,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `data_products_path_unique` ON `data_products` (`path`);--> statement-breakpoint
CREATE TABLE `memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`target_id` text NOT NULL,
	`programme_id` text NOT NULL,
	`pi_id` text,
	`pi_priority` integer DEFAULT 1 NOT NULL,
	`mode` text,
	`comments` text,
	`rank` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pi_id`) REFERENCES `pis`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `memberships_target_idx` ON `memberships` (`target_id`);--> statement-breakpoint
CREATE TABLE `observations` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`target_id` text NOT NULL,
	`night` text NOT NULL,
	`ut_start` text NOT NULL,
	`ut_end` text NOT NULL,
	`configuration` text,
	`pops` text,
	`mode` text,
	`outcome` text NOT NULL,
	`is_validated` integer DEFAULT false NOT NULL,
	`seeing_arcsec` real,
	`conditions` text,
	`notes` text,
	`plan_id` text,
	`block_id` text,
	`observer` text,
	`is_demo` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `observations_target_idx` ON `observations` (`target_id`);--> statement-breakpoint
CREATE INDEX `observations_night_idx` ON `observations` (`night`);--> statement-breakpoint
CREATE TABLE `pis` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`name` text NOT NULL,
	`email` text,
	`is_demo` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pis_name_unique` ON `pis` (`name`);--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`night` text NOT NULL,
	`name` text NOT NULL,
	`configuration` text NOT NULL,
	`options_json` text NOT NULL,
	`blocks_json` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `plans_night_idx` ON `plans` (`night`);--> statement-breakpoint
CREATE TABLE `programmes` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`code` text NOT NULL,
	`title` text,
	`is_demo` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `programmes_code_unique` ON `programmes` (`code`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value_json` text NOT NULL,
	`updated_at_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sync_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `targets` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`spicadb_id` text,
	`name` text NOT NULL,
	`main_id` text,
	`hd` text,
	`hip` text,
	`gaia_id` text,
	`ra_deg` real NOT NULL,
	`dec_deg` real NOT NULL,
	`pm_ra_mas_yr` real,
	`pm_dec_mas_yr` real,
	`parallax_mas` real,
	`vmag` real,
	`rmag` real,
	`jmag` real,
	`hmag` real,
	`kmag` real,
	`sp_type` text,
	`spica_mode` text,
	`completion_rate` real DEFAULT 0 NOT NULL,
	`ldd_mas` real,
	`ldd_err_mas` real,
	`extra_json` text,
	`source` text,
	`is_demo` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `targets_spicadb_id_unique` ON `targets` (`spicadb_id`) WHERE "targets"."spicadb_id" is not null;--> statement-breakpoint
CREATE INDEX `targets_name_idx` ON `targets` (`name`);--> statement-breakpoint
CREATE INDEX `targets_dec_idx` ON `targets` (`dec_deg`);