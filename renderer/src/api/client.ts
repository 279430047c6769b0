/**
 * The renderer's only door to the services: the typed `api` client over whichever transport is
 * present — Electron IPC through the preload's `window.spica`, or browser mode's HTTP + SSE.
 */
import type { ApiClient, EventName, Input, MethodName, Payload, Result } from '../../../shared/contract';
// ApiError comes from define.ts directly: the contract index builds zod schemas at load time,
// which the renderer never needs.
import { ApiError, type ApiErrorBody } from '../../../shared/contract/define';

type Listener = (payload: unknown) => void;

const listeners = new Map<string, Set<Listener>>();

function dispatch(event: string, payload: unknown): void {
  for (const l of listeners.get(event) ?? []) l(payload);
}

function fail(error: ApiErrorBody): never {
  throw new ApiError(error.code, error.message);
}

let eventSource: EventSource | null = null;

function ensureEvents(): void {
  if (window.spica) {
    if (!eventSource && !(ensureEvents as { ipc?: boolean }).ipc) {
      (ensureEvents as { ipc?: boolean }).ipc = true;
      window.spica.onEvent(dispatch);
    }
    return;
  }
  if (eventSource) return;
  eventSource = new EventSource('/api/events');
  eventSource.onmessage = (m) => {
    const { event, payload } = JSON.parse(m.data as string) as { event: string; payload: unknown };
    dispatch(event, payload);
  };
}

async function httpCall(method: string, params: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(`/api/call/${encodeURIComponent(method)}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(params ?? {}),
    });
  } catch (e) {
    throw new ApiError('unavailable', `The app's server is not reachable (${(e as Error).message})`);
  }
  const text = await response.text();
  let body: { ok: boolean; result?: unknown; error?: ApiErrorBody };
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(response.status === 401 ? 'unavailable' : 'internal', text.slice(0, 300));
  }
  if (!body.ok) fail(body.error as ApiErrorBody);
  return body.result;
}

/** The typed API client. */
export const api: ApiClient = {
  async call<M extends MethodName>(method: M, params: Input<M>): Promise<Result<M>> {
    if (window.spica) {
      const reply = await window.spica.call(method, params);
      if (!reply.ok) fail(reply.error);
      return reply.result as Result<M>;
    }
    return (await httpCall(method, params)) as Result<M>;
  },
  on<E extends EventName>(event: E, listener: (payload: Payload<E>) => void): () => void {
    ensureEvents();
    const set = listeners.get(event) ?? new Set<Listener>();
    set.add(listener as Listener);
    listeners.set(event, set);
    return () => set.delete(listener as Listener);
  },
};

/** Which transport this window uses. */
export const transportName = (): 'electron' | 'browser' => (window.spica ? 'electron' : 'browser');
