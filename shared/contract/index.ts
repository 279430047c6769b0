/**
 * The one API contract between the renderer and the services. Both transports (Electron IPC
 * through the sandboxed preload, and browser mode over HTTP + SSE) are generic loops over
 * `methods` and `events`, so a method added to a domain file here is reachable everywhere.
 */
import type { InputOf, ParamsOf, PayloadOf, ResultOf } from './define';
import { appEvents, appMethods } from './app';
import { astroEvents, astroMethods } from './astro';
import { calibratorsEvents, calibratorsMethods } from './calibrators';
import { modelsEvents, modelsMethods } from './models';
import { plannerEvents, plannerMethods } from './planner';
import { reviewEvents, reviewMethods } from './review';
import { sampEvents, sampMethods } from './samp';
import { surveyEvents, surveyMethods } from './survey';
import { syncEvents, syncMethods } from './sync';

export * from './define';

/** Every method of the API, by name (`domain.verb`). */
export const methods = {
  ...appMethods,
  ...surveyMethods,
  ...astroMethods,
  ...plannerMethods,
  ...sampMethods,
  ...calibratorsMethods,
  ...reviewMethods,
  ...modelsMethods,
  ...syncMethods,
};

/** Every push event of the API, by name (`domain.noun`). */
export const events = {
  ...appEvents,
  ...surveyEvents,
  ...astroEvents,
  ...plannerEvents,
  ...sampEvents,
  ...calibratorsEvents,
  ...reviewEvents,
  ...modelsEvents,
  ...syncEvents,
};

export type Methods = typeof methods;
export type Events = typeof events;
export type MethodName = keyof Methods & string;
export type EventName = keyof Events & string;
/** Validated params of method `M`. */
export type Params<M extends MethodName> = ParamsOf<Methods[M]>;
/** Params a caller passes to method `M` (defaults not yet applied). */
export type Input<M extends MethodName> = InputOf<Methods[M]>;
/** Result of method `M`. */
export type Result<M extends MethodName> = ResultOf<Methods[M]>;
/** Payload of event `E`. */
export type Payload<E extends EventName> = PayloadOf<Events[E]>;

/** Names of all methods, for the transports' generic loops. */
export const methodNames = Object.keys(methods) as MethodName[];
/** Names of all events, for the transports' generic loops. */
export const eventNames = Object.keys(events) as EventName[];

/** The typed client every transport exposes to the renderer. */
export interface ApiClient {
  call<M extends MethodName>(method: M, params: Input<M>): Promise<Result<M>>;
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: Payload<E>) => void): () => void;
}
