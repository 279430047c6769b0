CREATE TABLE `remote_push` (
	`catalog` text NOT NULL,
	`pk` text NOT NULL,
	`target_id` text,
	`patch_json` text NOT NULL,
	`base_json` text NOT NULL,
	`state` text NOT NULL,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`edited_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	PRIMARY KEY(`catalog`, `pk`)
);
--> statement-breakpoint
CREATE TABLE `remote_rows` (
	`catalog` text NOT NULL,
	`pk` text NOT NULL,
	`row_json` text NOT NULL,
	`row_hash` text NOT NULL,
	`lastmods_head` text,
	`pulled_at_ms` integer NOT NULL,
	`withdrawn_at_ms` integer,
	PRIMARY KEY(`catalog`, `pk`)
);
--> statement-breakpoint
CREATE TABLE `remote_tables` (
	`catalog` text PRIMARY KEY NOT NULL,
	`tap_url` text NOT NULL,
	`fields_json` text NOT NULL,
	`row_count` integer NOT NULL,
	`server_count` integer,
	`is_complete` integer NOT NULL,
	`pulled_at_ms` integer NOT NULL,
	`complete_pulled_at_ms` integer,
	`notice` text
);
--> statement-breakpoint
CREATE TABLE `sync_conflicts` (
	`id` text PRIMARY KEY NOT NULL,
	`catalog` text NOT NULL,
	`pk` text NOT NULL,
	`target_id` text,
	`column` text NOT NULL,
	`kind` text NOT NULL,
	`base_json` text NOT NULL,
	`local_json` text NOT NULL,
	`remote_json` text NOT NULL,
	`remote_by` text,
	`remote_utc` text,
	`created_at_ms` integer NOT NULL,
	`resolved_at_ms` integer,
	`resolution` text
);
--> statement-breakpoint
CREATE INDEX `sync_conflicts_open_idx` ON `sync_conflicts` (`catalog`,`pk`,`column`) WHERE "sync_conflicts"."resolved_at_ms" is null;--> statement-breakpoint
CREATE TABLE `sync_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`started_at_ms` integer NOT NULL,
	`finished_at_ms` integer,
	`outcome` text,
	`report_json` text
);
--> statement-breakpoint
ALTER TABLE `targets` ADD `completion_provisional` real;--> statement-breakpoint
ALTER TABLE `targets` ADD `completion_provisional_from` real;--> statement-breakpoint
ALTER TABLE `targets` ADD `withdrawn_at_ms` integer;