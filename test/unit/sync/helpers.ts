/** Services over temp data folders wired to the JMMC stand-in, for the sync tests. */
import type { Services } from '../../../electron/services/registry';
import type { JmmcFake } from '../../sync/jmmc-fake';
import { ME } from '../../sync/fixtures';
import { Sandbox } from '../survey/helpers';

// Short back-off in tests (the default waits 2, 8 and 30 s).
process.env.SPICA_SYNC_RETRY_DELAYS_MS ??= '10,20,40';

/** The survey tests' sandbox (temp folders, real migrations) plus clients configured for the stand-in. */
export class SyncSandbox extends Sandbox {
  dir(prefix = 'spica-sync-'): string {
    return super.dir(prefix);
  }

  /** Services configured for `fake`, signed in as `who` (session only unless `remember`). */
  async client(fake: JmmcFake, who: { email: string; password: string } | null = ME, dataDir = this.dir(), remember = false): Promise<Services> {
    const s = this.services(dataDir);
    await s.call('sync.configure', { env: 'custom', tapUrl: fake.tapUrl, apiUrl: fake.apiUrl, catalog: 'spica', login: who?.email ?? null });
    if (who) await s.call('sync.signIn', { password: who.password, remember });
    return s;
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
