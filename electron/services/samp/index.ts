/**
 * The samp domain service: owns the SAMP bridge (client + optional embedded hub) for the app.
 *
 * When it connects: `SPICA_SAMP=on` connects at start, `SPICA_SAMP=off` never does, otherwise the
 * persisted `autoConnect` option decides: on by default in the desktop app (transport electron),
 * off in browser mode and never for CLI commands, so test runs and other domains' commands never
 * touch a real hub. The user can always click Connect. `close()` unregisters and stops our hub, which first sends
 * `samp.hub.event.shutdown` so ASPRO2 re-registers with the next hub.
 */
import { join } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { SampOptions, SampStatus, SampTablePreview, sampMethods } from '../../../shared/contract/samp';
import { buildAspro2Votable } from '../../../shared/votable/aspro2';
import { readSetting, writeSetting } from '../../db/repos/settings';
import { SampBridge, type ReceivedTable } from '../../samp/bridge';
import { SampFault } from '../../samp/values';
import type { DomainService, ServiceContext } from '../context';
import { asproRequestFromStore } from './aspro-request';
import { acceptReceivedTable, nearestTarget, previewTable } from './received';

const OPTIONS_KEY = 'samp.options';
/** Defaults until the user changes them: connect at start in the desktop app only. */
function defaultOptions(transport: ServiceContext['transport']): SampOptions {
  return { autoConnect: transport === 'electron', embeddedHub: true };
}
const MAX_PENDING = 20;

/** Whether the service connects at start, from the environment and the stored option. */
export function shouldAutoConnect(env: NodeJS.ProcessEnv, options: SampOptions, transport: ServiceContext['transport']): boolean {
  const flag = env.SPICA_SAMP?.trim().toLowerCase();
  if (flag === 'on' || flag === '1') return true;
  if (flag === 'off' || flag === '0') return false;
  return transport !== 'cli' && options.autoConnect;
}

export interface SampService extends DomainService<typeof sampMethods> {
  /** The bridge, for the shell's exit hooks and for tests. */
  bridge(): SampBridge | null;
}

export function createSampService(ctx: ServiceContext, env: NodeJS.ProcessEnv = process.env): SampService {
  const options = (): SampOptions => ({ ...defaultOptions(ctx.transport), ...readSetting<Partial<SampOptions>>(ctx.store, OPTIONS_KEY, {}) });
  let bridge: SampBridge | null = null;
  const pending = new Map<string, { table: ReceivedTable; preview: SampTablePreview }>();

  const status = (): SampStatus => {
    const s = bridge?.status();
    return {
      isActive: bridge?.isRunning ?? false,
      isConnected: s?.connected ?? false,
      hubUrl: s?.hubUrl ?? null,
      hubIsEmbedded: s?.hubIsEmbedded ?? false,
      selfId: s?.selfId ?? null,
      peers: s?.peers ?? [],
      aspro2Present: s?.aspro2Present ?? false,
      options: options(),
    };
  };

  const start = async (): Promise<void> => {
    if (bridge?.isRunning) return;
    const b = new SampBridge({ env, embeddedHub: options().embeddedHub, downloadDir: join(ctx.paths.dataDir, 'samp-received') });
    bridge = b;
    b.on('status', () => ctx.emit('samp.statusChanged', status()));
    b.on('traffic', (e) => ctx.emit('samp.traffic', e));
    b.on('table', (t: ReceivedTable) => {
      const preview = previewTable(t);
      pending.set(t.id, { table: t, preview });
      while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value as string);
      ctx.emit('samp.received', preview);
    });
    b.on('fits', (f) => ctx.emit('samp.fitsReceived', f));
    b.on('pointAt', (p: { raDeg: number; decDeg: number; senderName: string }) => {
      const near = nearestTarget(ctx.store, p.raDeg, p.decDeg);
      ctx.emit('samp.pointAt', { ...p, nearestTargetId: near?.id ?? null, separationArcsec: near?.separationArcsec ?? null });
    });
    await b.start();
    ctx.emit('samp.statusChanged', status());
  };

  const stop = async (): Promise<void> => {
    const b = bridge;
    bridge = null;
    if (b) await b.stop();
    ctx.emit('samp.statusChanged', status());
  };

  const connected = (): SampBridge => {
    if (!bridge?.client.connected) throw new ApiError('unavailable', 'not connected to a SAMP hub (click Connect on the SAMP screen)');
    return bridge;
  };

  const asApiError = (e: unknown): never => {
    if (e instanceof SampFault) throw new ApiError('unavailable', e.message);
    throw e;
  };

  if (shouldAutoConnect(env, options(), ctx.transport)) {
    start().catch((e: unknown) => console.error(`SAMP: could not start the bridge: ${String(e)}`));
  }

  return {
    bridge: () => bridge,
    close: stop,
    handlers: {
      'samp.status': () => status(),
      'samp.connect': async () => {
        await start();
        // Give the first attempt a moment so the answer shows the outcome, not "connecting".
        await bridge?.waitConnected(4000);
        return status();
      },
      'samp.disconnect': async () => {
        await stop();
        return status();
      },
      'samp.setOptions': (patch) => {
        const next = { ...options(), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        writeSetting(ctx.store, OPTIONS_KEY, next);
        ctx.emit('samp.statusChanged', status());
        return next;
      },
      'samp.log': () => bridge?.traffic() ?? [],
      'samp.sendTargets': async (p) => {
        const b = connected();
        const request = asproRequestFromStore(ctx.store, p);
        let xml: string;
        try {
          xml = buildAspro2Votable(request);
        } catch (e) {
          throw new ApiError('invalid-input', (e as Error).message);
        }
        const name = `SPICA ${p.night}`;
        const url = b.serve(Buffer.from(xml, 'utf8'), `spica-${p.night}.vot`, 'application/x-votable+xml');
        const ids = await b.sendUrl('table.load.votable', url, name, p.to).catch(asApiError);
        const peers = b.status().peers;
        return {
          recipients: ids.map((id) => peers.find((x) => x.id === id)?.name ?? id),
          targetCount: request.targets.filter((t) => t.nssType === 'SCI').length,
          calibratorCount: request.targets.filter((t) => t.nssType === 'CAL').length,
          url,
        };
      },
      'samp.sendObservation': async ({ path, to }) => {
        const b = connected();
        const ids = await b.sendFile('fr.jmmc.aspro.load.observation', path, to).catch(asApiError);
        return { recipients: ids.map((id) => b.status().peers.find((x) => x.id === id)?.name ?? id) };
      },
      'samp.sendOifits': async ({ path, to }) => {
        const b = connected();
        const ids = await b.sendFile('table.load.fits', path, to ?? null).catch(asApiError);
        return { recipients: ids.map((id) => b.status().peers.find((x) => x.id === id)?.name ?? id) };
      },
      'samp.pending': () => [...pending.values()].map((x) => x.preview),
      'samp.acceptTable': ({ id }) => {
        const entry = pending.get(id);
        if (!entry) throw new ApiError('not-found', `no received table with id ${id}`);
        const report = acceptReceivedTable(ctx.store, entry.table);
        pending.delete(id);
        ctx.emit('survey.imported', report);
        return report;
      },
      'samp.tableContent': ({ id }) => {
        const entry = pending.get(id);
        if (!entry) throw new ApiError('not-found', `no received table with id ${id}`);
        const t = entry.table;
        return { fileName: /\.(vot|xml|scvot|votable)$/i.test(t.name) ? t.name : `${t.name}.vot`, content: t.text, senderName: t.senderName };
      },
      'samp.discardTable': ({ id }) => {
        if (!pending.delete(id)) throw new ApiError('not-found', `no received table with id ${id}`);
        return { ok: true };
      },
    },
  };
}
