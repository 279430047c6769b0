/** `companion` commands of the samp domain: a headless hub, who is connected, sending a file. */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SampBridge } from '../../samp/bridge';
import { SampClient } from '../../samp/client';
import { HubRunningError, LockfileError, SampHub } from '../../samp/hub';
import { lockLocation } from '../../samp/lockfile';
import { MTYPE_RE } from '../../samp/values';
import { sendOutcome } from '../../services/samp';
import { parseFlags } from '../args';
import { CliError, numberFlag, type Command } from '../command';

const hubCommand: Command = {
  name: ['samp', 'hub'],
  usage: [
    'Usage: companion samp hub [--json]',
    '',
    'Runs the SAMP hub (Standard Profile 1.3) on 127.0.0.1 and writes the lockfile named by',
    'SAMP_HUB=std-lockurl:file://... or ~/.samp. On SIGINT/SIGTERM it sends samp.hub.event.shutdown',
    'to every client, removes its lockfile and exits 0. Exits 3 when another hub is already running,',
    '2 when the lockfile cannot be written (SAMP_HUB naming a folder, a missing folder, ...).',
    '  --json   print {"url", "lockfile"} once the hub is up',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseFlags({ args, strict: true, options: { json: { type: 'boolean' }, 'data-dir': { type: 'string' } } });
    let lock;
    try {
      lock = lockLocation();
    } catch (e) {
      throw new CliError((e as Error).message);
    }
    if (lock.kind !== 'file') throw new CliError('SAMP_HUB names an http lockfile; a hub can only write a local file');
    const hub = new SampHub({ lock });
    hub.on('log', (t: string) => io.err(`samp hub: ${t}`));
    try {
      await hub.start();
    } catch (e) {
      if (e instanceof HubRunningError) {
        io.err(`companion samp hub: ${e.message}`);
        return 3;
      }
      if (e instanceof LockfileError) throw new CliError(e.message);
      throw e;
    }
    io.out(values.json ? `${JSON.stringify({ url: hub.url, lockfile: lock.path })}\n` : `SAMP hub running at ${hub.url} (lockfile ${lock.path})\n`);
    // Last resort when the process dies without the signal path (the event cannot be sent then).
    const onExit = (): void => hub.releaseLockfileNow();
    process.on('exit', onExit);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await hub.stop();
    process.off('exit', onExit);
    return 0;
  },
};

const clientsCommand: Command = {
  name: ['samp', 'clients'],
  usage: [
    'Usage: companion samp clients [--json] [--timeout-s N]',
    '',
    'Registers briefly with the hub named by SAMP_HUB or ~/.samp, prints each client id and samp.name,',
    'then unregisters. Exits 1 when no hub is running.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseFlags({
      args,
      strict: true,
      options: { json: { type: 'boolean' }, 'timeout-s': { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    const timeoutS = numberFlag('timeout-s', values['timeout-s'], 5);
    const client = new SampClient({
      metadata: { 'samp.name': 'SPICA Companion CLI', 'samp.description.text': 'companion samp clients' },
      handlers: {},
      hubTimeoutMs: timeoutS * 1000,
    });
    try {
      if (!(await client.connect())) {
        io.err('companion samp clients: no SAMP hub is running');
        return 1;
      }
      const list = client.peerList().map((p) => ({ id: p.id, name: String(p.metadata['samp.name'] ?? '') }));
      io.out(values.json ? `${JSON.stringify(list)}\n` : list.map((p) => `${p.id}\t${p.name}\n`).join(''));
      return 0;
    } finally {
      await client.close();
    }
  },
};

const MTYPE_BY_EXTENSION: Array<[RegExp, string]> = [
  [/\.(vot|votable|xml)$/i, 'table.load.votable'],
  [/\.(fits|fit|oifits)$/i, 'table.load.fits'],
  [/\.asprox$/i, 'fr.jmmc.aspro.load.observation'],
];

const sendCommand: Command = {
  name: ['samp', 'send'],
  usage: [
    'Usage: companion samp send FILE [--to NAME] [--mtype MTYPE] [--json]',
    '',
    'Registers with the running hub, sends MTYPE with the file\'s file: URL as a call to the',
    'application whose samp.name is NAME (every subscriber when --to is omitted), waits up to 10 s',
    'for its answer, prints what happened, then unregisters. MTYPE defaults from the extension:',
    '.vot/.xml → table.load.votable, .fits/.oifits → table.load.fits, .asprox →',
    'fr.jmmc.aspro.load.observation. Exits 1 when no hub is running, or when a recipient refused',
    'the file or did not answer in time.',
  ].join('\n'),
  async run(args, io) {
    const { values, positionals } = parseFlags({
      args,
      strict: true,
      allowPositionals: true,
      options: { to: { type: 'string' }, mtype: { type: 'string' }, json: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    });
    if (positionals.length !== 1) throw new CliError('give exactly one FILE');
    const file = path.resolve(positionals[0]);
    if (!existsSync(file)) throw new CliError(`${file}: no such file`);
    const mtype = values.mtype ?? MTYPE_BY_EXTENSION.find(([re]) => re.test(file))?.[1];
    if (!mtype) throw new CliError(`${path.basename(file)}: cannot tell the mtype from the extension; give --mtype`);
    if (!MTYPE_RE.test(mtype)) throw new CliError(`--mtype: "${mtype}" is not an MType`);
    const bridge = new SampBridge({ embeddedHub: false, downloadDir: os.tmpdir() });
    try {
      if (!(await bridge.client.connect())) {
        io.err('companion samp send: no SAMP hub is running');
        return 1;
      }
      let deliveries;
      try {
        deliveries = await bridge.sendFile(mtype, file, values.to ?? null);
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const outcome = sendOutcome(deliveries, path.basename(file));
      io.out(values.json ? `${JSON.stringify({ mtype, ...outcome })}\n` : `${mtype}: ${outcome.summary}\n`);
      if (outcome.outcome !== 'received') return 1;
      return 0;
    } finally {
      await bridge.stop();
    }
  },
};

export const sampCommands: Command[] = [hubCommand, clientsCommand, sendCommand];
