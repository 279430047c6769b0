/**
 * The survey store's schema. Every synced table carries a client-generated UUIDv7 `id`,
 * `created_at_ms` / `updated_at_ms` and a `deleted` tombstone, so the later sync with the Nice
 * survey database can merge rows made offline; every write also lands in `change_log` in the
 * same transaction (see repos/write.ts). SQL names are snake_case with units in the name.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const syncColumns = {
  id: text('id').primaryKey(),
  createdAtMs: integer('created_at_ms').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
  deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
};

export const pis = sqliteTable(
  'pis',
  {
    ...syncColumns,
    name: text('name').notNull(),
    email: text('email'),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('pis_name_unique').on(t.name).where(sql`${t.deleted} = 0`)],
);

export const programmes = sqliteTable(
  'programmes',
  {
    ...syncColumns,
    /** Work-package code as SPICA-DB spells it: S01 … S08. */
    code: text('code').notNull(),
    title: text('title'),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('programmes_code_unique').on(t.code).where(sql`${t.deleted} = 0`)],
);

export const targets = sqliteTable(
  'targets',
  {
    ...syncColumns,
    /** SPICA-DB identity when the target came from SPICA-DB; null for local or ASPRO2 targets. */
    spicadbId: text('spicadb_id'),
    name: text('name').notNull(),
    mainId: text('main_id'),
    hd: text('hd'),
    hip: text('hip'),
    gaiaId: text('gaia_id'),
    raDeg: real('ra_deg').notNull(),
    decDeg: real('dec_deg').notNull(),
    pmRaMasYr: real('pm_ra_mas_yr'),
    pmDecMasYr: real('pm_dec_mas_yr'),
    parallaxMas: real('parallax_mas'),
    vmag: real('vmag'),
    rmag: real('rmag'),
    jmag: real('jmag'),
    hmag: real('hmag'),
    kmag: real('kmag'),
    spType: text('sp_type'),
    /** SPICA observing mode: DIA, DLD, IMA, TMP or SPI. */
    spicaMode: text('spica_mode'),
    /** NSS completion rate 0..1: SPICA-DB's value, which the QC owns (pulled, never pushed). */
    completionRate: real('completion_rate').notNull().default(0),
    /**
     * Completion after the validated observations logged here and not yet counted by the QC
     * (NSS increments), or null. Provisional: it stands only while `completion_rate` still equals
     * `completion_provisional_from`; once SPICA-DB's value moves, the database wins.
     */
    completionProvisional: real('completion_provisional'),
    /** The `completion_rate` the provisional increments were added to. */
    completionProvisionalFrom: real('completion_provisional_from'),
    /** When a complete SPICA-DB snapshot last lacked this target's row ("withdrawn upstream"); null while listed. */
    withdrawnAtMs: integer('withdrawn_at_ms'),
    lddMas: real('ldd_mas'),
    lddErrMas: real('ldd_err_mas'),
    /** Any other source columns, JSON object, kept so an export loses nothing. */
    extraJson: text('extra_json'),
    /**
     * The target's object model as edited here or received from ASPRO2 (SPICA-DB JSON form,
     * `[{"type":"disk","diameter":1.04}]`); local only, never pushed to SPICA-DB. SPICA-DB's own
     * `model` column stays in `extra_json`; null means "use SPICA-DB's model, else the fallback".
     */
    modelJson: text('model_json'),
    source: text('source'),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [
    uniqueIndex('targets_spicadb_id_unique').on(t.spicadbId).where(sql`${t.spicadbId} is not null and ${t.deleted} = 0`),
    index('targets_name_idx').on(t.name),
    index('targets_dec_idx').on(t.decDeg),
  ],
);

/** A target's place in a programme: which PI asks for it, with what priority and mode. */
export const memberships = sqliteTable(
  'memberships',
  {
    ...syncColumns,
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    programmeId: text('programme_id')
      .notNull()
      .references(() => programmes.id),
    piId: text('pi_id').references(() => pis.id),
    /** NSS PI priority: 0 = high, 1 = low, null = not given (unranked by the PI). */
    piPriority: integer('pi_priority'),
    mode: text('mode'),
    comments: text('comments'),
    /** 1 for SPICA-DB's first programme columns, 2 for the `*2` columns. */
    rank: integer('rank').notNull().default(1),
  },
  (t) => [index('memberships_target_idx').on(t.targetId)],
);

export const observations = sqliteTable(
  'observations',
  {
    ...syncColumns,
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    /** Local date of the evening the night began, YYYY-MM-DD. */
    night: text('night').notNull(),
    utStart: text('ut_start').notNull(),
    utEnd: text('ut_end').notNull(),
    /** Stations joined by '-', e.g. S1-S2-E1-E2-W1-W2. */
    configuration: text('configuration'),
    pops: text('pops'),
    mode: text('mode'),
    /** done | failed | partial */
    outcome: text('outcome').notNull(),
    /** Whether the observation counts towards NSS completion. */
    isValidated: integer('is_validated', { mode: 'boolean' }).notNull().default(false),
    seeingArcsec: real('seeing_arcsec'),
    conditions: text('conditions'),
    notes: text('notes'),
    planId: text('plan_id'),
    blockId: text('block_id'),
    observer: text('observer'),
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [index('observations_target_idx').on(t.targetId), index('observations_night_idx').on(t.night)],
);

export const calibratorAssociations = sqliteTable(
  'calibrator_associations',
  {
    ...syncColumns,
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    calibratorName: text('calibrator_name').notNull(),
    hd: text('hd'),
    hip: text('hip'),
    raDeg: real('ra_deg').notNull(),
    decDeg: real('dec_deg').notNull(),
    vmag: real('vmag'),
    uddMas: real('udd_mas'),
    uddErrMas: real('udd_err_mas'),
    /** primary (SPICA calprim) | secondary (JSDC/SearchCal) */
    kind: text('kind').notNull().default('secondary'),
    source: text('source'),
    isPinned: integer('is_pinned', { mode: 'boolean' }).notNull().default(false),
    notes: text('notes'),
  },
  (t) => [index('calibrator_associations_target_idx').on(t.targetId)],
);

export const badCalibrators = sqliteTable('bad_calibrators', {
  ...syncColumns,
  name: text('name').notNull(),
  hd: text('hd'),
  hip: text('hip'),
  raDeg: real('ra_deg'),
  decDeg: real('dec_deg'),
  night: text('night'),
  reason: text('reason').notNull(),
  /** local (marked in the app) | jmmc (imported BadCal list) */
  source: text('source').notNull().default('local'),
});

/**
 * Calibrator catalogue rows imported by the team (JSDC VOTables, SearchCal files, the SPICA primary
 * list): one row per star and list, keyed by `row_key` (HD, else HIP, else name, plus position to
 * 0.36″) so re-importing a file updates rows instead of adding them. The row itself is JSON
 * (`shared/calibrators/backbone-types.ts` JsdcRow): the engine reads it whole.
 */
export const calibratorCatalogRows = sqliteTable(
  'calibrator_catalog_rows',
  {
    ...syncColumns,
    /** jsdc | searchcal | spica-primary */
    kind: text('kind').notNull(),
    rowKey: text('row_key').notNull(),
    name: text('name').notNull(),
    raDeg: real('ra_deg').notNull(),
    decDeg: real('dec_deg').notNull(),
    rowJson: text('row_json').notNull(),
    /** File the row last came from. */
    sourceFile: text('source_file').notNull(),
  },
  (t) => [uniqueIndex('calibrator_catalog_rows_kind_key_unique').on(t.kind, t.rowKey)],
);

/** One import of a calibrator list (what, from which file, when, how many rows). */
export const calibratorImports = sqliteTable('calibrator_imports', {
  ...syncColumns,
  kind: text('kind').notNull(),
  fileName: text('file_name').notNull(),
  rowCount: integer('row_count').notNull(),
  importedAtMs: integer('imported_at_ms').notNull(),
});

/** A star the team excluded as calibrator of one science target (catalogue key, e.g. "HIP 1234"). */
export const calibratorExclusions = sqliteTable(
  'calibrator_exclusions',
  {
    ...syncColumns,
    targetId: text('target_id')
      .notNull()
      .references(() => targets.id),
    starKey: text('star_key').notNull(),
  },
  (t) => [index('calibrator_exclusions_target_idx').on(t.targetId)],
);

/**
 * One version of an OIFITS data product: identified by the SHA-256 of its data HDUs
 * (`content_hash`), so the same file on a laptop and a desktop is one row; a regenerated file is a
 * new row with the same `product_key` (target + night + instrument mode + file-name stem, see
 * docs/review.md). `path` is where this installation last saw the file. Rows from before content
 * hashes (keyed by path) get their hash on the next scan of their folder.
 */
export const dataProducts = sqliteTable(
  'data_products',
  {
    ...syncColumns,
    path: text('path').notNull(),
    /** SHA-256 (hex) of the data HDUs; null until the file has been read once. */
    contentHash: text('content_hash'),
    /** The product this version belongs to (docs/review.md, "Data products and versions"). */
    productKey: text('product_key'),
    /** L1 (raw OIFITS) | L2 (calibrated) */
    level: text('level').notNull(),
    night: text('night'),
    targetId: text('target_id').references(() => targets.id),
    fileTargetName: text('file_target_name'),
    /** OiDB quality level 0..5, null until reviewed. */
    qualityLevel: integer('quality_level'),
    reviewComment: text('review_comment'),
    reviewer: text('reviewer'),
    reviewedAtMs: integer('reviewed_at_ms'),
    /** PLATO flags 0..3 (processing, calibrators, analysis), null until set. */
    platoProcessing: integer('plato_processing'),
    platoCalibrators: integer('plato_calibrators'),
    platoAnalysis: integer('plato_analysis'),
    fileSizeBytes: integer('file_size_bytes'),
    fileMtimeMs: integer('file_mtime_ms'),
  },
  (t) => [
    uniqueIndex('data_products_content_hash_unique').on(t.contentHash).where(sql`${t.contentHash} is not null and ${t.deleted} = 0`),
    index('data_products_path_idx').on(t.path),
    index('data_products_product_key_idx').on(t.productKey),
  ],
);

/** A SPICA data root the review queue watches (RawOifits/, Results/); was the `review.folders` setting. */
export const reviewFolders = sqliteTable(
  'review_folders',
  {
    ...syncColumns,
    root: text('root').notNull(),
  },
  (t) => [uniqueIndex('review_folders_root_unique').on(t.root).where(sql`${t.deleted} = 0`)],
);

/**
 * What happened to a data product, per version: verdicts, per-point flag edits and their undos,
 * quick-look fits, new versions seen. App data (synced between installations, never written to
 * SPICA-DB); the reviewer sees what changed and who decided what.
 */
export const reviewHistory = sqliteTable(
  'review_history',
  {
    ...syncColumns,
    productKey: text('product_key').notNull(),
    /** The version the event applies to (for a flag edit: the content before it). */
    contentHash: text('content_hash'),
    /** verdict | flags | flags-undo | fit | version */
    kind: text('kind').notNull(),
    reviewer: text('reviewer'),
    atMs: integer('at_ms').notNull(),
    /** One line for the history list. */
    summary: text('summary').notNull(),
    /** The event's details (levels, changed points with their old values, fit figures), JSON. */
    detailJson: text('detail_json'),
    /** For a flag edit undone later: the id of the undo event. */
    undoneBy: text('undone_by'),
  },
  (t) => [index('review_history_product_idx').on(t.productKey)],
);

export const plans = sqliteTable(
  'plans',
  {
    ...syncColumns,
    night: text('night').notNull(),
    name: text('name').notNull(),
    configuration: text('configuration').notNull(),
    /** Planner options and blocks as JSON: a plan is a document, replaced whole. */
    optionsJson: text('options_json').notNull(),
    blocksJson: text('blocks_json').notNull(),
  },
  (t) => [index('plans_night_idx').on(t.night)],
);

export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  valueJson: text('value_json').notNull(),
  updatedAtMs: integer('updated_at_ms').notNull(),
});

/**
 * Append-only record of every write to a synced table, made in the writer's transaction. It is
 * read in `seq` order only (the sync outbox, a batch's revert reads its own `seq` range), so it
 * carries no secondary index: every import writes one row per changed row and an index would
 * only slow that down.
 */
export const changeLog = sqliteTable('change_log', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  entity: text('entity').notNull(),
  entityId: text('entity_id').notNull(),
  /** insert | update | delete (a tombstone) */
  op: text('op').notNull(),
  /** The values written; for a document table (plans) outside a batch, each text as its length (write.ts DOCUMENT_TABLES). */
  patchJson: text('patch_json').notNull(),
  /** The patched columns' values before this write, so a batch can be undone (null for an insert and outside a batch). */
  beforeJson: text('before_json'),
  atMs: integer('at_ms').notNull(),
  /** Hybrid logical clock of this change (shared/sync/hlc.ts), unique and increasing per node. */
  hlc: text('hlc').notNull(),
  /** The installation that made the change (`sync_state.node_id`). */
  nodeId: text('node_id').notNull(),
  /** Who wrote it: local (a user edit), import, demo, revert, sync, … */
  origin: text('origin').notNull().default('local'),
  /** The batch (import, revert, demo, delete) this change belongs to, if any. */
  batchId: text('batch_id'),
  isPushed: integer('is_pushed', { mode: 'boolean' }).notNull().default(false),
});

/**
 * Recorded groups of writes that can be listed and undone as a whole: an import, the demo
 * survey, its removal, a target deletion, or a revert of one of those. A batch's changes are the
 * contiguous `change_log` range `first_seq..last_seq` (one transaction holds the write lock).
 */
export const batches = sqliteTable('batches', {
  id: text('id').primaryKey(),
  /** import | demo | demo-remove | delete | revert */
  kind: text('kind').notNull(),
  /** What was imported (file name) or done, for the user. */
  label: text('label').notNull(),
  atMs: integer('at_ms').notNull(),
  hlc: text('hlc').notNull(),
  nodeId: text('node_id').notNull(),
  firstSeq: integer('first_seq'),
  lastSeq: integer('last_seq'),
  added: integer('added').notNull().default(0),
  updated: integer('updated').notNull().default(0),
  unchanged: integer('unchanged').notNull().default(0),
  skipped: integer('skipped').notNull().default(0),
  /** The full report (matches and their rules, skipped and ambiguous rows), JSON. */
  reportJson: text('report_json'),
  /** The batch that undid this one. */
  revertedBy: text('reverted_by'),
  /** For a revert: the batch it undid. */
  reverts: text('reverts'),
  /** Set when change_log compaction removed this batch's changes: it can no longer be reverted. */
  isCompacted: integer('is_compacted', { mode: 'boolean' }).notNull().default(false),
});

export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/*
 * Lane A of the sync (../shared/docs/sync.md §4): SPICA-DB at JMMC, pulled over TAP and pushed
 * through the catalog API. These are bookkeeping tables of the sync engine, written only by
 * electron/db/repos/sync.ts inside `store.write` transactions; they are not synced themselves, so
 * they have no tombstones and no change-log rows.
 */

/** The base of the three-way merge: the last pulled remote row per catalogue and key, canonicalised. */
export const remoteRows = sqliteTable(
  'remote_rows',
  {
    /** TAP table name (`spica`, `spica_calprim`, `badcal`, or a dated `spica_YYYY_MM_DD`). */
    catalog: text('catalog').notNull(),
    /** Primary key value as decimal text (`spicadb_id` or `id`). */
    pk: text('pk').notNull(),
    /** Canonical row (shared/sync/canon.ts) as a JSON object, column → value. */
    rowJson: text('row_json').notNull(),
    rowHash: text('row_hash').notNull(),
    /** The newest `lastmods` entry's `utc` and `by` when pulled, JSON, for the audit after a push. */
    lastmodsHead: text('lastmods_head'),
    pulledAtMs: integer('pulled_at_ms').notNull(),
    /** Set when a complete snapshot lacked the row; the row is kept. */
    withdrawnAtMs: integer('withdrawn_at_ms'),
  },
  (t) => [primaryKey({ columns: [t.catalog, t.pk] })],
);

/** One pulled table: its columns, size and whether the last snapshot was complete. */
export const remoteTables = sqliteTable('remote_tables', {
  catalog: text('catalog').primaryKey(),
  /** The TAP service it came from. */
  tapUrl: text('tap_url').notNull(),
  /** FIELDs of the last pull (name, datatype, arraysize), JSON. */
  fieldsJson: text('fields_json').notNull(),
  rowCount: integer('row_count').notNull(),
  /** `SELECT COUNT(*)` of the last pull, null when it could not be read. */
  serverCount: integer('server_count'),
  /** No OVERFLOW and row count = COUNT(*). */
  isComplete: integer('is_complete', { mode: 'boolean' }).notNull(),
  pulledAtMs: integer('pulled_at_ms').notNull(),
  completePulledAtMs: integer('complete_pulled_at_ms'),
  /** Why the last snapshot was not complete, for the user. */
  notice: text('notice'),
});

/** The outbox of lane A: one coalesced patch of PI-editable columns per remote row. */
export const remotePush = sqliteTable(
  'remote_push',
  {
    catalog: text('catalog').notNull(),
    pk: text('pk').notNull(),
    targetId: text('target_id'),
    /** Column → canonical value to send, JSON. */
    patchJson: text('patch_json').notNull(),
    /** Column → the value the edit started from (used when no pulled base exists), JSON. */
    baseJson: text('base_json').notNull(),
    /** pending | sending | sent | rejected */
    state: text('state').notNull(),
    /** Why the server refused it (HTTP status and its X-HTTP-Error-Description). */
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    editedAtMs: integer('edited_at_ms').notNull(),
    updatedAtMs: integer('updated_at_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.catalog, t.pk] })],
);

/** A PI-editable column changed both here and in SPICA-DB, or overwritten by a concurrent write, waiting for the user. */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: text('id').primaryKey(),
    catalog: text('catalog').notNull(),
    pk: text('pk').notNull(),
    targetId: text('target_id'),
    column: text('column').notNull(),
    /** both-changed | overwritten (our push landed over a concurrent write, seen in lastmods) */
    kind: text('kind').notNull(),
    baseJson: text('base_json').notNull(),
    localJson: text('local_json').notNull(),
    remoteJson: text('remote_json').notNull(),
    /** Author and time of the remote change, from `lastmods`. */
    remoteBy: text('remote_by'),
    remoteUtc: text('remote_utc'),
    createdAtMs: integer('created_at_ms').notNull(),
    resolvedAtMs: integer('resolved_at_ms'),
    /** mine | theirs | edit */
    resolution: text('resolution'),
  },
  (t) => [index('sync_conflicts_open_idx').on(t.catalog, t.pk, t.column).where(sql`${t.resolvedAtMs} is null`)],
);

/** What each sync did (pulled, pushed, refused, conflicts), newest last, for the Sync panel. */
export const syncRuns = sqliteTable('sync_runs', {
  id: text('id').primaryKey(),
  /** full | pull | push */
  kind: text('kind').notNull(),
  startedAtMs: integer('started_at_ms').notNull(),
  finishedAtMs: integer('finished_at_ms'),
  /** ok | partial | failed */
  outcome: text('outcome'),
  reportJson: text('report_json'),
});
