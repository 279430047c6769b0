/** Services over temp data folders wired to the JMMC stand-in, for the sync tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type Services } from '../../../electron/services/registry';
import { resolvePaths } from '../../../electron/services/paths';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { ME } from '../../sync/fixtures';

// Short back-off in tests (the default waits 2, 8 and 30 s).
process.env.SPICA_SYNC_RETRY_DELAYS_MS ??= '10,20,40';

export class SyncSandbox {
  private readonly dirs: string[] = [];
  private readonly open: Array<{ close(): unknown }> = [];

  dir(prefix = 'spica-sync-'): string {
    const d = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(d);
    return d;
  }

  services(dataDir = this.dir(), transport: 'cli' | 'browser' = 'cli'): Services {
    const s = createServices({ paths: resolvePaths(dataDir), transport });
    this.open.push(s);
    return s;
  }

  track<T extends { close(): unknown }>(x: T): T {
    this.open.push(x);
    return x;
  }

  /** Services configured for `fake`, signed in as `who` (session only unless `remember`). */
  async client(fake: JmmcFake, who: { email: string; password: string } | null = ME, dataDir = this.dir(), remember = false): Promise<Services> {
    const s = this.services(dataDir);
    await s.call('sync.configure', { env: 'custom', tapUrl: fake.tapUrl, apiUrl: fake.apiUrl, catalog: 'spica', login: who?.email ?? null });
    if (who) await s.call('sync.signIn', { password: who.password, remember });
    return s;
  }

  async cleanup(): Promise<void> {
    for (const s of this.open.splice(0).reverse()) await s.close();
    for (const d of this.dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  }
}

/** The SPICA-DB id of the first rows of the stand-in whose PI is (or is not) `pi`. */
export function rowsOfPi(fake: JmmcFake, pi: string, n = 1, owned = true): number[] {
  return fake
    .rows('spica')
    .filter((r) => (String(r.piname ?? '').split('/').map((x) => x.trim()).includes(pi) || String(r.piname2 ?? '').split('/').map((x) => x.trim()).includes(pi)) === owned)
    .slice(0, n)
    .map((r) => r.spicadb_id as number);
}

/** The local target of a SPICA-DB id. */
export async function targetOf(s: Services, spicadbId: number | string) {
  const { rows } = await s.call('survey.list', { filter: {} });
  const t = rows.find((r) => r.spicadbId === String(spicadbId));
  if (!t) throw new Error(`no local target with SPICA-DB id ${spicadbId}`);
  return t;
}
