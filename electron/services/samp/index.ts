/**
 * The samp domain service: owns the SAMP bridge (client + optional embedded hub) for the app.
 *
 * When it connects: `SPICA_SAMP=on` connects at start, `SPICA_SAMP=off` never does, otherwise the
 * persisted `autoConnect` option decides: on by default in the desktop app (transport electron),
 * off in browser mode and never for CLI commands, so test runs and other domains' commands never
 * touch a real hub. The user can always click Connect. `close()` unregisters and stops our hub, which first sends
 * `samp.hub.event.shutdown` so ASPRO2 re-registers with the next hub.
 */
import { basename, join } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import type { SampOptions, SampSendOutcome, SampSendResult, SampStatus, SampTablePreview, sampMethods } from '../../../shared/contract/samp';
import { buildAspro2Votable, type Aspro2Request } from '../../../shared/votable/aspro2';
import { getDataProduct } from '../../db/repos/data-products';
import { readSetting, writeSetting } from '../../db/repos/settings';
import { SampBridge, type Delivery, type ReceivedFits, type ReceivedTable } from '../../samp/bridge';
import { SampFault } from '../../samp/values';
import type { DomainService, ServiceContext } from '../context';
import { asproRequestFromPlan, asproRequestFromStore, type AsproHandoff } from './aspro-request';
import { PointAtRelay, previewTable, receivedImportJob } from './received';
import { ReceivedFiles } from './received-files';

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
  const receivedFiles = new ReceivedFiles(join(ctx.paths.dataDir, 'samp-received'), (path) => getDataProduct(ctx.store, path)?.qualityLevel != null);
  receivedFiles.sweep();
  const pointAt = new PointAtRelay(ctx.store, (p) => ctx.emit('samp.pointAt', p));

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
      hubError: s?.hubError ?? null,
      options: options(),
    };
  };

  const start = async (): Promise<void> => {
    if (bridge?.isRunning) return;
    const b = new SampBridge({ env, embeddedHub: options().embeddedHub, downloadDir: join(ctx.paths.dataDir, 'samp-received'), saveDownload: receivedFiles.save });
    bridge = b;
    b.on('status', () => ctx.emit('samp.statusChanged', status()));
    b.on('traffic', (e) => ctx.emit('samp.traffic', e));
    b.on('table', (t: ReceivedTable) => {
      const preview = previewTable(t);
      pending.set(t.id, { table: t, preview });
      while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value as string);
      ctx.emit('samp.received', preview);
    });
    b.on('fits', (f: ReceivedFits) => ctx.emit('samp.fitsReceived', receivedFiles.add(f)));
    b.on('pointAt', (p: { raDeg: number; decDeg: number; senderName: string }) => pointAt.push(p));
    await b.start();
    ctx.emit('samp.statusChanged', status());
  };

  const stop = async (): Promise<void> => {
    const b = bridge;
    bridge = null;
    pointAt.close();
    if (b) await b.stop();
    ctx.emit('samp.statusChanged', status());
  };

  const connected = (): SampBridge => {
    if (!bridge?.client.connected) throw new ApiError('unavailable', 'not connected to a SAMP hub (click Connect on the SAMP screen)');
    return bridge;
  };

  const planHandoff = (planId: string, popSet: string | undefined, operation: 'NEW' | 'ADD'): AsproHandoff => {
    const planner = ctx.peers.planner;
    if (!planner) throw new ApiError('unavailable', 'the planner is not running');
    let catalogue: CalibratorCatalogue | null = null;
    try {
      catalogue = ctx.peers.calibrators?.engine().catalogue ?? null;
    } catch {
      // Without the calibrator catalogue the CAL rows carry what the plan knows (name, position, V).
    }
    return asproRequestFromPlan(ctx.store, planner.view(planId), { popSet, operation }, catalogue);
  };

  /** Write the VOTable of `handoff`, serve it and send it to `to` as a call. */
  const send = async (b: SampBridge, handoff: AsproHandoff, night: string, to: string, replyTimeoutS: number): Promise<SampSendResult> => {
    let xml: string;
    try {
      xml = buildAspro2Votable(handoff.request);
    } catch (e) {
      throw new ApiError('invalid-input', (e as Error).message);
    }
    const url = b.serve(Buffer.from(xml, 'utf8'), `spica-${night}.vot`, 'application/x-votable+xml');
    const deliveries = await b.sendUrl('table.load.votable', url, `SPICA ${night}`, to, replyTimeoutS * 1000).catch(asApiError);
    const counts = countsOf(handoff.request);
    const what = `${counts.targets} target${counts.targets === 1 ? '' : 's'} and ${counts.calibrators} calibrator${counts.calibrators === 1 ? '' : 's'}`;
    return { ...sendOutcome(deliveries, what), targetCount: counts.targets, calibratorCount: counts.calibrators, url, notes: handoff.notes };
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
    close: async () => {
      await stop();
      pointAt.dispose();
    },
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
        return send(b, asproRequestFromStore(ctx.store, p), p.night, p.to, p.replyTimeoutS);
      },
      'samp.planHandoff': ({ planId, popSet }) => {
        const handoff = planHandoff(planId, popSet, 'NEW');
        const s = handoff.request.settings;
        const counts = countsOf(handoff.request);
        return {
          targetCount: counts.targets,
          calibratorCount: counts.calibrators,
          bothRoles: counts.bothRoles,
          period: s.period,
          configuration: s.configurations[0],
          beams: s.beams ?? '',
          pops: s.pops ?? null,
          popSets: handoff.popSets,
          notes: handoff.notes,
        };
      },
      'samp.sendPlan': async (p) => {
        const b = connected();
        const handoff = planHandoff(p.planId, p.popSet, p.operation);
        return send(b, handoff, handoff.request.settings.date, p.to, p.replyTimeoutS);
      },
      'samp.sendObservation': async ({ path, to, replyTimeoutS }) => {
        const deliveries = await connected().sendFile('fr.jmmc.aspro.load.observation', path, to, replyTimeoutS * 1000).catch(asApiError);
        return sendOutcome(deliveries, basename(path));
      },
      'samp.sendOifits': async ({ path, to, replyTimeoutS }) => {
        const deliveries = await connected().sendFile('table.load.fits', path, to ?? null, replyTimeoutS * 1000).catch(asApiError);
        return sendOutcome(deliveries, basename(path));
      },
      'samp.pending': () => [...pending.values()].map((x) => x.preview),
      'samp.acceptTable': async ({ id }) => {
        const entry = pending.get(id);
        if (!entry) throw new ApiError('not-found', `no received table with id ${id}`);
        // The survey's own import path: a worker thread in the app (a 3000-row table must not
        // stall every other call), progress events, one batch, `survey.imported`.
        const report = await ctx.peers.survey!.importJob(receivedImportJob(entry.table));
        pending.delete(id);
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
      'samp.receivedFiles': () => receivedFiles.list(),
      'samp.dismissFile': ({ id }) => {
        if (!receivedFiles.dismiss(id)) throw new ApiError('not-found', `no received file with id ${id}`);
        return { ok: true };
      },
    },
  };
}

/**
 * What a send did, in one sentence: success only when the recipient answered so; a message the
 * hub took but nobody answered is "delivered to the hub", never "received".
 */
/** Science targets, calibrators (a star in both roles counts in both) and the stars in both roles. */
export function countsOf(request: Aspro2Request): { targets: number; calibrators: number; bothRoles: string[] } {
  const science = new Set(request.targets.filter((t) => t.nssType === 'SCI').map((t) => t.name));
  const calibrators = new Set([...request.targets.filter((t) => t.nssType === 'CAL').map((t) => t.name), ...request.calibrators.map((l) => l.calibrator)]);
  return { targets: science.size, calibrators: calibrators.size, bothRoles: [...calibrators].filter((n) => science.has(n)).sort() };
}

export function sendOutcome(deliveries: Delivery[], what: string): SampSendOutcome {
  const failed = deliveries.filter((d) => d.outcome === 'failed');
  const silent = deliveries.filter((d) => d.outcome === 'no-reply');
  const received = deliveries.filter((d) => d.outcome === 'received');
  const names = (ds: Delivery[]): string => ds.map((d) => d.name).join(', ');
  const parts: string[] = [];
  if (received.length) {
    const warnings = received.filter((d) => d.detail).map((d) => `${d.name}: ${d.detail}`);
    parts.push(`${names(received)} received ${what}${warnings.length ? ` (warning from ${warnings.join('; ')})` : ''}.`);
  }
  if (failed.length) parts.push(failed.map((d) => `${d.name} did not take ${what}: ${d.detail ?? 'error'}.`).join(' '));
  if (silent.length) {
    parts.push(`${what} delivered to the hub, but ${names(silent)} ${silent.length === 1 ? 'has' : 'have'} not answered (busy, waiting for its user, or hung).`);
  }
  return {
    recipients: deliveries.map((d) => d.name),
    deliveries: deliveries.map(({ name, outcome, detail }) => ({ name, outcome, detail })),
    outcome: failed.length ? 'failed' : silent.length ? 'no-reply' : 'received',
    summary: parts.join(' '),
  };
}
