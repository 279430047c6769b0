/**
 * `companion sync …` (SPICA-DB at JMMC) and `companion target edit` (PI-editable fields). Every
 * command takes --json; failures name what failed and where (HTTP status, server description,
 * row ids). The password is read from stdin (`--password-stdin`), never from an argument.
 */
import type { SyncConflict, SyncReport, SyncStatus } from '../../../shared/contract/sync';
import { parseFlags } from '../args';
import { CliError, numberFlag, type CliIo, type Command } from '../command';
import type { Services } from '../../services/registry';

const common = { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } } as const;

async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin: pipe the password in (e.g. printf %s "$PASS" | companion sync --password-stdin)');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw new CliError('--password-stdin: stdin was empty');
  return text;
}

function statusJson(s: SyncStatus) {
  return {
    lastPullAt: s.lastPullAt,
    complete: s.complete,
    rows: s.rows,
    pending: s.pending,
    conflicts: s.conflicts,
    rejected: s.rejected,
    withdrawn: s.withdrawn,
    serverCount: s.serverCount,
    state: s.state,
    lastSyncAt: s.lastSyncAt,
    lastError: s.lastError,
    env: s.settings.env,
    envLabel: s.envLabel,
    tapUrl: s.settings.tapUrl,
    apiUrl: s.settings.apiUrl,
    catalog: s.settings.catalog,
    login: s.settings.login,
    hasCredentials: s.hasCredentials,
    credentialStore: s.credentialStore,
    references: s.references,
  };
}

function printStatus(s: SyncStatus, out: (t: string) => void): void {
  out(`${s.envLabel}: TAP ${s.settings.tapUrl}, API ${s.settings.apiUrl}, catalogue ${s.settings.catalog}\n`);
  out(`login ${s.settings.login ?? '(none)'}${s.hasCredentials ? `, password kept in ${s.credentialStore}` : ', no password'}\n`);
  out(`state ${s.state}${s.lastError ? ` — ${s.lastError}` : ''}\n`);
  out(`last pull ${s.lastPullAt ?? 'never'}: ${s.rows} rows${s.complete === null ? '' : s.complete ? ' (complete)' : ` (INCOMPLETE${s.notice ? `: ${s.notice}` : ''})`}\n`);
  out(`${s.pending} edits pending, ${s.conflicts} conflicts, ${s.rejected} refused, ${s.withdrawn} targets withdrawn upstream\n`);
}

function printReport(r: SyncReport, io: CliIo): void {
  const out = io.out;
  out(`${r.kind} sync with ${r.envLabel} (${r.catalog}) as ${r.login ?? 'nobody'}: ${r.outcome}\n`);
  if (r.pull) {
    const p = r.pull;
    out(`  pulled ${p.rows} rows in ${p.durationMs} ms (${Math.round(p.bytes / 1024)} kB): ${p.added} added, ${p.updated} updated, ${p.unchanged} unchanged` +
      `${p.withdrawn ? `, ${p.withdrawn} withdrawn upstream` : ''}${p.relisted ? `, ${p.relisted} listed again` : ''}${p.reverted ? `, ${p.reverted} local changes of SPICA-DB columns put back` : ''}\n`);
    out(`  snapshot ${p.complete ? 'complete' : 'INCOMPLETE'} (COUNT(*) = ${p.serverCount ?? '?'})${p.notice ? `: ${p.notice}` : ''}\n`);
    for (const s of p.skipped.slice(0, 20)) out(`  row spicadb_id ${s.pk} not used: ${s.reason}\n`);
  }
  for (const ref of r.references) out(`  ${ref.catalog}: ${ref.error ? `not pulled: ${ref.error}` : `${ref.rows} rows${ref.complete ? '' : ' (incomplete)'}`}\n`);
  if (r.push) {
    const p = r.push;
    out(`  pushed ${p.rows} rows (${p.columns} values) in ${p.requests} requests${p.converged ? `, ${p.converged} already in SPICA-DB` : ''}${p.conflicts ? `, ${p.conflicts} conflicts` : ''}\n`);
    for (const x of p.rejected) out(`  REFUSED spicadb_id ${x.pk}${x.targetName ? ` (${x.targetName})` : ''}: HTTP ${x.status}: ${x.reason}\n`);
  }
  if (r.overwritten) out(`  ${r.overwritten} values we pushed landed over a concurrent write: see companion sync conflicts\n`);
  for (const e of r.errors) io.err(`error: ${e}`);
}

function printConflict(c: SyncConflict, out: (t: string) => void): void {
  const fmt = (v: unknown) => (v === null ? '(empty)' : JSON.stringify(v));
  out(`${c.id}  spicadb_id ${c.pk}${c.targetName ? ` (${c.targetName})` : ''}  ${c.column}  ${c.kind}${c.resolvedAt ? `  resolved: ${c.resolution}` : ''}\n`);
  out(`    base ${fmt(c.base)}   mine ${fmt(c.local)}   theirs ${fmt(c.remote)}${c.remoteBy ? ` (by ${c.remoteBy} at ${c.remoteUtc})` : ''}\n`);
}

/** Follow progress on stderr (human mode), one line per step. */
function followProgress(services: Services, io: CliIo): () => void {
  let lastLine = '';
  return services.on('sync.progress', (p) => {
    const line = `${p.phase}: ${p.step}${p.total ? ` ${p.done}/${p.total}` : ''}`;
    if (line !== lastLine && !(p.step === 'download' || (p.step === 'apply' && p.done % 1000 !== 0 && p.done !== p.total))) io.err(line);
    lastLine = line;
  });
}

async function runSync(kind: SyncReport['kind'], args: string[], io: CliIo): Promise<number> {
  const { values } = parseFlags({ args, options: { ...common, 'password-stdin': { type: 'boolean', default: false }, login: { type: 'string' } }, strict: true });
  const password = values['password-stdin'] ? await readPasswordFromStdin() : null;
  const services = await io.openServices(values['data-dir']);
  if (values.login !== undefined) await services.call('sync.configure', { login: values.login });
  if (password !== null) await services.call('sync.signIn', { password, remember: false });
  const stop = values.json ? () => undefined : followProgress(services, io);
  const report = await services.call('sync.run', { kind });
  stop();
  if (values.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else printReport(report, io);
  return report.outcome === 'failed' ? 1 : 0;
}

const PRIORITY = (name: string, raw: string | undefined): 0 | 1 | null | undefined => {
  if (raw === undefined) return undefined;
  if (raw === '0' || raw === '1') return Number(raw) as 0 | 1;
  if (raw === 'none' || raw === 'null') return null;
  throw new CliError(`--${name}: "${raw}" is not 0 (high), 1 (low) or none`);
};

export const syncCommands: Command[] = [
  {
    name: ['sync'],
    usage:
      'companion sync [--password-stdin] [--login EMAIL] [--json] [--data-dir DIR]\n' +
      '  Pull the SPICA-DB snapshot, push the PI edits waiting in the outbox, verify. --password-stdin reads\n' +
      '  the JMMC password from stdin for this run only (companion sync login remembers it).\n' +
      '  See also: sync configure, sync pull, sync push, sync status, sync conflicts, sync resolve, sync pending.',
    run: (args, io) => runSync('full', args, io),
  },
  {
    name: ['sync', 'pull'],
    usage: 'companion sync pull [--json] [--data-dir DIR]',
    run: (args, io) => runSync('pull', args, io),
  },
  {
    name: ['sync', 'push'],
    usage: 'companion sync push [--password-stdin] [--login EMAIL] [--json] [--data-dir DIR]',
    run: (args, io) => runSync('push', args, io),
  },
  {
    name: ['sync', 'configure'],
    usage:
      'companion sync configure (--env prod|preprod | --tap-url URL --api-url URL) [--catalog spica] [--login EMAIL]\n' +
      '                         [--push-columns priority_pi,priority_pi2,comments,comments2] [--auto-minutes N] [--max-rec N] [--json]\n' +
      '  TAP and API always go as a pair (pre-production by default, as a2p2). Changing them or the catalogue\n' +
      '  drops the pulled bases; edits waiting to be pushed stay.',
    async run(args, io) {
      const { values } = parseFlags({
        args,
        options: {
          ...common,
          env: { type: 'string' },
          'tap-url': { type: 'string' },
          'api-url': { type: 'string' },
          catalog: { type: 'string' },
          login: { type: 'string' },
          'push-columns': { type: 'string' },
          'auto-minutes': { type: 'string' },
          'max-rec': { type: 'string' },
        },
        strict: true,
      });
      if (values.env !== undefined && !['prod', 'preprod', 'custom'].includes(values.env)) throw new CliError(`--env: "${values.env}" is not prod, preprod or custom`);
      if ((values['tap-url'] === undefined) !== (values['api-url'] === undefined) && values.env !== 'custom') {
        throw new CliError('--tap-url and --api-url go together (a TAP service and the catalog API writing the same database)');
      }
      const services = await io.openServices(values['data-dir']);
      const status = await services.call('sync.configure', {
        ...(values.env !== undefined ? { env: values.env as 'prod' | 'preprod' | 'custom' } : {}),
        ...(values['tap-url'] !== undefined ? { tapUrl: values['tap-url'] } : {}),
        ...(values['api-url'] !== undefined ? { apiUrl: values['api-url'] } : {}),
        ...(values.catalog !== undefined ? { catalog: values.catalog } : {}),
        ...(values.login !== undefined ? { login: values.login === '' ? null : values.login } : {}),
        ...(values['push-columns'] !== undefined
          ? { pushColumns: values['push-columns'].split(',').map((c) => c.trim()).filter(Boolean) as Array<'priority_pi' | 'priority_pi2' | 'comments' | 'comments2'> }
          : {}),
        ...(values['auto-minutes'] !== undefined ? { autoSyncMinutes: numberFlag('auto-minutes', values['auto-minutes']) } : {}),
        ...(values['max-rec'] !== undefined ? { maxRec: numberFlag('max-rec', values['max-rec']) } : {}),
      });
      if (values.json) io.out(`${JSON.stringify(statusJson(status))}\n`);
      else printStatus(status, io.out);
      return 0;
    },
  },
  {
    name: ['sync', 'login'],
    usage:
      'companion sync login [--login EMAIL] (--password-stdin | --from-netrc) [--session] [--json]\n' +
      '  The password is checked against the catalog API and kept in the main process: a 0600 file in the\n' +
      '  data folder (the desktop app uses the system keychain); --session keeps it for this run only.',
    async run(args, io) {
      const { values } = parseFlags({
        args,
        options: { ...common, login: { type: 'string' }, 'password-stdin': { type: 'boolean', default: false }, 'from-netrc': { type: 'boolean', default: false }, session: { type: 'boolean', default: false } },
        strict: true,
      });
      if (values['password-stdin'] === values['from-netrc']) throw new CliError('give exactly one of --password-stdin or --from-netrc');
      const password = values['password-stdin'] ? await readPasswordFromStdin() : null;
      const services = await io.openServices(values['data-dir']);
      let status: SyncStatus;
      if (password !== null) status = await services.call('sync.signIn', { ...(values.login ? { login: values.login } : {}), password, remember: !values.session });
      else status = (await services.call('sync.importNetrc', {})).status;
      if (values.json) io.out(`${JSON.stringify(statusJson(status))}\n`);
      else {
        printStatus(status, io.out);
        if (status.lastError) io.err(`warning: ${status.lastError}`);
      }
      return 0;
    },
  },
  {
    name: ['sync', 'logout'],
    usage: 'companion sync logout [--json] [--data-dir DIR]',
    async run(args, io) {
      const { values } = parseFlags({ args, options: common, strict: true });
      const services = await io.openServices(values['data-dir']);
      const status = await services.call('sync.signOut', {});
      io.out(values.json ? `${JSON.stringify(statusJson(status))}\n` : `password of ${status.settings.login ?? '(no login)'} forgotten\n`);
      return 0;
    },
  },
  {
    name: ['sync', 'status'],
    usage: 'companion sync status [--json] [--data-dir DIR]\n  --json prints {lastPullAt, complete, rows, pending, conflicts, rejected, …}.',
    async run(args, io) {
      const { values } = parseFlags({ args, options: common, strict: true });
      const services = await io.openServices(values['data-dir']);
      const status = await services.call('sync.status', {});
      if (values.json) io.out(`${JSON.stringify(statusJson(status))}\n`);
      else printStatus(status, io.out);
      return 0;
    },
  },
  {
    name: ['sync', 'conflicts'],
    usage: 'companion sync conflicts [--all] [--json] [--data-dir DIR]',
    async run(args, io) {
      const { values } = parseFlags({ args, options: { ...common, all: { type: 'boolean', default: false } }, strict: true });
      const services = await io.openServices(values['data-dir']);
      const list = await services.call('sync.conflicts', { includeResolved: values.all });
      if (values.json) io.out(`${JSON.stringify(list)}\n`);
      else {
        for (const c of list) printConflict(c, io.out);
        io.err(`${list.length} conflicts${values.all ? '' : ' to resolve (companion sync resolve ID --keep mine|theirs)'}`);
      }
      return 0;
    },
  },
  {
    name: ['sync', 'resolve'],
    usage: 'companion sync resolve ID --keep mine|theirs|edit [--value TEXT] [--json] [--data-dir DIR]',
    async run(args, io) {
      const { values, positionals } = parseFlags({ args, options: { ...common, keep: { type: 'string' }, value: { type: 'string' } }, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new CliError('give exactly one conflict ID (see companion sync conflicts)');
      if (values.keep !== 'mine' && values.keep !== 'theirs' && values.keep !== 'edit') throw new CliError('--keep must be mine, theirs or edit');
      if (values.keep === 'edit' && values.value === undefined) throw new CliError('--keep edit needs --value');
      const services = await io.openServices(values['data-dir']);
      const c = await services.call('sync.resolve', { id: positionals[0], keep: values.keep, ...(values.value !== undefined ? { value: values.value } : {}) });
      if (values.json) io.out(`${JSON.stringify(c)}\n`);
      else printConflict(c, io.out);
      return 0;
    },
  },
  {
    name: ['sync', 'pending'],
    usage: 'companion sync pending [--json] [--data-dir DIR]',
    async run(args, io) {
      const { values } = parseFlags({ args, options: common, strict: true });
      const services = await io.openServices(values['data-dir']);
      const list = await services.call('sync.pending', {});
      if (values.json) io.out(`${JSON.stringify(list)}\n`);
      else {
        for (const p of list) {
          const cols = Object.entries(p.columns).map(([c, v]) => `${c}=${JSON.stringify(v.local)}`).join(', ');
          io.out(`spicadb_id ${p.pk}${p.targetName ? ` (${p.targetName})` : ''}: ${cols}  [${p.state}${p.error ? `: ${p.error}` : ''}]\n`);
        }
        io.err(`${list.length} rows in the outbox`);
      }
      return 0;
    },
  },
  {
    name: ['sync', 'retry'],
    usage: 'companion sync retry [SPICADB_ID] [--json] [--data-dir DIR]',
    async run(args, io) {
      const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
      const services = await io.openServices(values['data-dir']);
      const r = await services.call('sync.pending.retry', positionals[0] ? { pk: positionals[0] } : {});
      io.out(values.json ? `${JSON.stringify(r)}\n` : `${r.retried} rows queued again\n`);
      return 0;
    },
  },
  {
    name: ['sync', 'discard'],
    usage: 'companion sync discard SPICADB_ID [--json] [--data-dir DIR]',
    async run(args, io) {
      const { values, positionals } = parseFlags({ args, options: common, allowPositionals: true, strict: true });
      if (positionals.length !== 1) throw new CliError('give exactly one SPICA-DB id');
      const services = await io.openServices(values['data-dir']);
      const r = await services.call('sync.pending.discard', { pk: positionals[0] });
      io.out(values.json ? `${JSON.stringify(r)}\n` : `edit of spicadb_id ${positionals[0]} discarded\n`);
      return 0;
    },
  },
  {
    name: ['target', 'edit'],
    usage:
      'companion target edit SPICADB_ID|NAME [--priority-pi 0|1|none] [--priority-pi2 0|1|none] [--comments TEXT] [--comments2 TEXT] [--json]\n' +
      '  0 = high, 1 = low. An empty --comments clears it. SPICA-DB keeps comments on one line (spaces collapse).',
    async run(args, io) {
      const { values, positionals } = parseFlags({
        args,
        options: { ...common, 'priority-pi': { type: 'string' }, 'priority-pi2': { type: 'string' }, comments: { type: 'string' }, comments2: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
      if (positionals.length !== 1) throw new CliError('give exactly one target: its SPICA-DB id or name (quote names with spaces)');
      const priorityPi = PRIORITY('priority-pi', values['priority-pi']);
      const priorityPi2 = PRIORITY('priority-pi2', values['priority-pi2']);
      const text = (v: string | undefined) => (v === undefined ? undefined : v.trim() === '' ? null : v);
      const comments = text(values.comments);
      const comments2 = text(values.comments2);
      if (priorityPi === undefined && priorityPi2 === undefined && comments === undefined && comments2 === undefined) {
        throw new CliError('nothing to change: give --priority-pi, --priority-pi2, --comments or --comments2');
      }
      for (const [flag, v] of [['comments', comments], ['comments2', comments2]] as const) {
        if (typeof v === 'string' && /[\r\n\t]| {2}/.test(v)) io.err(`note: --${flag}: SPICA-DB stores comments on one line; newlines and repeated spaces become single spaces`);
      }
      const services = await io.openServices(values['data-dir']);
      const t = await services.call('sync.editTarget', {
        query: positionals[0],
        ...(priorityPi !== undefined ? { priorityPi } : {}),
        ...(priorityPi2 !== undefined ? { priorityPi2 } : {}),
        ...(comments !== undefined ? { comments } : {}),
        ...(comments2 !== undefined ? { comments2 } : {}),
      });
      if (values.json) io.out(`${JSON.stringify(t)}\n`);
      else {
        const pending = Object.keys(t.pending);
        io.out(`${t.name}${t.spicadbId ? ` (spicadb_id ${t.spicadbId})` : ''}: ${t.isSyncable ? (pending.length ? `pending until pushed: ${pending.join(', ')}` : 'same as SPICA-DB, nothing to push') : t.reason}\n`);
      }
      return 0;
    },
  },
];
