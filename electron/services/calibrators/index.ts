/**
 * The calibrators domain service: implements `calibratorsMethods` of the contract and owns the ONE
 * calibrator engine of a store (bundled backbone + imported rows, BadCal, policy), loaded on first
 * use. Other services reach it through the registry (`ctx.peers.calibrators`, `CalibratorsApi`),
 * never by building a second engine. Imported rows, BadCal, associations and exclusions live in
 * the store; the policy in the settings.
 */
import { basename, join } from 'node:path';
import { readImportFile } from '../../files/read-import-file';
import type { BadCalEntry } from '../../../shared/calibrators/catalogue';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { CalibratorEngine, type EngineTarget } from '../../../shared/calibrators/engine';
import { parseBadCalList } from '../../../shared/calibrators/import/badcal-list';
import { longestBaselineM, nightContext } from '../../../shared/calibrators/night-context';
import { calibratorPolicySchema, POLICY_VERSION, type CalibratorPolicy } from '../../../shared/calibrators/policy';
import { ENGINE_VERSION, type CalibratorProposal } from '../../../shared/calibrators/types';
import { parseStations } from '../../../shared/astro/baselines';
import type { CalibratorImportReport, CalibratorsForTargets, calibratorsMethods, forTargetsParams, ResolvedStar } from '../../../shared/contract/calibrators';
import { ApiError } from '../../../shared/contract/define';
import type { z } from 'zod';
import {
  assignCalibrator,
  getAssociation,
  importBadCalibrators,
  listAssociations,
  listBadCalibrators,
  markBadCalibrator,
  pinCalibrator,
  unassignCalibrator,
  unmarkBadCalibrator,
} from '../../db/repos/calibrators';
import {
  listCalibratorImports,
  listCatalogRows,
  listExclusions,
  migrateLegacyCalibratorData,
  recordCalibratorImport,
  setExclusion,
} from '../../db/repos/calibrator-catalog';
import { readSetting, writeSetting } from '../../db/repos/settings';
import type { DomainService, ServiceContext } from '../context';
import { backbonePath, loadBackbone } from './backbone-file';
import { calibratorsForTargets } from './for-targets';
import { CatalogImportRunner } from './import-runner';

const POLICY_KEY = 'calibrators.policy';
/** Largest import accepted, so a mistaken drop cannot freeze the app. */
const MAX_IMPORT_BYTES = 100 * 1024 * 1024;

interface TargetRow {
  id: string;
  name: string;
  ra_deg: number;
  dec_deg: number;
  vmag: number | null;
  rmag: number | null;
  sp_type: string | null;
}

/** The loaded engine. */
export interface EngineState {
  engine: CalibratorEngine;
  isWarm: boolean;
}

/** What the calibrators service offers other services (through the registry's `ctx.peers`). */
export interface CalibratorsApi {
  /** Ranked vetted calibrators, with observable windows, for many targets of one night (see the contract). */
  forTargets(params: z.input<typeof forTargetsParams>): CalibratorsForTargets;
  /** Be told when BadCal, the policy, imports, exclusions or associations change (a plan is then stale). */
  onChanged(listener: (what: string, targetId?: string) => void): () => void;
  /** The engine (read-only use: proposals over the same catalogue, BadCal and policy as the UI). */
  engine(): CalibratorEngine;
}

export interface CalibratorsService extends DomainService<typeof calibratorsMethods> {
  /** Load the catalogue now (tests and the CLI call it; the app loads on first use). */
  load(): EngineState;
  api: CalibratorsApi;
}

export function createCalibratorsService(ctx: ServiceContext): CalibratorsService {
  let state: EngineState | null = null;
  let closed = false;
  const listeners = new Set<(what: string, targetId?: string) => void>();

  // Older versions kept imports in a JSON file and exclusions in a setting: move them, once.
  let legacyMigration: string | null = null;
  try {
    const moved = migrateLegacyCalibratorData(ctx.store, join(ctx.paths.dataDir, 'calibrators', 'imports.json'));
    if (moved.rows + moved.imports + moved.exclusions > 0) legacyMigration = `moved ${moved.rows} imported rows, ${moved.imports} import records and ${moved.exclusions} exclusions into the store`;
  } catch (e) {
    legacyMigration = `not migrated: ${(e as Error).message}`;
  }

  const imports = new CatalogImportRunner(ctx.store, ctx.paths, ctx.transport === 'cli' ? 'inline' : 'worker');

  const changed = (what: 'associations' | 'badcal' | 'imports' | 'policy' | 'exclusions', targetId?: string) => {
    ctx.emit('calibrators.changed', targetId ? { what, targetId } : { what });
    for (const l of listeners) l(what, targetId);
  };

  const badEntries = (): BadCalEntry[] =>
    listBadCalibrators(ctx.store).map((b) => ({
      name: b.name, hd: b.hd ? Number(b.hd) : null, hip: b.hip ? Number(b.hip) : null, raDeg: b.raDeg, decDeg: b.decDeg,
      reason: b.reason, night: b.night, source: b.source,
    }));

  const policy = (): CalibratorPolicy => calibratorPolicySchema.parse(readSetting(ctx.store, POLICY_KEY, {}));

  const load = (): EngineState => {
    if (state) return state;
    const rows = listCatalogRows(ctx.store);
    const catalogue = new CalibratorCatalogue(
      loadBackbone(backbonePath(ctx.paths.resourcesDir)),
      rows.filter((r) => r.kind !== 'spica-primary').map((r) => r.row),
      rows.filter((r) => r.kind === 'spica-primary').map((r) => r.row),
    );
    state = { engine: new CalibratorEngine(catalogue, badEntries(), policy()), isWarm: false };
    if (ctx.transport !== 'cli') warmUp(state);
    return state;
  };

  // Compute every star's diameter and flags in small slices on timers that do not keep the process
  // alive, so the first proposals of a session are as fast as the later ones.
  const warmUp = (s: EngineState) => {
    const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0).unref());
    void s.engine.warmUp(tick).then(() => {
      if (!closed) s.isWarm = true;
    });
  };

  const targetById = (id: string): TargetRow => {
    const row = ctx.store.sqlite
      .prepare('select id, name, ra_deg, dec_deg, vmag, rmag, sp_type from targets where id = ? and deleted = 0')
      .get(id) as TargetRow | undefined;
    if (!row) throw new ApiError('not-found', `no target with id ${id}`);
    return row;
  };

  const readImport = (p: { path?: string; content?: string; fileName?: string }): { text: string; fileName: string } => {
    if (p.content !== undefined) return { text: p.content, fileName: p.fileName ?? 'pasted text' };
    const path = p.path!;
    return { text: readImportFile(path, MAX_IMPORT_BYTES), fileName: p.fileName ?? basename(path) };
  };

  const resolve = (name: string): ResolvedStar => {
    const cat = load().engine.catalogue;
    const i = cat.resolveName(name);
    if (i === null) {
      throw new ApiError(
        'not-found',
        `no catalogue star is named "${name}" (tried HD, HIP and HR numbers, SIMBAD names, Bayer and Flamsteed designations, GCVS names); give its position (--ra/--dec) to mark a star outside the catalogue`,
      );
    }
    const s = cat.stars[i];
    return { key: s.key, name: cat.nameOf(i), hd: s.hd, hip: s.hip, raDeg: s.raDeg, decDeg: s.decDeg, vmag: s.vmag, spType: s.spType, names: cat.namesOf(i) };
  };

  // Another process sharing the store (the CLI beside the app) may mark a star bad, change the
  // policy or import a catalogue: the engine follows, and listeners (the planner) hear about it.
  const offStore = ctx.store.onDidChange((entities, info) => {
    if (!info.isExternal) return;
    if (entities.has('bad_calibrators')) {
      state?.engine.setBadCal(badEntries());
      changed('badcal');
    }
    if (entities.has('settings') && state && JSON.stringify(policy()) !== JSON.stringify(state.engine.getPolicy())) {
      state.engine.setPolicy(policy());
      changed('policy');
    }
    if (entities.has('calibrator_catalog_rows')) {
      // Reloaded on next use, with the other process's rows.
      state = null;
      changed('imports');
    }
    if (entities.has('calibrator_associations')) changed('associations');
    if (entities.has('calibrator_exclusions')) changed('exclusions');
  });

  const api: CalibratorsApi = {
    forTargets: (raw) => {
      const s = load();
      return calibratorsForTargets(ctx.store, s.engine, raw);
    },
    onChanged: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    engine: () => load().engine,
  };

  return {
    load,
    api,
    async close() {
      closed = true;
      offStore();
      listeners.clear();
      await imports.close();
    },
    handlers: {
      'calibrators.propose': (p) => {
        const s = load();
        let target: EngineTarget;
        let targetId: string | null = null;
        if (p.targetId) {
          const t = targetById(p.targetId);
          targetId = t.id;
          target = { name: t.name, raDeg: t.ra_deg, decDeg: t.dec_deg, vmag: p.vmag ?? t.vmag, rmag: p.rmag ?? t.rmag, spType: p.spType ?? t.sp_type };
        } else {
          target = { name: p.name ?? 'target', raDeg: p.raDeg!, decDeg: p.decDeg!, vmag: p.vmag ?? null, rmag: p.rmag ?? null, spType: p.spType ?? null };
        }
        let stations: string[] | null = null;
        try {
          if (p.stations) stations = parseStations(p.stations);
        } catch (e) {
          throw new ApiError('invalid-input', `stations: ${(e as Error).message}`);
        }
        if (p.pops && p.pops !== 'auto' && p.pops.length !== (stations ?? ['S1', 'S2', 'E1', 'E2', 'W1', 'W2']).length) {
          throw new ApiError('invalid-input', `pops: "${p.pops}" needs one digit per station (${(stations ?? ['S1', 'S2', 'E1', 'E2', 'W1', 'W2']).join('-')})`);
        }
        let night = null;
        if (p.night) {
          try {
            night = nightContext(target, p.night, stations ?? ['S1', 'S2', 'E1', 'E2', 'W1', 'W2'], p.pops ? { pops: p.pops } : {});
          } catch (e) {
            throw new ApiError('invalid-input', (e as Error).message);
          }
        }
        // Without a night, the configuration's longest physical baseline is the honest B_eff.
        let baselineM = p.baselineM;
        let baselineSource = p.baselineM !== undefined ? `given: ${p.baselineM} m` : undefined;
        if (!night && baselineM === undefined && stations) {
          baselineM = longestBaselineM(parseStations(stations));
          baselineSource = `longest physical baseline of ${stations.join('-')} (no night given)`;
        }
        const assigned = new Map<string, { isPinned: boolean }>();
        if (targetId) for (const a of listAssociations(ctx.store, targetId)) if (a.key) assigned.set(a.key, { isPinned: a.isPinned });
        let r;
        try {
          r = s.engine.propose(target, {
            night,
            baselineM,
            baselineSource,
            excludedKeys: new Set(targetId ? listExclusions(ctx.store, targetId) : []),
            assigned,
            maxRejected: p.maxRejected,
          });
        } catch (e) {
          throw new ApiError('invalid-input', (e as Error).message);
        }
        const cat = s.engine.catalogue;
        const proposal: CalibratorProposal = {
          target: { name: target.name, raDeg: target.raDeg, decDeg: target.decDeg, vmag: target.vmag ?? null, rmag: r.targetRmag, targetId },
          night: p.night ?? null,
          stations: night ? night.stations : stations,
          baselineM: r.baselineM,
          lambdasUm: r.lambdasUm,
          windowMjd: night?.windowMjd ?? null,
          candidates: r.candidates,
          candidatesTotal: r.candidatesTotal,
          rejected: r.rejected,
          rejectedTotal: r.rejectedTotal,
          preset: r.preset,
          refusal: r.refusal,
          vetoLambdaUm: r.vetoLambdaUm,
          provenance: {
            engineVersion: ENGINE_VERSION,
            policyVersion: POLICY_VERSION,
            backboneBuiltAt: cat.builtAt,
            sources: cat.sources.map((x) => ({ id: x.id, what: x.what, licence: x.licence })),
            imports: listCalibratorImports(ctx.store),
            baselineSource: r.baselineSource,
            searchedRadiusDeg: r.radiusDeg,
            consideredCount: r.considered,
          },
        };
        return proposal;
      },
      'calibrators.forTargets': (p) => api.forTargets(p),
      'calibrators.resolve': ({ name }) => resolve(name),
      'calibrators.associations': ({ targetId }) => listAssociations(ctx.store, targetId),
      'calibrators.assign': ({ targetId, star, kind, isPinned, notes }) => {
        targetById(targetId);
        const a = assignCalibrator(ctx.store, {
          targetId, key: star.key, name: star.name, hd: star.hd ?? null, hip: star.hip ?? null, raDeg: star.raDeg, decDeg: star.decDeg,
          vmag: star.vmag ?? null, uddMas: star.udMas ?? null, uddErrMas: star.eUdMas ?? null, kind, isPinned, notes: notes ?? null,
          source: star.tier ? `tier ${star.tier}` : 'SPICA Companion',
        });
        changed('associations', targetId);
        return a;
      },
      'calibrators.unassign': ({ id }) => {
        const a = getAssociation(ctx.store, id);
        if (!a) throw new ApiError('not-found', `no calibrator association with id ${id}`);
        unassignCalibrator(ctx.store, id);
        changed('associations', a.targetId);
        return { id };
      },
      'calibrators.pin': ({ id, isPinned }) => {
        if (!getAssociation(ctx.store, id)) throw new ApiError('not-found', `no calibrator association with id ${id}`);
        const a = pinCalibrator(ctx.store, id, isPinned);
        changed('associations', a.targetId);
        return a;
      },
      'calibrators.exclude': ({ targetId, key, isExcluded }) => {
        targetById(targetId);
        const excludedKeys = setExclusion(ctx.store, targetId, key, isExcluded);
        changed('exclusions', targetId);
        return { targetId, excludedKeys };
      },
      'calibrators.markBad': (p) => {
        let { hd, hip, raDeg, decDeg } = { hd: p.hd ?? null, hip: p.hip ?? null, raDeg: p.raDeg ?? null, decDeg: p.decDeg ?? null };
        let name = p.name;
        if (hd === null && hip === null && (raDeg === null || decDeg === null)) {
          // Mark the catalogue star the name designates, by its identifiers and position, so the
          // veto finds it whichever way it is later matched.
          const star = resolve(p.name);
          hd = star.hd;
          hip = star.hip;
          raDeg = star.raDeg;
          decDeg = star.decDeg;
          if (canonicalName(star.name) !== canonicalName(p.name)) name = `${p.name} (${star.name})`;
        }
        const b = markBadCalibrator(ctx.store, { name, hd, hip, raDeg, decDeg, night: p.night ?? null, reason: p.reason, source: 'local' });
        state?.engine.setBadCal(badEntries());
        changed('badcal');
        return b;
      },
      'calibrators.unmarkBad': ({ id }) => {
        try {
          unmarkBadCalibrator(ctx.store, id);
        } catch (e) {
          throw new ApiError('not-found', (e as Error).message);
        }
        state?.engine.setBadCal(badEntries());
        changed('badcal');
        return { id };
      },
      'calibrators.badList': () => listBadCalibrators(ctx.store),
      'calibrators.import': async (p) => {
        const { text, fileName } = readImport(p);
        const s = load();
        let report: CalibratorImportReport;
        if (p.kind === 'badcal') {
          try {
            const parsed = parseBadCalList(text, fileName);
            const written = importBadCalibrators(ctx.store, parsed.entries);
            recordCalibratorImport(ctx.store, 'badcal', fileName, parsed.entries.length);
            s.engine.setBadCal(badEntries());
            report = { kind: p.kind, file: fileName, total: parsed.entries.length + parsed.skipped.length, ...written, skipped: parsed.skipped };
          } catch (e) {
            if (e instanceof ApiError) throw e;
            throw new ApiError('invalid-input', (e as Error).message);
          }
        } else {
          let result;
          try {
            result = await imports.run({ kind: p.kind, text, fileName }, (phase, done, total) =>
              ctx.emit('calibrators.importProgress', { fileName, kind: p.kind, phase, done, total }),
            );
          } catch (e) {
            throw new ApiError('invalid-input', (e as Error).message);
          }
          s.engine.catalogue.mergeJsdc(result.changedRows, p.kind === 'spica-primary');
          s.engine.invalidate();
          report = result.report;
        }
        changed(p.kind === 'badcal' ? 'badcal' : 'imports');
        return report;
      },
      'calibrators.policy.get': () => policy(),
      'calibrators.policy.set': ({ patch, reset }) => {
        const current = policy();
        const next = calibratorPolicySchema.parse(reset ? {} : { ...current, ...patch, nss: { ...current.nss, ...(patch.nss ?? {}) } });
        if (next.maxDeltaMagPreferred > next.maxDeltaMagAllowed) throw new ApiError('invalid-input', `maxDeltaMagPreferred (${next.maxDeltaMagPreferred}) must not exceed maxDeltaMagAllowed (${next.maxDeltaMagAllowed})`);
        writeSetting(ctx.store, POLICY_KEY, reset ? {} : next);
        state?.engine.setPolicy(next);
        changed('policy');
        return next;
      },
      'calibrators.status': () => {
        const s = load();
        return {
          starCount: s.engine.catalogue.stars.length,
          backboneBuiltAt: s.engine.catalogue.builtAt,
          importedRowCount: listCatalogRows(ctx.store).length,
          imports: listCalibratorImports(ctx.store),
          badCalCount: listBadCalibrators(ctx.store).length,
          isWarm: s.isWarm,
          legacyMigration,
        };
      },
    },
  };
}

function canonicalName(s: string): string {
  return s.toLowerCase().replace(/\s+/g, '');
}
