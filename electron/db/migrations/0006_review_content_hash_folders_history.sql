CREATE TABLE `review_folders` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`root` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_folders_root_unique` ON `review_folders` (`root`) WHERE "review_folders"."deleted" = 0;--> statement-breakpoint
CREATE TABLE `review_history` (
	`id` text PRIMARY KEY NOT NULL,
	`created_at_ms` integer NOT NULL,
	`updated_at_ms` integer NOT NULL,
	`deleted` integer DEFAULT false NOT NULL,
	`product_key` text NOT NULL,
	`content_hash` text,
	`kind` text NOT NULL,
	`reviewer` text,
	`at_ms` integer NOT NULL,
	`summary` text NOT NULL,
	`detail_json` text,
	`undone_by` text
);
--> statement-breakpoint
CREATE INDEX `review_history_product_idx` ON `review_history` (`product_key`);--> statement-breakpoint
DROP INDEX `data_products_path_unique`;--> statement-breakpoint
ALTER TABLE `data_products` ADD `content_hash` text;--> statement-breakpoint
ALTER TABLE `data_products` ADD `product_key` text;--> statement-breakpoint
ALTER TABLE `data_products` ADD `plato_processing` integer;--> statement-breakpoint
ALTER TABLE `data_products` ADD `plato_calibrators` integer;--> statement-breakpoint
ALTER TABLE `data_products` ADD `plato_analysis` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `data_products_content_hash_unique` ON `data_products` (`content_hash`) WHERE "data_products"."content_hash" is not null and "data_products"."deleted" = 0;--> statement-breakpoint
CREATE INDEX `data_products_path_idx` ON `data_products` (`path`);--> statement-breakpoint
CREATE INDEX `data_products_product_key_idx` ON `data_products` (`product_key`);