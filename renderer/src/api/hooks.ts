/** React hooks over the API client: load a method's result, and listen to events. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { EventName, Input, MethodName, Payload, Result } from '../../../shared/contract';
import { api } from './client';

const prefetched = new Map<string, Promise<unknown>>();

/**
 * Start a call before React has rendered (the first screen's data), so the request overlaps with
 * the app's own start-up; the first `useApi` with the same method and params takes it over.
 */
export function prefetch<M extends MethodName>(method: M, params: Input<M>): void {
  const key = `${method} ${JSON.stringify(params)}`;
  const promise = api.call(method, params);
  promise.catch(() => undefined);
  prefetched.set(key, promise);
}

function takePrefetched(method: string, paramsJson: string): Promise<unknown> | undefined {
  const key = `${method} ${paramsJson}`;
  const promise = prefetched.get(key);
  prefetched.delete(key);
  return promise;
}

export interface QueryState<T> {
  data: T | undefined;
  error: string | null;
  isLoading: boolean;
  reload(): void;
}

/**
 * Call `method` with `params` whenever their JSON changes (or `reload()` is called); keeps the
 * last data while reloading so tables do not flash. `params = null` skips the call.
 */
export function useApi<M extends MethodName>(method: M, params: Input<M> | null): QueryState<Result<M>> {
  const [data, setData] = useState<Result<M>>();
  const [error, setError] = useState<string | null>(null);
  const [isLoading, setLoading] = useState(params !== null);
  const [generation, setGeneration] = useState(0);
  const key = params === null ? null : JSON.stringify(params);
  const latest = useRef(0);
  useEffect(() => {
    if (key === null) return;
    const ticket = ++latest.current;
    setLoading(true);
    ((takePrefetched(method, key) as Promise<Result<M>> | undefined) ?? api.call(method, JSON.parse(key) as Input<M>))
      .then((r) => {
        if (ticket !== latest.current) return;
        setData(r);
        setError(null);
      })
      .catch((e: Error) => ticket === latest.current && setError(e.message))
      .finally(() => ticket === latest.current && setLoading(false));
  }, [method, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, isLoading, reload };
}

/** Subscribe to an API event for the lifetime of the component. */
export function useApiEvent<E extends EventName>(event: E, listener: (payload: Payload<E>) => void): void {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => api.on(event, (p) => ref.current(p)), [event]);
}
