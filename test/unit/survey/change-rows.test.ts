/**
 * What `Store.write` tells its listeners about the rows it wrote (`ChangeInfo.rows`): the ids per
 * table for this process's small writes, nothing past the cap, and nothing for another
 * connection's commits (which `refresh()` knows by table only). Real SQLite file and migrations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { TOUCHED_IDS_CAP } from '../../../electron/db/repos/write';
import { Store, type ChangeInfo } from '../../../electron/db/store';
import { MIGRATIONS, Sandbox } from './helpers';

const sandbox = new Sandbox();
afterEach(() => sandbox.cleanup());

/** A fresh store in a temp folder, and every change its listeners hear. */
function storeHearing(): { dir: string; store: Store; heard: Array<{ entities: string[]; info: ChangeInfo }> } {
  const dir = sandbox.dir('spica-rows-');
  const store = sandbox.track(Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }));
  const heard: Array<{ entities: string[]; info: ChangeInfo }> = [];
  store.onDidChange((entities, info) => heard.push({ entities: [...entities].sort(), info }));
  return { dir, store, heard };
}

describe('ChangeInfo.rows', () => {
  it('lists the ids written per table, each once, for this process\'s write', () => {
    const { store, heard } = storeHearing();
    const piId = store.write((w) => {
      const id = w.insert('pis', { name: 'A. Observer' });
      w.update('pis', id, { email: 'a@example.org' });
      w.setSetting('planner.night', '2026-05-15');
      return id;
    });
    expect(heard).toHaveLength(1);
    expect(heard[0].info.isExternal).toBe(false);
    expect(heard[0].info.rows).toEqual(new Map([['pis', new Set([piId])], ['settings', new Set(['planner.night'])]]));
  });

  it(`keeps up to ${TOUCHED_IDS_CAP} ids in all, and none past that`, () => {
    const { store, heard } = storeHearing();
    const writeSettings = (n: number) =>
      store.write((w) => {
        for (let i = 0; i < n; i++) w.setSetting(`test.${i}`, i);
      });
    writeSettings(TOUCHED_IDS_CAP);
    expect(heard.at(-1)?.info.rows?.get('settings')?.size).toBe(TOUCHED_IDS_CAP);
    writeSettings(TOUCHED_IDS_CAP + 1);
    expect(heard.at(-1)?.entities).toEqual(['settings']);
    expect(heard.at(-1)?.info).toEqual({ isExternal: false });
  });

  it('names no rows for another connection\'s commit', () => {
    const { dir, store, heard } = storeHearing();
    const other = sandbox.track(Store.open({ dataDir: dir, migrationsDir: MIGRATIONS }));
    other.write((w) => w.insert('pis', { name: 'B. Observer' }));
    expect(heard).toHaveLength(0);
    expect(store.refresh()).toBe(true);
    expect(heard).toEqual([{ entities: ['pis'], info: { isExternal: true } }]);
  });
});
