/**
 * One sync with SPICA-DB, as sync.md §4.3–§4.4 order it: pull (TAP snapshot of the catalogue and
 * of the reference tables) → push (the outbox, in batches) → verify (re-read and replace the base).
 *
 * Push rules: a pre-write re-read of the batch's rows merges them first (so a value changed
 * remotely since the pull becomes a conflict, and an edit SPICA-DB already has is dropped); a
 * refused batch is bisected to name the refused rows; a 401 that is not about row ownership stops
 * the push in "needs sign-in" and is never retried; network errors and 5xx are retried with
 * back-off, each retry preceded by the same re-read; after a 204 the rows are read again and the
 * server's values replace the base (absorbing normalize-space and casts), and `lastmods` is
 * audited for writes our push landed over.
 */
import { v7 as uuidv7 } from 'uuid';
import type { SyncProgress, SyncReport, SyncSettings } from '../../../shared/contract/sync';
import type { CrossIdIndex } from '../../../shared/survey/identifiers';
import { piNamesOf, primaryKeyOf, REFERENCE_CATALOGS } from '../../../shared/sync/jmmc';
import {
  applyRemoteRows,
  markOutbox,
  readBase,
  readOutbox,
  recordOverwrites,
  type OutboxRow,
} from '../../db/repos/sync';
import type { Store } from '../../db/store';
import { CatalogApi, classifyRefusal, type ApiPi, type Credentials } from './catalog-api';
import { SyncHttpError } from './http';
import { TapClient } from './tap-client';

/** The server refused our credentials (or we have none): sync pauses until the user signs in. */
export class NeedsSignInError extends Error {}

export interface EngineDeps {
  store: Store;
  settings: SyncSettings;
  envLabel: string;
  credentials: Credentials | null;
  crossIds?: CrossIdIndex;
  onProgress(p: SyncProgress): void;
  /** Waits between retries of a transient push failure (default 2, 8, 30 s). */
  retryDelaysMs?: number[];
  /** Rows per PUT (at most 50: the server checks rights row by row before its transaction). */
  batchSize?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const MAX_BATCH_ROWS = 50;
/** After this many 204s that left SPICA-DB's value unchanged, a row is refused instead of re-sent. */
const MAX_NO_EFFECT_ATTEMPTS = 3;

type PushReport = NonNullable<SyncReport['push']>;

function emptyPush(): PushReport {
  return { rows: 0, columns: 0, requests: 0, converged: 0, conflicts: 0, rejected: [], roundTripMs: [], durationMs: 0 };
}

/** Whether an error means "the network or the server is down for now". */
export function isTransient(e: unknown): boolean {
  return e instanceof SyncHttpError && e.isTransient;
}

export class SyncEngine {
  readonly tap: TapClient;
  readonly api: CatalogApi;
  private readonly catalog: string;
  private readonly key: string;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: EngineDeps) {
    this.catalog = deps.settings.catalog;
    this.key = primaryKeyOf(this.catalog);
    this.tap = new TapClient(deps.settings.tapUrl, { timeoutMs: deps.timeoutMs });
    this.api = new CatalogApi(deps.settings.apiUrl, deps.credentials, { timeoutMs: deps.timeoutMs });
    this.sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Run a sync and return its report; a failure is in the report (`outcome: failed`, `errors`), and rethrown only for "needs sign-in". */
  async run(kind: SyncReport['kind']): Promise<{ report: SyncReport; failure: unknown }> {
    const started = Date.now();
    const report: SyncReport = {
      id: uuidv7(),
      kind,
      startedAt: new Date(started).toISOString(),
      finishedAt: '',
      outcome: 'ok',
      envLabel: this.deps.envLabel,
      catalog: this.catalog,
      login: this.deps.settings.login,
      pull: null,
      references: [],
      push: null,
      overwritten: 0,
      errors: [],
    };
    let failure: unknown = null;
    try {
      if (kind !== 'push') await this.pull(report);
      if (kind !== 'pull') await this.push(report);
    } catch (e) {
      failure = e;
      report.errors.push((e as Error).message);
    }
    report.finishedAt = new Date().toISOString();
    const partial =
      (report.push?.rejected.length ?? 0) > 0 ||
      (report.push?.conflicts ?? 0) > 0 ||
      (report.pull?.conflicts ?? 0) > 0 ||
      report.pull?.complete === false ||
      report.references.some((r) => r.error !== null) ||
      report.overwritten > 0;
    report.outcome = failure ? 'failed' : partial ? 'partial' : 'ok';
    return { report, failure };
  }

  private get delays(): number[] {
    return this.deps.retryDelaysMs ?? [2000, 8000, 30_000];
  }

  /** Run a read, retrying network errors and 5xx after the back-off waits. */
  private async withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (e) {
        if (!isTransient(e) || attempt >= this.delays.length) throw e;
        this.progress('push', `${what}: retry in ${Math.round(this.delays[attempt] / 1000)} s`);
        await this.sleep(this.delays[attempt]);
      }
    }
  }

  private progress(phase: SyncProgress['phase'], step: string, done = 0, total = 0, bytes = 0): void {
    this.deps.onProgress({ phase, step, done, total, bytes });
  }

  /** Pull the catalogue (and the reference tables) and apply each snapshot in one transaction. */
  async pull(report: SyncReport): Promise<void> {
    const t0 = Date.now();
    const snap = await this.tap.snapshot(this.catalog, this.key, {
      maxRec: this.deps.settings.maxRec,
      onProgress: (step, done, total, bytes) => this.progress('pull', step, done, total, bytes),
    });
    this.progress('pull', 'apply', 0, snap.rows.length, snap.bytes);
    const applied = applyRemoteRows(
      this.deps.store,
      { catalog: this.catalog, tapUrl: this.deps.settings.tapUrl, fields: snap.fields, rows: snap.rows },
      {
        kind: 'snapshot',
        snapshot: { complete: snap.complete, serverCount: snap.serverCount, notice: snap.notice },
        crossIds: this.deps.crossIds,
        onProgress: (done, total) => this.progress('pull', 'apply', done, total, snap.bytes),
      },
    );
    report.pull = {
      rows: snap.rows.length,
      added: applied.added,
      updated: applied.updated,
      unchanged: applied.unchanged,
      withdrawn: applied.withdrawn,
      relisted: applied.relisted,
      reverted: applied.reverted,
      skipped: applied.skipped,
      conflicts: applied.conflicts,
      complete: snap.complete,
      serverCount: snap.serverCount,
      notice: snap.notice,
      bytes: snap.bytes,
      durationMs: Date.now() - t0,
    };
    for (const catalog of REFERENCE_CATALOGS) {
      this.progress('references', catalog);
      try {
        const ref = await this.tap.snapshot(catalog, primaryKeyOf(catalog), { maxRec: this.deps.settings.maxRec });
        applyRemoteRows(this.deps.store, { catalog, tapUrl: this.deps.settings.tapUrl, fields: ref.fields, rows: ref.rows }, {
          kind: 'snapshot',
          snapshot: { complete: ref.complete, serverCount: ref.serverCount, notice: ref.notice },
        });
        report.references.push({ catalog, rows: ref.rows.length, complete: ref.complete, error: null });
      } catch (e) {
        if (isTransient(e)) throw e;
        report.references.push({ catalog, rows: 0, complete: false, error: (e as Error).message });
      }
    }
  }

  /** Which rows the account may edit, from its PI aliases and the PIs' delegations (a hint: the server decides). */
  private async rightsHint(): Promise<(row: Record<string, unknown>) => boolean> {
    const status = await this.api.status();
    const login = this.deps.credentials?.login ?? '';
    if (status.login.toLowerCase() !== login.toLowerCase()) {
      throw new NeedsSignInError(`the catalog API at ${this.deps.settings.apiUrl} did not accept the password of ${login} (it answers as "${status.login || 'nobody'}")`);
    }
    let pis: ApiPi[] = [];
    try {
      pis = await this.api.accounts(this.catalog);
    } catch (e) {
      if (isTransient(e)) throw e;
    }
    const mine = new Set(status.piAliases.map((a) => a.toUpperCase()));
    const isAdmin = status.groups.some((g) => g && this.catalog.startsWith(g)) || login.toLowerCase() === 'spica-qcs@jmmc.fr';
    const delegators = new Set(
      pis.filter((p) => p.delegations.some((d) => d.catalogs !== undefined && this.catalog.startsWith(d.catalogs) && d.coi.some((c) => mine.has(c.toUpperCase())))).map((p) => p.name.toUpperCase()),
    );
    return (row) => isAdmin || piNamesOf(row, this.catalog).some((n) => mine.has(n.toUpperCase()) || delegators.has(n.toUpperCase()));
  }

  /** Push the outbox: batches of likely-editable rows, single requests for the others. */
  async push(report: SyncReport): Promise<void> {
    const t0 = Date.now();
    const push = emptyPush();
    report.push = push;
    const waiting = readOutbox(this.deps.store, this.catalog).filter((r) => r.state !== 'rejected');
    if (waiting.length === 0) return;
    if (!this.deps.credentials) {
      throw new NeedsSignInError(`${waiting.length} edited row(s) wait for SPICA-DB: sign in with your JMMC account to push them`);
    }
    this.progress('push', 'rights', 0, waiting.length);
    let editable: (row: Record<string, unknown>) => boolean;
    try {
      editable = await this.withRetry('account', () => this.rightsHint());
    } catch (e) {
      if (e instanceof SyncHttpError && classifyRefusal(e) === 'sign-in') throw new NeedsSignInError(e.message);
      throw e;
    }
    const likely: OutboxRow[] = [];
    const unlikely: OutboxRow[] = [];
    for (const r of waiting) {
      const base = readBase(this.deps.store, this.catalog, r.pk);
      (base && !editable(base.row) ? unlikely : likely).push(r);
    }
    const size = Math.min(this.deps.batchSize ?? MAX_BATCH_ROWS, MAX_BATCH_ROWS);
    const batches: string[][] = [];
    for (let i = 0; i < likely.length; i += size) batches.push(likely.slice(i, i + size).map((r) => r.pk));
    for (const r of unlikely) batches.push([r.pk]);
    let done = 0;
    for (const pks of batches) {
      this.progress('push', 'batch', done, waiting.length);
      report.overwritten += await this.pushBatch(pks, push);
      done += pks.length;
    }
    this.progress('push', 'done', waiting.length, waiting.length);
    push.durationMs = Date.now() - t0;
  }

  /** Re-read rows and merge them (the pre-write check and the verify step). */
  private async reread(pks: string[]): Promise<{ found: Set<string>; lastmods: Map<string, string | null>; converged: string[]; conflicts: number }> {
    const fresh = await this.tap.rowsByKey(this.catalog, this.key, pks);
    const applied = applyRemoteRows(this.deps.store, { catalog: this.catalog, tapUrl: this.deps.settings.tapUrl, fields: fresh.fields, rows: fresh.rows }, { kind: 'subset', crossIds: this.deps.crossIds });
    const keyIndex = fresh.fields.findIndex((f) => f.name.toLowerCase() === this.key);
    const lastmodsIndex = fresh.fields.findIndex((f) => f.name.toLowerCase() === 'lastmods');
    const found = new Set(fresh.rows.map((r) => String(Number(r[keyIndex]))));
    const lastmods = new Map(fresh.rows.map((r) => [String(Number(r[keyIndex])), lastmodsIndex >= 0 ? r[lastmodsIndex] : null]));
    return { found, lastmods, converged: applied.converged, conflicts: applied.conflicts };
  }

  /** Push one batch; returns how many overwritten values the audit found. */
  private async pushBatch(pks: string[], push: PushReport): Promise<number> {
    const delays = this.delays;
    for (let attempt = 0; ; attempt++) {
      // Pre-write check: merge what SPICA-DB holds now (drops converged edits, makes conflicts).
      let check: Awaited<ReturnType<SyncEngine['reread']>>;
      try {
        check = await this.reread(pks);
      } catch (e) {
        if (!isTransient(e) || attempt >= delays.length) throw e;
        await this.sleep(delays[attempt]);
        continue;
      }
      push.converged += check.converged.length;
      push.conflicts += check.conflicts;
      const gone = pks.filter((pk) => !check.found.has(pk));
      if (gone.length > 0) markOutbox(this.deps.store, this.catalog, gone, 'rejected', `SPICA-DB's ${this.catalog} has no row with ${this.key} ${gone.join(', ')} (withdrawn upstream?)`);
      for (const pk of gone) push.rejected.push({ pk, targetName: this.targetName(pk), status: 404, reason: `no row with ${this.key} ${pk}` });
      const rows = readOutbox(this.deps.store, this.catalog).filter((r) => pks.includes(r.pk) && r.state !== 'rejected' && Object.keys(r.patch).length > 0);
      if (rows.length === 0) return 0;
      const heads = new Map(rows.map((r) => [r.pk, readBase(this.deps.store, this.catalog, r.pk)?.head ?? null]));
      markOutbox(this.deps.store, this.catalog, rows.map((r) => r.pk), 'sending');
      const sentAt = Date.now();
      push.requests++;
      try {
        await this.api.putRows(
          this.catalog,
          this.key,
          rows.map((r) => ({ id: r.pk, values: Object.fromEntries(Object.entries(r.patch).map(([c, v]) => [c, v.local])) })),
        );
      } catch (e) {
        if (!(e instanceof SyncHttpError)) {
          markOutbox(this.deps.store, this.catalog, rows.map((r) => r.pk), 'pending');
          throw e;
        }
        const refusal = classifyRefusal(e);
        if (refusal === 'transient') {
          markOutbox(this.deps.store, this.catalog, rows.map((r) => r.pk), 'pending');
          if (attempt >= delays.length) throw e;
          this.progress('push', `retry in ${Math.round(delays[attempt] / 1000)} s`, 0, 0);
          await this.sleep(delays[attempt]);
          continue;
        }
        if (refusal === 'sign-in') {
          markOutbox(this.deps.store, this.catalog, rows.map((r) => r.pk), 'pending');
          throw new NeedsSignInError(e.message);
        }
        if (rows.length === 1) {
          const reason = `HTTP ${e.status}: ${e.description ?? e.message}`;
          markOutbox(this.deps.store, this.catalog, [rows[0].pk], 'rejected', reason);
          push.rejected.push({ pk: rows[0].pk, targetName: this.targetName(rows[0].pk), status: e.status ?? 0, reason: e.description ?? e.message });
          return 0;
        }
        // Bisect: the server refuses the whole batch; halves name the rows at fault.
        markOutbox(this.deps.store, this.catalog, rows.map((r) => r.pk), 'pending');
        const half = Math.ceil(rows.length / 2);
        const a = await this.pushBatch(rows.slice(0, half).map((r) => r.pk), push);
        const b = await this.pushBatch(rows.slice(half).map((r) => r.pk), push);
        return a + b;
      }
      markOutbox(this.deps.store, this.catalog, rows.map((r) => r.pk), 'sent');
      push.rows += rows.length;
      push.columns += rows.reduce((n, r) => n + Object.keys(r.patch).length, 0);
      // Verify: the server's values become the base (the merge drops what landed).
      this.progress('verify', 'reread', 0, rows.length);
      const verify = await this.withRetry('verify', () => this.reread(rows.map((r) => r.pk)));
      push.roundTripMs.push(Date.now() - sentAt);
      push.conflicts += verify.conflicts;
      const overwritten = this.deps.credentials
        ? recordOverwrites(
            this.deps.store,
            this.catalog,
            rows.map((r) => ({ pk: r.pk, targetId: r.targetId, patch: r.patch, head: heads.get(r.pk) ?? null, lastmods: verify.lastmods.get(r.pk) ?? null })),
            this.deps.credentials.login,
          )
        : 0;
      push.conflicts += overwritten;
      // A 204 that left SPICA-DB's value as it was: re-sent next time, refused after a few tries.
      const stuck = readOutbox(this.deps.store, this.catalog).filter((r) => rows.some((x) => x.pk === r.pk) && r.state !== 'rejected');
      for (const r of stuck) {
        if (r.attempts >= MAX_NO_EFFECT_ATTEMPTS) {
          markOutbox(this.deps.store, this.catalog, [r.pk], 'rejected', `SPICA-DB answered 204 ${r.attempts} times but still holds the old value of ${Object.keys(r.patch).join(', ')}`);
          push.rejected.push({ pk: r.pk, targetName: this.targetName(r.pk), status: 204, reason: 'the write had no effect' });
        } else markOutbox(this.deps.store, this.catalog, [r.pk], 'pending');
      }
      return overwritten;
    }
  }

  private targetName(pk: string): string | null {
    const r = this.deps.store.sqlite.prepare('select name from targets where spicadb_id = ? and deleted = 0 and is_demo = 0').get(pk) as { name: string } | undefined;
    return r?.name ?? null;
  }
}
