/**
 * Contract of the sync domain: SPICA-DB at JMMC (lane A of ../shared/docs/sync.md). Pull over
 * anonymous TAP, push PI edits (PI priorities, comments) through the catalog API with the user's
 * JMMC account, verify, and show what happened: conflicts to resolve, rows the server refused,
 * rows withdrawn upstream. Credentials never come back from the services.
 */
import { z } from 'zod';
import type { CanonValue } from '../sync/canon';
import type { JmmcEnvironment, PiEditableColumn } from '../sync/jmmc';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

/** Where and how the app syncs (persisted in the store). */
export interface SyncSettings {
  env: JmmcEnvironment;
  tapUrl: string;
  apiUrl: string;
  /** TAP table / API catalogue name (`spica`, or a dated `spica_YYYY_MM_DD`). */
  catalog: string;
  /** JMMC account e-mail address, null until set. */
  login: string | null;
  /** The push allow-list in use (a subset of the PI-editable columns). */
  pushColumns: PiEditableColumn[];
  /** Minutes between automatic syncs when online; 0 = only when asked. */
  autoSyncMinutes: number;
  /** MAXREC sent with the snapshot query. */
  maxRec: number;
}

export type SyncPhase = 'pull' | 'references' | 'push' | 'verify';

/** Progress of a running sync (events and status). */
export interface SyncProgress {
  phase: SyncPhase;
  /** What is being done: query, download, parse, count, apply, batch … */
  step: string;
  done: number;
  total: number;
  /** Bytes received so far in a download. */
  bytes: number;
}

/** The sync indicator's and panel's view. */
export interface SyncStatus {
  settings: SyncSettings;
  envLabel: string;
  /** A password is available for `login` (kept in the main process; never sent back). */
  hasCredentials: boolean;
  /** Where the password is kept: "system keychain (Electron safeStorage)", "file …/credentials.json (0600)", "this session only". */
  credentialStore: string;
  /**
   * idle; running; offline (network unreachable, will retry); needs-sign-in (no password, or the
   * server refused it: never retried on its own); error (the last sync failed for another reason);
   * never (no sync yet).
   */
  state: 'never' | 'idle' | 'running' | 'offline' | 'needs-sign-in' | 'error';
  progress: SyncProgress | null;
  /** ISO times. */
  lastPullAt: string | null;
  lastSyncAt: string | null;
  lastError: string | null;
  /** Whether the last snapshot of the catalogue was complete (null: never pulled). */
  complete: boolean | null;
  /** Rows in the last snapshot, and SPICA-DB's `COUNT(*)` then. */
  rows: number;
  serverCount: number | null;
  notice: string | null;
  /** Rows with PI edits waiting to be pushed (not refused). */
  pending: number;
  conflicts: number;
  rejected: number;
  withdrawn: number;
  nextAutoSyncAt: string | null;
  references: Array<{ catalog: string; rows: number; complete: boolean; pulledAt: string }>;
}

/** What one sync did. Errors name what failed and where (HTTP status, server description, row ids). */
export interface SyncReport {
  id: string;
  kind: 'full' | 'pull' | 'push';
  startedAt: string;
  finishedAt: string;
  outcome: 'ok' | 'partial' | 'failed';
  envLabel: string;
  catalog: string;
  login: string | null;
  pull: {
    rows: number;
    added: number;
    updated: number;
    unchanged: number;
    /** Local targets marked withdrawn upstream by this (complete) snapshot, and ones listed again. */
    withdrawn: number;
    relisted: number;
    /** Local values of SPICA-DB-owned columns that differed from an unchanged remote row and were put back. */
    reverted: number;
    /** Remote rows the app could not use as targets (bad coordinates …), with the reason. */
    skipped: Array<{ pk: string; reason: string }>;
    conflicts: number;
    complete: boolean;
    serverCount: number | null;
    notice: string | null;
    bytes: number;
    durationMs: number;
  } | null;
  references: Array<{ catalog: string; rows: number; complete: boolean; error: string | null }>;
  push: {
    /** Rows accepted (204) and columns they carried. */
    rows: number;
    columns: number;
    requests: number;
    /** Rows whose edit SPICA-DB already had (an earlier push that lost its reply, or the same edit elsewhere). */
    converged: number;
    conflicts: number;
    rejected: Array<{ pk: string; targetName: string | null; status: number; reason: string }>;
    /** Time from sending a batch to its verified re-read, per batch, ms. */
    roundTripMs: number[];
    durationMs: number;
  } | null;
  /** Rows whose push landed over a concurrent write (seen in lastmods), flagged as conflicts of kind `overwritten`. */
  overwritten: number;
  errors: string[];
}

/** A PI-editable value changed both here and in SPICA-DB (or overwritten by a concurrent write). */
export interface SyncConflict {
  id: string;
  catalog: string;
  pk: string;
  targetId: string | null;
  targetName: string | null;
  column: string;
  kind: 'both-changed' | 'overwritten';
  base: CanonValue;
  local: CanonValue;
  remote: CanonValue;
  /** Who changed it remotely and when, from `lastmods` (null when not recorded). */
  remoteBy: string | null;
  remoteUtc: string | null;
  createdAt: string;
  resolvedAt: string | null;
  resolution: 'mine' | 'theirs' | 'edit' | null;
}

/** One row of the outbox. */
export interface PendingEdit {
  catalog: string;
  pk: string;
  targetId: string | null;
  targetName: string | null;
  columns: Record<string, { local: CanonValue; base: CanonValue }>;
  /** pending (waiting), sending/sent (a push in flight or unverified), rejected (refused by the server). */
  state: 'pending' | 'sending' | 'sent' | 'rejected';
  error: string | null;
  attempts: number;
  editedAt: string;
}

/** A target's sync state, for the drawer. */
export interface TargetSyncState {
  targetId: string;
  name: string;
  spicadbId: string | null;
  /** Whether its PI edits can reach SPICA-DB (a real, integer SPICA-DB id). */
  isSyncable: boolean;
  /** Why not, when not. */
  reason: string | null;
  /** The push allow-list in use. */
  pushColumns: PiEditableColumn[];
  /** Which programme ranks it has (1, 2), for the editable fields. */
  ranks: number[];
  /** Current local values of the PI-editable columns (remote column space). */
  values: Partial<Record<PiEditableColumn, CanonValue>>;
  pending: Partial<Record<PiEditableColumn, CanonValue>>;
  state: PendingEdit['state'] | null;
  rejected: string | null;
  conflicts: SyncConflict[];
  withdrawnAt: string | null;
  /** From the account's PI aliases and delegations (a hint: the server decides); null when unknown. */
  editableHint: boolean | null;
}

const piPriority = z.union([z.literal(0), z.literal(1), z.null()]);
const comment = z.string().max(4000).nullable();

export const syncMethods = {
  'sync.status': defineMethod<SyncStatus>()({
    doc: 'Environment, login, last pull (complete or not), pending edits, conflicts, refused rows, progress.',
    params: z.object({}).strict(),
  }),
  'sync.configure': defineMethod<SyncStatus>()({
    doc:
      'Choose the environment (preprod, the default, or prod: TAP and API always paired; custom: give both URLs), ' +
      'the catalogue name, the login, the push allow-list and the automatic sync period. Changing the environment ' +
      'or catalogue drops the pulled bases (pending edits stay).',
    params: z
      .object({
        env: z.enum(['preprod', 'prod', 'custom']).optional(),
        tapUrl: z.string().url().max(500).optional(),
        apiUrl: z.string().url().max(500).optional(),
        catalog: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'a table name: letters, digits, _').optional(),
        login: z.string().trim().email().max(200).nullable().optional(),
        pushColumns: z.array(z.enum(['priority_pi', 'priority_pi2', 'comments', 'comments2'])).optional(),
        autoSyncMinutes: z.number().int().min(0).max(24 * 60).optional(),
        maxRec: z.number().int().min(1).max(10_000_000).optional(),
      })
      .strict(),
  }),
  'sync.signIn': defineMethod<SyncStatus>()({
    doc:
      'Check a JMMC account against the catalog API (GET /status must name the login) and keep the password in ' +
      'the main process: in the system keychain or the 0600 credentials file when `remember`, else for this session.',
    params: z.object({ login: z.string().trim().email().max(200).optional(), password: z.string().min(1).max(1000), remember: z.boolean().default(true) }).strict(),
  }),
  'sync.signOut': defineMethod<SyncStatus>()({
    doc: 'Forget the password of the current login (session and stored).',
    params: z.object({}).strict(),
  }),
  'sync.importNetrc': defineMethod<{ login: string; host: string; status: SyncStatus }>()({
    doc: 'Opt-in, once: take the login and password of the API host from ~/.netrc (as a2p2 lets requests do) and remember them.',
    params: z.object({}).strict(),
  }),
  'sync.run': defineMethod<SyncReport>()({
    doc: 'Sync now: pull (TAP snapshot), then push the outbox and verify (full), or only one of them. Progress on `sync.progress`.',
    params: z.object({ kind: z.enum(['full', 'pull', 'push']).default('full') }).strict(),
  }),
  'sync.runs': defineMethod<SyncReport[]>()({
    doc: 'The last sync reports, newest first.',
    params: z.object({ limit: z.number().int().min(1).max(100).default(10) }).strict(),
  }),
  'sync.pending': defineMethod<PendingEdit[]>()({
    doc: 'The outbox: PI edits waiting to be pushed, in flight, or refused by the server (with its reason).',
    params: z.object({}).strict(),
  }),
  'sync.pending.retry': defineMethod<{ retried: number }>()({
    doc: 'Queue refused rows again (all, or one SPICA-DB id).',
    params: z.object({ pk: z.string().regex(/^\d+$/).optional() }).strict(),
  }),
  'sync.pending.discard': defineMethod<{ discarded: number }>()({
    doc: "Drop a row's waiting or refused edit and put SPICA-DB's value back in the survey.",
    params: z.object({ pk: z.string().regex(/^\d+$/) }).strict(),
  }),
  'sync.conflicts': defineMethod<SyncConflict[]>()({
    doc: 'Conflicts waiting for the user (and resolved ones with `includeResolved`), newest first.',
    params: z.object({ includeResolved: z.boolean().default(false) }).strict(),
  }),
  'sync.resolve': defineMethod<SyncConflict>()({
    doc:
      "Resolve a conflict: keep theirs (SPICA-DB's value stays), keep mine (queue my value to push over theirs), " +
      'or edit (queue `value`, e.g. merged text).',
    params: z
      .object({ id: z.string().min(1).max(100), keep: z.enum(['mine', 'theirs', 'edit']), value: z.union([z.string().max(4000), z.number(), z.null()]).optional() })
      .strict()
      .refine((p) => p.keep !== 'edit' || p.value !== undefined, 'keep=edit needs a value'),
  }),
  'sync.target': defineMethod<TargetSyncState>()({
    doc: "A target's PI-editable values, what waits to be pushed, its conflicts and whether SPICA-DB still lists it.",
    params: z.object({ id: z.string().min(1).max(100) }).strict(),
  }),
  'sync.editTarget': defineMethod<TargetSyncState>()({
    doc:
      'Edit PI-editable fields of a target (by id, or `query`: SPICA-DB id or name). Written to the survey at once ' +
      'and queued for SPICA-DB (pending until pushed); a target without a SPICA-DB id is edited locally only.',
    params: z
      .object({
        id: z.string().min(1).max(100).optional(),
        query: z.string().min(1).max(500).optional(),
        priorityPi: piPriority.optional(),
        priorityPi2: piPriority.optional(),
        comments: comment.optional(),
        comments2: comment.optional(),
      })
      .strict()
      .refine((p) => (p.id === undefined) !== (p.query === undefined), 'give exactly one of id or query')
      .refine(
        (p) => p.priorityPi !== undefined || p.priorityPi2 !== undefined || p.comments !== undefined || p.comments2 !== undefined,
        'give at least one field to change',
      ),
  }),
  'sync.reference': defineMethod<{ catalog: string; fields: Array<{ name: string; datatype: string }>; rows: Array<Record<string, CanonValue>>; pulledAt: string | null; complete: boolean }>()({
    doc: 'A pulled reference table (spica_calprim: primary calibrators; badcal: bad calibrators), as SPICA-DB serves it.',
    params: z.object({ catalog: z.enum(['spica_calprim', 'badcal']) }).strict(),
  }),
} satisfies MethodMap;

export const syncEvents = {
  'sync.statusChanged': defineEvent<SyncStatus>('The sync status changed (a sync started or ended, an edit was queued, a conflict resolved).'),
  'sync.progress': defineEvent<SyncProgress>('Progress of a running sync (pull download and apply, push batches).'),
} satisfies EventMap;
