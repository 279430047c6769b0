/**
 * Builds every domain service over one store and exposes them as a single `call` / `on` pair.
 * `call` is the validation boundary of the contract: both transports and the CLI go through it,
 * so params are parsed by the method's zod schema and results are checked to be plain JSON.
 */
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import {
  ApiError,
  methods,
  type ApiErrorBody,
  type EventName,
  type Input,
  type MethodName,
  type Payload,
  type Result,
} from '../../shared/contract';
import { maybeCompactChangeLog } from '../db/repos/batches';
import { Store } from '../db/store';
import { createAppService, type StartupTracker } from './app';
import { createAstroService } from './astro';
import { createCalibratorsService } from './calibrators';
import type { AppPaths, DomainService, ServiceContext } from './context';
import { createModelsService } from './models';
import { createPlannerService } from './planner';
import { createReviewService } from './review';
import { createSampService } from './samp';
import { createSurveyService } from './survey';
import { createSyncService } from './sync';
import { FileSecretStore, type SecretStore } from './sync/secrets';

export interface ServicesOptions {
  paths: AppPaths;
  transport: ServiceContext['transport'];
  /** Where passwords are kept; default a 0600 file in the data folder (the Electron shell passes the keychain). */
  secrets?: SecretStore;
}

type AnyHandler = (params: unknown) => unknown;

/** How often a long-running app looks for other processes' commits. */
const EXTERNAL_CHANGE_POLL_MS = 1000;

export interface Services {
  readonly store: Store;
  readonly paths: AppPaths;
  /** Start-up work (first-start demo survey) whose progress the UI shows. */
  readonly startup: StartupTracker;
  /** Validate params, run the method, and return its JSON result; throws `ApiError`. */
  call<M extends MethodName>(method: M, params: Input<M>): Promise<Result<M>>;
  /** Same as `call` for untyped input from a transport (method name and params unchecked). */
  callRaw(method: string, params: unknown): Promise<unknown>;
  on<E extends EventName>(event: E, listener: (payload: Payload<E>) => void): () => void;
  /** Every event, for transports that forward all of them. */
  onAny(listener: (event: EventName, payload: unknown) => void): () => void;
  close(): Promise<void>;
}

/** Turn anything thrown by a service into the error body the transports send. */
export function toErrorBody(e: unknown): ApiErrorBody {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  if (e instanceof z.ZodError) {
    const issue = e.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { code: 'invalid-input', message: `${where}${issue?.message ?? 'invalid input'}` };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message };
}

const STRICT_JSON = process.env.SPICA_STRICT_JSON === '1';

function assertJsonSafe(method: string, value: unknown, path = 'result'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${method}: ${path} is ${value}, which JSON cannot carry`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (v === undefined) throw new Error(`${method}: ${path}[${i}] is undefined`);
      assertJsonSafe(method, v, `${path}[${i}]`);
    });
    return;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) if (v !== undefined) assertJsonSafe(method, v, `${path}.${k}`);
    return;
  }
  throw new Error(`${method}: ${path} is a ${Object.prototype.toString.call(value)}, not plain JSON`);
}

function appVersion(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Open the store in `paths.dataDir` and start every domain service over it. */
export function createServices(options: ServicesOptions): Services {
  const store = Store.open({ dataDir: options.paths.dataDir, migrationsDir: options.paths.migrationsDir });
  const bus = new EventEmitter();
  bus.setMaxListeners(100);
  const ctx: ServiceContext = {
    store,
    paths: options.paths,
    transport: options.transport,
    peers: {},
    secrets: options.secrets ?? new FileSecretStore(options.paths.dataDir),
    emit: (event, payload) => {
      bus.emit(event, payload);
      bus.emit('*', event, payload);
    },
    on: (event, listener) => {
      bus.on(event, listener as (p: unknown) => void);
      return () => bus.off(event, listener as (p: unknown) => void);
    },
  };
  store.onDidChange((entities) => ctx.emit('survey.changed', { entities: [...entities].sort() }));
  // Another process (the CLI importing beside the app) may write the same store: the app looks
  // for its commits before every call and, for the UI's sake, once a second. `refresh` fires the
  // same change listeners (caches, `survey.changed`) as this process's own writes.
  const watcher = options.transport === 'cli' ? null : setInterval(() => store.refresh(), EXTERNAL_CHANGE_POLL_MS);
  watcher?.unref();
  if (options.transport !== 'cli') maybeCompactChangeLog(store);
  const domains: Array<DomainService<never>> = [];
  const handlers = new Map<string, AnyHandler>();
  const add = (service: { handlers: object; close?: () => unknown }): void => {
    domains.push(service as DomainService<never>);
    for (const [name, fn] of Object.entries(service.handlers)) handlers.set(name, fn as AnyHandler);
  };
  const appService = createAppService(ctx);
  add(appService);
  const survey = createSurveyService(ctx, appVersion());
  ctx.peers.survey = { summaries: survey.summaries };
  add(survey);
  add(createAstroService(ctx));
  add(createPlannerService(ctx));
  add(createSampService(ctx));
  const calibrators = createCalibratorsService(ctx);
  ctx.peers.calibrators = calibrators.api;
  add(calibrators);
  add(createReviewService(ctx));
  add(createModelsService(ctx));
  add(createSyncService(ctx));

  const callRaw = async (method: string, params: unknown): Promise<unknown> => {
    const spec = (methods as Record<string, { params: z.ZodType }>)[method];
    const handler = handlers.get(method);
    if (!spec || !handler) throw new ApiError('not-found', `Unknown method ${method}`);
    const checked = spec.params.safeParse(params ?? {});
    if (!checked.success) throw new ApiError('invalid-input', `${method}: ${toErrorBody(checked.error).message}`);
    const parsed = checked.data;
    store.refresh();
    const result = await handler(parsed);
    if (result === undefined) return null;
    // Results cross IPC and HTTP as JSON. Tests run with SPICA_STRICT_JSON=1 so that a result
    // which would not survive the trip fails loudly here rather than differ between transports.
    if (STRICT_JSON) assertJsonSafe(method, result);
    return result;
  };

  let isClosed = false;
  return {
    store,
    paths: options.paths,
    startup: appService.startup,
    call: (method, params) => callRaw(method, params) as Promise<never>,
    callRaw,
    on: ctx.on,
    onAny: (listener) => {
      bus.on('*', listener);
      return () => bus.off('*', listener);
    },
    close: async () => {
      if (isClosed) return;
      isClosed = true;
      if (watcher) clearInterval(watcher);
      for (const d of domains.reverse()) await d.close?.();
      store.close();
    },
  };
}
