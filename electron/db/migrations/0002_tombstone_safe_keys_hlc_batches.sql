CREATE TABLE `batches` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`label` text NOT NULL,
	`at_ms` integer NOT NULL,
	`hlc` text NOT NULL,
	`node_id` text NOT NULL,
	`first_seq` integer,
	`last_seq` integer,
	`added` integer DEFAULT 0 NOT NULL,
	`updated` integer DEFAULT 0 NOT NULL,
	`unchanged` integer DEFAULT 0 NOT NULL,
	`skipped` integer DEFAULT 0 NOT NULL,
	`report_json` text,
	`reverted_by` text,
	`reverts` text,
	`is_compacted` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
DROP INDEX `data_products_path_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `data_products_path_unique` ON `data_products` (`path`) WHERE "data_products"."deleted" = 0;--> statement-breakpoint
DROP INDEX `pis_name_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `pis_name_unique` ON `pis` (`name`) WHERE "pis"."deleted" = 0;--> statement-breakpoint
DROP INDEX `programmes_code_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `programmes_code_unique` ON `programmes` (`code`) WHERE "programmes"."deleted" = 0;--> statement-breakpoint
DROP INDEX `targets_spicadb_id_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `targets_spicadb_id_unique` ON `targets` (`spicadb_id`) WHERE "targets"."spicadb_id" is not null and "targets"."deleted" = 0;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_memberships` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`target_id` text NOT NULL,
	`programme_id` text NOT NULL,
	`pi_id` text,
	`pi_priority` integer,
	`mode` text,
	`comments` text,
	`rank` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`target_id`) REFERENCES `targets`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`programme_id`) REFERENCES `programmes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pi_id`) REFERENCES `pis`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_memberships`("id", "created_at_ms", "updated_at_ms", "deleted", "target_id", "programme_id", "pi_id", "pi_priority", "mode", "comments", "rank") SELECT "id", "created_at_ms", "updated_at_ms", "deleted", "target_id", "programme_id", "pi_id", "pi_priority", "mode", "comments", "rank" FROM `memberships`;--> statement-breakpoint
DROP TABLE `memberships`;--> statement-breakpoint
ALTER TABLE `__new_memberships` RENAME TO `memberships`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `memberships_target_idx` ON `memberships` (`target_id`);--> statement-breakpoint
INSERT OR IGNORE INTO `sync_state` (`key`, `value`) VALUES ('node_id', lower(hex(randomblob(8))));--> statement-breakpoint
CREATE TABLE `__new_change_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`op` text NOT NULL,
	`patch_json` text NOT NULL,
	`before_json` text,
	`at_ms` integer NOT NULL,
	`hlc` text NOT NULL,
	`node_id` text NOT NULL,
	`origin` text DEFAULT 'local' NOT NULL,
	`batch_id` text,
	`is_pushed` integer DEFAULT false NOT NULL
);
--> statement-breakpoint
-- Hand-written data step: give every existing change a hybrid logical clock (millis, a counter
-- within the millisecond, the node) in the format of shared/sync/hlc.ts, and this installation's node id.
INSERT INTO `__new_change_log` (`seq`, `entity`, `entity_id`, `op`, `patch_json`, `before_json`, `at_ms`, `hlc`, `node_id`, `origin`, `batch_id`, `is_pushed`)
SELECT `seq`, `entity`, `entity_id`, `op`, `patch_json`, NULL, `at_ms`,
	strftime('%Y-%m-%dT%H:%M:%S', (`at_ms` + `rn` / 65536) / 1000, 'unixepoch') || '.' || printf('%03d', (`at_ms` + `rn` / 65536) % 1000) || 'Z-' ||
		printf('%04X', `rn` % 65536) || '-' || (SELECT `value` FROM `sync_state` WHERE `key` = 'node_id'),
	(SELECT `value` FROM `sync_state` WHERE `key` = 'node_id'), 'local', NULL, `is_pushed`
FROM (SELECT *, row_number() OVER (PARTITION BY `at_ms` ORDER BY `seq`) - 1 AS `rn` FROM `change_log`);--> statement-breakpoint
DROP TABLE `change_log`;--> statement-breakpoint
ALTER TABLE `__new_change_log` RENAME TO `change_log`;