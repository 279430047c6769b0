/**
 * What every domain service receives: the store, the resolved paths and a typed event emitter.
 * Services are plain Node and never import `electron`; the shell and the browser-mode server
 * build one `ServiceContext` each and hand it to `createServices`.
 */
import type { EventName, MethodMap, ParamsOf, Payload, ResultOf } from '../../shared/contract';
import type { Store } from '../db/store';
import type { CalibratorsApi } from './calibrators';
import type { SummaryCache } from './survey/summaries';
import type { SecretStore } from './sync/secrets';

/** Folders the services read and write. */
export interface AppPaths {
  /** User data folder: the SQLite store, backups, settings, logs. */
  dataDir: string;
  /** Bundled read-only resources (CHARA model, calibrator backbone, bright-star data). */
  resourcesDir: string;
  /** drizzle-kit migrations folder. */
  migrationsDir: string;
}

export interface ServiceContext {
  store: Store;
  paths: AppPaths;
  /** Which transport serves the UI: the Electron shell, browser mode, or the CLI (no UI). */
  transport: 'electron' | 'browser' | 'cli';
  /** Where passwords are kept (main process only): the system keychain in the desktop app, a 0600 file otherwise. */
  secrets: SecretStore;
  emit<E extends EventName>(event: E, payload: Payload<E>): void;
  /** Listen to another service's events (e.g. review learns of files received over SAMP); returns the unsubscribe. */
  on<E extends EventName>(event: E, listener: (payload: Payload<E>) => void): () => void;
  /**
   * Other services' internal APIs, filled by the registry once every service exists: a service
   * calls `ctx.peers.calibrators` at run time instead of re-creating another service's internals.
   */
  peers: ServicePeers;
}

/** The services one service may call directly (set by `createServices`). */
export interface ServicePeers {
  calibrators?: CalibratorsApi;
  /** The survey service's summary cache (the store's one list of targets with NSS priorities). */
  survey?: { summaries: SummaryCache };
}

/** The implementation of every method of one contract domain. */
export type Handlers<M extends MethodMap> = {
  [K in keyof M]: (params: ParamsOf<M[K]>) => Promise<ResultOf<M[K]>> | ResultOf<M[K]>;
};

/** A domain service: its handlers and an optional shutdown hook (servers, watchers, timers). */
export interface DomainService<M extends MethodMap> {
  handlers: Handlers<M>;
  close?(): Promise<void> | void;
}
