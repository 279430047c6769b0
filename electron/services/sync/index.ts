/**
 * The sync domain service: SPICA-DB at JMMC (lane A, ../shared/docs/sync.md §4). Plain Node.
 *
 * - Settings (environment pair, catalogue, login, push allow-list, period) live in `sync_state`.
 * - The password stays in this process: the context's `SecretStore` (keychain in the desktop app,
 *   a 0600 file in browser mode and the CLI) when remembered, else this session's memory. It is
 *   sent only to the catalog API's host.
 * - Sync runs when asked and, in the app and browser mode, on a timer once the user has synced
 *   before: every `autoSyncMinutes` while online, backing off (1, 2, 4 … minutes) while the network
 *   or JMMC is down, and not at all while the account needs signing in (a 401 is never retried).
 * - One sync at a time per data folder, across processes (lock file).
 */
import { ApiError } from '../../../shared/contract/define';
import type { SyncConflict, SyncReport, SyncSettings, SyncStatus, syncMethods, TargetSyncState } from '../../../shared/contract/sync';
import { canonValue, type CanonValue } from '../../../shared/sync/canon';
import {
  DEFAULT_CATALOG,
  DEFAULT_ENVIRONMENT,
  endpointsOf,
  environmentLabel,
  PI_COLUMN_FIELDS,
  PI_EDITABLE_COLUMNS,
  piNamesOf,
  REFERENCE_CATALOGS,
  type PiEditableColumn,
} from '../../../shared/sync/jmmc';
import {
  ConflictError,
  discardOutbox,
  dropBases,
  moveOutbox,
  isPushableId,
  outboxCounts,
  PiEditError,
  readBase,
  readConflicts,
  readOutbox,
  readReferenceTable,
  readRuns,
  readSyncState,
  readTables,
  recordPiEdit,
  recordRun,
  resolveConflict,
  retryRejected,
  writeSyncState,
  type ConflictRow,
} from '../../db/repos/sync';
import { findTargets } from '../../db/repos/targets';
import type { DomainService, ServiceContext } from '../context';
import { brightStarCrossIds } from '../survey/import-job';
import { CatalogApi, type Credentials } from './catalog-api';
import { NeedsSignInError, SyncEngine, isTransient } from './engine';
import { SyncHttpError } from './http';
import { acquireSyncLock, SyncBusyError } from './lock';
import { readNetrc } from './netrc';
import { credentialKey } from './secrets';

const SETTINGS_KEY = 'jmmc.settings';
const LAST_KEY = 'jmmc.last';

/** What the last sync left behind, persisted so a restart knows it. */
interface LastRun {
  state: SyncStatus['state'];
  lastError: string | null;
  lastSyncAt: number | null;
  attemptedAt: number | null;
  failures: number;
}

export function defaultSettings(): SyncSettings {
  const e = endpointsOf(DEFAULT_ENVIRONMENT);
  return { env: DEFAULT_ENVIRONMENT, ...e, catalog: DEFAULT_CATALOG, login: null, pushColumns: [...PI_EDITABLE_COLUMNS], autoSyncMinutes: 15, maxRec: 200_000 };
}

/** Retry waits of the push, from SPICA_SYNC_RETRY_DELAYS_MS ("2000,8000,30000") when set. */
function retryDelays(): number[] | undefined {
  const raw = process.env.SPICA_SYNC_RETRY_DELAYS_MS;
  if (!raw) return undefined;
  const list = raw.split(',').map((x) => Number(x.trim())).filter((x) => Number.isFinite(x) && x >= 0);
  return list.length > 0 ? list : undefined;
}

function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

function conflictView(c: ConflictRow): SyncConflict {
  const { createdAtMs, resolvedAtMs, ...rest } = c;
  return { ...rest, createdAt: iso(createdAtMs) as string, resolvedAt: iso(resolvedAtMs) };
}

export interface SyncService extends DomainService<typeof syncMethods> {
  /** Run a sync now (the timer and the CLI use this too). */
  run(kind: SyncReport['kind']): Promise<SyncReport>;
}

export function createSyncService(ctx: ServiceContext): SyncService {
  const { store } = ctx;
  const session = new Map<string, string>();
  let running: Promise<SyncReport> | null = null;
  let progress: SyncStatus['progress'] = null;
  let timer: NodeJS.Timeout | null = null;
  let nextAutoAt: number | null = null;
  let isClosed = false;

  const settings = (): SyncSettings => ({ ...defaultSettings(), ...(readSyncState<Partial<SyncSettings>>(store, SETTINGS_KEY) ?? {}) });
  const last = (): LastRun => ({ state: 'never', lastError: null, lastSyncAt: null, attemptedAt: null, failures: 0, ...(readSyncState<LastRun>(store, LAST_KEY) ?? {}) });

  const credentialsFor = (s: SyncSettings): { credentials: Credentials | null; where: string } => {
    if (!s.login) return { credentials: null, where: 'no login set' };
    const key = credentialKey(s.apiUrl, s.login);
    const inSession = session.get(key);
    if (inSession !== undefined) return { credentials: { login: s.login, password: inSession }, where: 'this session only' };
    try {
      const stored = ctx.secrets.get(key);
      return { credentials: stored === null ? null : { login: s.login, password: stored }, where: ctx.secrets.where };
    } catch (e) {
      return { credentials: null, where: (e as Error).message };
    }
  };

  const status = (): SyncStatus => {
    const s = settings();
    const l = last();
    const tables = readTables(store);
    const main = tables.find((t) => t.catalog === s.catalog);
    const counts = outboxCounts(store, s.catalog);
    const creds = credentialsFor(s);
    return {
      settings: s,
      envLabel: environmentLabel(s.env, s),
      hasCredentials: creds.credentials !== null,
      credentialStore: creds.where,
      state: running ? 'running' : l.state,
      progress: running ? progress : null,
      lastPullAt: iso(main?.pulledAtMs),
      lastSyncAt: iso(l.lastSyncAt),
      lastError: l.lastError,
      complete: main ? main.isComplete : null,
      rows: main?.rowCount ?? 0,
      serverCount: main?.serverCount ?? null,
      notice: main?.notice ?? null,
      ...counts,
      nextAutoSyncAt: iso(nextAutoAt),
      references: tables
        .filter((t) => (REFERENCE_CATALOGS as readonly string[]).includes(t.catalog))
        .map((t) => ({ catalog: t.catalog, rows: t.rowCount, complete: t.isComplete, pulledAt: iso(t.pulledAtMs) as string })),
    };
  };

  const emitStatus = () => {
    if (!isClosed) ctx.emit('sync.statusChanged', status());
  };

  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    nextAutoAt = null;
    if (isClosed || ctx.transport === 'cli') return;
    const s = settings();
    const l = last();
    if (s.autoSyncMinutes <= 0 || l.attemptedAt === null || l.state === 'needs-sign-in') return;
    const periodMs = s.autoSyncMinutes * 60_000;
    const waitMs = l.state === 'offline' || l.state === 'error' ? Math.min(periodMs, 60_000 * 2 ** Math.min(l.failures - 1, 10)) : periodMs;
    const at = Math.max(Date.now() + 10_000, l.attemptedAt + waitMs);
    nextAutoAt = at;
    timer = setTimeout(() => void run('full').catch(() => undefined), at - Date.now());
    timer.unref();
  };

  const runOnce = async (kind: SyncReport['kind']): Promise<SyncReport> => {
    let release: () => void;
    try {
      release = acquireSyncLock(ctx.paths.dataDir);
    } catch (e) {
      if (e instanceof SyncBusyError) throw new ApiError('conflict', e.message);
      throw e;
    }
    try {
      const s = settings();
      const creds = credentialsFor(s).credentials;
      progress = { phase: kind === 'push' ? 'push' : 'pull', step: 'start', done: 0, total: 0, bytes: 0 };
      emitStatus();
      let crossIds;
      try {
        crossIds = brightStarCrossIds(ctx.paths.resourcesDir);
      } catch {
        crossIds = undefined;
      }
      const engine = new SyncEngine({
        store,
        settings: s,
        envLabel: environmentLabel(s.env, s),
        credentials: creds,
        crossIds,
        retryDelaysMs: retryDelays(),
        onProgress: (p) => {
          progress = p;
          ctx.emit('sync.progress', p);
        },
      });
      const { report, failure } = await engine.run(kind);
      const prev = last();
      const state: SyncStatus['state'] =
        failure instanceof NeedsSignInError ? 'needs-sign-in' : failure ? (isTransient(failure) ? 'offline' : 'error') : 'idle';
      const now = Date.now();
      writeSyncState(store, LAST_KEY, {
        state,
        lastError: failure ? report.errors.join('; ') : report.errors[0] ?? null,
        lastSyncAt: failure ? prev.lastSyncAt : now,
        attemptedAt: now,
        failures: failure ? prev.failures + 1 : 0,
      } satisfies LastRun);
      recordRun(store, { id: report.id, kind, startedAtMs: Date.parse(report.startedAt), finishedAtMs: now, outcome: report.outcome, report });
      return report;
    } finally {
      release();
    }
  };

  const run = async (kind: SyncReport['kind']): Promise<SyncReport> => {
    if (running) return running;
    running = runOnce(kind);
    try {
      return await running;
    } finally {
      running = null;
      progress = null;
      schedule();
      emitStatus();
    }
  };

  const targetState = (id: string): TargetSyncState => {
    const t = store.sqlite.prepare('select id, name, spicadb_id, is_demo, withdrawn_at_ms from targets where id = ? and deleted = 0').get(id) as
      | { id: string; name: string; spicadb_id: string | null; is_demo: number; withdrawn_at_ms: number | null }
      | undefined;
    if (!t) throw new ApiError('not-found', `no live target with id ${id}`);
    const s = settings();
    const members = store.sqlite.prepare('select rank, pi_priority, comments from memberships where target_id = ? and deleted = 0 order by rank').all(id) as Array<{
      rank: number;
      pi_priority: number | null;
      comments: string | null;
    }>;
    const values: TargetSyncState['values'] = {};
    for (const col of PI_EDITABLE_COLUMNS) {
      const m = members.find((x) => x.rank === PI_COLUMN_FIELDS[col].rank);
      if (m) values[col] = PI_COLUMN_FIELDS[col].field === 'piPriority' ? m.pi_priority : m.comments;
    }
    const pushable = isPushableId(t.spicadb_id, t.is_demo === 1);
    const row = pushable ? readOutbox(store, s.catalog).find((r) => r.pk === t.spicadb_id) : undefined;
    const pending: TargetSyncState['pending'] = {};
    for (const [c, v] of Object.entries(row?.patch ?? {})) pending[c as PiEditableColumn] = v.local;
    const base = pushable ? readBase(store, s.catalog, t.spicadb_id as string) : null;
    let editableHint: boolean | null = null;
    if (base && s.login) {
      const aliases = readSyncState<string[]>(store, 'jmmc.pi_aliases');
      if (aliases) editableHint = piNamesOf(base.row, s.catalog).some((n) => aliases.some((a) => a.toUpperCase() === n.toUpperCase())) || null;
    }
    return {
      targetId: t.id,
      name: t.name,
      spicadbId: t.spicadb_id,
      isSyncable: pushable,
      reason: pushable ? null : t.is_demo === 1 ? 'demo target: edited here only' : t.spicadb_id === null ? 'no SPICA-DB id: edited here only' : `SPICA-DB id "${t.spicadb_id}" is not a number: edited here only`,
      pushColumns: s.pushColumns,
      ranks: members.map((m) => m.rank),
      values,
      pending,
      state: row?.state ?? null,
      rejected: row?.state === 'rejected' ? row.error : null,
      conflicts: readConflicts(store, false).filter((c) => c.targetId === t.id || (pushable && c.pk === t.spicadb_id)).map(conflictView),
      withdrawnAt: iso(t.withdrawn_at_ms),
      editableHint,
    };
  };

  /** Keep the password: stored when `remember` (session memory if the store refuses), else for this session. */
  const setSessionOrStore = (s: SyncSettings, login: string, password: string, remember: boolean): void => {
    const key = credentialKey(s.apiUrl, login);
    session.set(key, password);
    if (!remember) return;
    ctx.secrets.set(key, password);
    session.delete(key);
  };

  // Another process (a CLI sync beside the app) changes what the indicator shows.
  const unsubscribe = store.onDidChange((_entities, info) => {
    if (info.isExternal) emitStatus();
  });
  schedule();

  return {
    run,
    close: () => {
      isClosed = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
    },
    handlers: {
      'sync.status': () => status(),
      'sync.configure': (p) => {
        const before = settings();
        const next: SyncSettings = { ...before };
        next.env = p.env ?? (p.tapUrl || p.apiUrl ? 'custom' : before.env);
        if (next.env === 'custom') {
          // A new custom pair names both services: a custom TAP must not go with JMMC's API, nor the reverse.
          const keep = before.env === 'custom';
          try {
            Object.assign(next, endpointsOf('custom', { tapUrl: p.tapUrl ?? (keep ? before.tapUrl : undefined), apiUrl: p.apiUrl ?? (keep ? before.apiUrl : undefined) }));
          } catch (e) {
            throw new ApiError('invalid-input', (e as Error).message);
          }
        } else {
          if (p.tapUrl || p.apiUrl) throw new ApiError('invalid-input', 'tapUrl / apiUrl go with env custom (production and pre-production are fixed pairs)');
          Object.assign(next, endpointsOf(next.env));
        }
        for (const u of [next.tapUrl, next.apiUrl]) {
          const proto = new URL(u).protocol;
          if (proto !== 'https:' && proto !== 'http:') throw new ApiError('invalid-input', `${u}: only http and https URLs`);
        }
        if (p.catalog !== undefined) next.catalog = p.catalog;
        if (p.login !== undefined) next.login = p.login;
        if (p.pushColumns !== undefined) next.pushColumns = PI_EDITABLE_COLUMNS.filter((c) => p.pushColumns?.includes(c));
        if (p.autoSyncMinutes !== undefined) next.autoSyncMinutes = p.autoSyncMinutes;
        if (p.maxRec !== undefined) next.maxRec = p.maxRec;
        writeSyncState(store, SETTINGS_KEY, next);
        // Bases belong to one database: another environment or catalogue starts from a fresh pull.
        if (next.tapUrl !== before.tapUrl || next.apiUrl !== before.apiUrl || next.catalog !== before.catalog) dropBases(store);
        if (next.catalog !== before.catalog) moveOutbox(store, before.catalog, next.catalog);
        if (next.login !== before.login || next.apiUrl !== before.apiUrl) {
          const l = last();
          if (l.state === 'needs-sign-in') writeSyncState(store, LAST_KEY, { ...l, state: l.attemptedAt ? 'idle' : 'never', lastError: null });
        }
        schedule();
        emitStatus();
        return status();
      },
      'sync.signIn': async ({ login, password, remember }) => {
        const s = settings();
        const who = login ?? s.login;
        if (!who) throw new ApiError('invalid-input', 'give the login (the e-mail address of your JMMC account)');
        let warning: string | null = null;
        try {
          const answer = await new CatalogApi(s.apiUrl, { login: who, password }, { timeoutMs: 20_000 }).status();
          if (answer.login.toLowerCase() !== who.toLowerCase()) {
            throw new ApiError('invalid-input', `the catalog API at ${s.apiUrl} did not accept the password of ${who} (it answers as "${answer.login || 'nobody'}")`);
          }
          writeSyncState(store, 'jmmc.pi_aliases', answer.piAliases);
        } catch (e) {
          if (e instanceof ApiError) throw e;
          if (e instanceof SyncHttpError && !e.isTransient) {
            throw new ApiError('invalid-input', `the catalog API refused ${who}: ${e.message}`);
          }
          // Offline first: keep it and check at the next sync.
          warning = `could not check the password now (${(e as Error).message}); it will be tried at the next sync`;
        }
        if (who !== s.login) writeSyncState(store, SETTINGS_KEY, { ...s, login: who });
        try {
          setSessionOrStore({ ...s, login: who }, who, password, remember);
        } catch (e) {
          warning = `${(e as Error).message}`;
        }
        const l = last();
        writeSyncState(store, LAST_KEY, { ...l, state: l.attemptedAt ? 'idle' : 'never', lastError: warning });
        schedule();
        emitStatus();
        return status();
      },
      'sync.signOut': () => {
        const s = settings();
        if (s.login) {
          const key = credentialKey(s.apiUrl, s.login);
          session.delete(key);
          try {
            ctx.secrets.delete(key);
          } catch {
            // An unreadable credentials file: nothing of ours to remove.
          }
        }
        emitStatus();
        return status();
      },
      'sync.importNetrc': () => {
        const s = settings();
        const host = new URL(s.apiUrl).hostname;
        const entry = readNetrc(host);
        if (!entry) throw new ApiError('not-found', `~/.netrc has no "machine ${host}" entry with a login and a password`);
        writeSyncState(store, SETTINGS_KEY, { ...s, login: entry.login });
        setSessionOrStore({ ...s, login: entry.login }, entry.login, entry.password, true);
        emitStatus();
        return { login: entry.login, host, status: status() };
      },
      'sync.run': ({ kind }) => run(kind),
      'sync.runs': ({ limit }) => readRuns<SyncReport>(store, limit),
      'sync.pending': () => {
        const names = new Map((store.sqlite.prepare('select id, name from targets').all() as Array<{ id: string; name: string }>).map((r) => [r.id, r.name]));
        return readOutbox(store).map((r) => ({
          catalog: r.catalog,
          pk: r.pk,
          targetId: r.targetId,
          targetName: r.targetId ? (names.get(r.targetId) ?? null) : null,
          columns: r.patch,
          state: r.state,
          error: r.error,
          attempts: r.attempts,
          editedAt: iso(r.editedAtMs) as string,
        }));
      },
      'sync.pending.retry': ({ pk }) => {
        const retried = retryRejected(store, pk);
        emitStatus();
        return { retried };
      },
      'sync.pending.discard': ({ pk }) => {
        const discarded = discardOutbox(store, pk);
        if (discarded === 0) throw new ApiError('not-found', `no waiting or refused edit for SPICA-DB id ${pk}`);
        emitStatus();
        return { discarded };
      },
      'sync.conflicts': ({ includeResolved }) => readConflicts(store, includeResolved).map(conflictView),
      'sync.resolve': ({ id, keep, value }) => {
        try {
          resolveConflict(store, id, keep, value as CanonValue | undefined);
        } catch (e) {
          if (e instanceof ConflictError) throw new ApiError(/^no conflict/.test(e.message) ? 'not-found' : 'conflict', e.message);
          throw e;
        }
        emitStatus();
        return conflictView(readConflicts(store, true).find((c) => c.id === id) as ConflictRow);
      },
      'sync.target': ({ id }) => targetState(id),
      'sync.editTarget': (p) => {
        let id = p.id;
        if (p.query !== undefined) {
          const found = findTargets(store, p.query);
          if (found.length === 0) throw new ApiError('not-found', `no live target "${p.query}" (give its SPICA-DB id, id or name)`);
          if (found.length > 1) throw new ApiError('conflict', `"${p.query}" matches ${found.length} targets (${found.slice(0, 5).map((t) => `${t.name} ${t.spicadbId ?? t.id}`).join('; ')}): give the SPICA-DB id`);
          id = found[0].id;
        }
        const changes: Partial<Record<PiEditableColumn, CanonValue>> = {};
        if (p.priorityPi !== undefined) changes.priority_pi = p.priorityPi;
        if (p.priorityPi2 !== undefined) changes.priority_pi2 = p.priorityPi2;
        if (p.comments !== undefined) changes.comments = p.comments === null ? null : canonValue('text', p.comments) === null ? null : p.comments;
        if (p.comments2 !== undefined) changes.comments2 = p.comments2 === null ? null : canonValue('text', p.comments2) === null ? null : p.comments2;
        try {
          recordPiEdit(store, { targetId: id as string, changes, catalog: settings().catalog, pushColumns: settings().pushColumns });
        } catch (e) {
          if (e instanceof PiEditError) throw new ApiError(/^no live target/.test(e.message) ? 'not-found' : 'invalid-input', e.message);
          throw e;
        }
        emitStatus();
        return targetState(id as string);
      },
      'sync.reference': ({ catalog }) => {
        const t = readReferenceTable(store, catalog);
        return { catalog, fields: t.fields, rows: t.rows, pulledAt: iso(t.pulledAtMs), complete: t.complete };
      },
    },
  };
}
