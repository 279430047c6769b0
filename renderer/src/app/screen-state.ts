/**
 * Screen state that outlives the screen: observers hop between Tonight, Target and Calibrators all
 * night, and each screen must come back as it was left (its target, its tab, the Dec strip and the
 * seeing of tonight). Values live in one module-level store keyed by name, above the screens;
 * `persist` ones are also kept in localStorage, so they survive a reload — keyed per night where
 * they belong to a night. A key has one value for the whole renderer: two components reading the
 * same key see the same thing.
 */
import { useCallback, useSyncExternalStore } from 'react';

const PREFIX = 'spica.screen.';
const values = new Map<string, unknown>();
const listeners = new Map<string, Set<() => void>>();

function read<T>(key: string, initial: T, persist: boolean): T {
  if (values.has(key)) return values.get(key) as T;
  if (persist) {
    try {
      const stored = localStorage.getItem(PREFIX + key);
      if (stored !== null) {
        const parsed = JSON.parse(stored) as T;
        values.set(key, parsed);
        return parsed;
      }
    } catch {
      // A damaged entry is ignored: the screen starts from its default.
    }
  }
  // Remembered at once, so every read of an unset key returns the same object.
  values.set(key, initial);
  return initial;
}

/** Set a screen-state value from outside a component (e.g. another screen hands over a target). */
export function setScreenState<T>(key: string, value: T, persist = false): void {
  values.set(key, value);
  if (persist) {
    try {
      localStorage.setItem(PREFIX + key, JSON.stringify(value));
    } catch {
      // Storage full or unavailable: the value still lives for this session.
    }
  }
  for (const l of listeners.get(key) ?? []) l();
}

function subscribe(key: string, listener: () => void): () => void {
  let set = listeners.get(key);
  if (!set) {
    set = new Set();
    listeners.set(key, set);
  }
  set.add(listener);
  return () => set.delete(listener);
}

export interface ScreenStateOptions {
  /** Keep the value in localStorage (survives a reload). */
  persist?: boolean;
}

/**
 * `useState` whose value lives above the screens under `key`. `initial` is used until the key is
 * first set; it should be stable (a constant or a memoised value).
 */
export function useScreenState<T>(key: string, initial: T, options: ScreenStateOptions = {}): [T, (next: T | ((previous: T) => T)) => void] {
  const persist = options.persist ?? false;
  const value = useSyncExternalStore(
    useCallback((l: () => void) => subscribe(key, l), [key]),
    () => read(key, initial, persist),
  );
  const set = useCallback(
    (next: T | ((previous: T) => T)) => {
      const previous = read(key, initial, persist);
      const resolved = typeof next === 'function' ? (next as (p: T) => T)(previous) : next;
      if (!Object.is(resolved, previous)) setScreenState(key, resolved, persist);
    },
    // `initial` may be a fresh literal on each render; only the key decides identity.
    [key, persist],
  );
  return [value, set];
}
