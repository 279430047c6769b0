/** Reader and writer of key/value settings (JSON values). */
import type { Store } from '../store';
import { cachedStatement } from './write';

export function readSetting<T>(store: Store, key: string, fallback: T): T {
  const row = cachedStatement(store.sqlite, 'select value_json from settings where key = ?').get(key) as
    | { value_json: string }
    | undefined;
  return row ? (JSON.parse(row.value_json) as T) : fallback;
}

export function writeSetting(store: Store, key: string, value: unknown): void {
  store.write((w) => w.setSetting(key, value));
}
