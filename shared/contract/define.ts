/**
 * Building blocks of the typed API contract shared by the main process, the browser-mode server
 * and the renderer. A method is a name, a zod schema for its single params object, and a phantom
 * result type; an event is a name and a phantom payload type. Values are JSON-only on both sides.
 */
import type { z } from 'zod';

/** One request/response method of the contract. `R` exists only at the type level. */
export interface MethodSpec<P extends z.ZodType, R> {
  /** What the method does, shown in generated docs and error messages. */
  readonly doc: string;
  /** Schema that every transport validates incoming params against. */
  readonly params: P;
  /** Phantom marker for the result type; never read at run time. */
  readonly result?: R;
}

/** One main → renderer push event of the contract. `T` exists only at the type level. */
export interface EventSpec<T> {
  readonly doc: string;
  readonly payload?: T;
}

/** Declare a method; `R` is given explicitly, params are inferred from the schema. */
export function defineMethod<R>() {
  return <P extends z.ZodType>(spec: { doc: string; params: P }): MethodSpec<P, R> => spec;
}

/** Declare an event carrying payloads of type `T`. */
export function defineEvent<T>(doc: string): EventSpec<T> {
  return { doc };
}

/** A map of method names to specs. */
export type MethodMap = Record<string, MethodSpec<z.ZodType, unknown>>;
/** A map of event names to specs. */
export type EventMap = Record<string, EventSpec<unknown>>;

/** Params type (after validation) of a method spec. */
export type ParamsOf<S> = S extends MethodSpec<infer P, unknown> ? z.output<P> : never;
/** Params type a caller may pass (before defaults are applied) of a method spec. */
export type InputOf<S> = S extends MethodSpec<infer P, unknown> ? z.input<P> : never;
/** Result type of a method spec. */
export type ResultOf<S> = S extends MethodSpec<z.ZodType, infer R> ? R : never;
/** Payload type of an event spec. */
export type PayloadOf<S> = S extends EventSpec<infer T> ? T : never;

/**
 * Error codes every transport carries unchanged to the caller. `forbidden`: the caller itself
 * is refused (an IPC call from a frame that is not the app's own), whatever it asked.
 */
export type ErrorCode = 'invalid-input' | 'not-found' | 'conflict' | 'unavailable' | 'forbidden' | 'internal';

/** The error shape both transports deliver for a failed call. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
}

/** An error a service throws on purpose: its code and message reach the caller as they are. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
