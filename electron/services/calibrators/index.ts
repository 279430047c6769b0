/**
 * The calibrators domain service: implements `calibratorsMethods` of the contract. It owns one
 * calibrator engine over the bundled backbone plus imported rows, loaded on first use; the bad-
 * calibrator list and associations live in the store, the policy and per-target exclusions in
 * settings, imported catalogue rows in `<dataDir>/calibrators/imports.json`.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { BadCalEntry } from '../../../shared/calibrators/catalogue';
import { CalibratorCatalogue } from '../../../shared/calibrators/catalogue';
import { CalibratorEngine, type EngineTarget } from '../../../shared/calibrators/engine';
import { parseBadCalList } from '../../../shared/calibrators/import/badcal-list';
import { parsePrimaryList } from '../../../shared/calibrators/import/primary-list';
import { parseJsdcVoTable } from '../../../shared/calibrators/import/searchcal-votable';
import { nightContext } from '../../../shared/calibrators/night-context';
import { calibratorPolicySchema, POLICY_VERSION, type CalibratorPolicy } from '../../../shared/calibrators/policy';
import { ENGINE_VERSION, type CalibratorProposal } from '../../../shared/calibrators/types';
import type { CalibratorImportReport, calibratorsMethods } from '../../../shared/contract/calibrators';
import { ApiError } from '../../../shared/contract/define';
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
import { readSetting, writeSetting } from '../../db/repos/settings';
import type { DomainService, ServiceContext } from '../context';
import { backbonePath, loadBackbone } from './backbone-file';
import { ImportStore, rowKey } from './import-store';

const POLICY_KEY = 'calibrators.policy';
const EXCLUSIONS_KEY = 'calibrators.exclusions';
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

/** The loaded engine and its inputs. */
interface EngineState {
  engine: CalibratorEngine;
  imports: ImportStore;
  isWarm: boolean;
}

export interface CalibratorsService extends DomainService<typeof calibratorsMethods> {
  /** Load the catalogue now (tests and the CLI call it; the app loads on first use). */
  load(): EngineState;
}

export function createCalibratorsService(ctx: ServiceContext): CalibratorsService {
  let state: EngineState | null = null;
  let closed = false;

  const badEntries = (): BadCalEntry[] =>
    listBadCalibrators(ctx.store).map((b) => ({
      name: b.name, hd: b.hd ? Number(b.hd) : null, hip: b.hip ? Number(b.hip) : null, raDeg: b.raDeg, decDeg: b.decDeg,
      reason: b.reason, night: b.night, source: b.source,
    }));

  const policy = (): CalibratorPolicy => calibratorPolicySchema.parse(readSetting(ctx.store, POLICY_KEY, {}));

  const load = (): EngineState => {
    if (state) return state;
    const imports = new ImportStore(ImportStore.pathIn(ctx.paths.dataDir));
    const catalogue = new CalibratorCatalogue(loadBackbone(backbonePath(ctx.paths.resourcesDir)), imports.rows());
    state = { engine: new CalibratorEngine(catalogue, badEntries(), policy()), imports, isWarm: false };
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

  const exclusions = (): Record<string, string[]> => readSetting<Record<string, string[]>>(ctx.store, EXCLUSIONS_KEY, {});

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
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      throw new ApiError('not-found', `${path}: no such file`);
    }
    if (size > MAX_IMPORT_BYTES) throw new ApiError('invalid-input', `${path}: ${size} bytes is larger than the ${MAX_IMPORT_BYTES}-byte import limit`);
    return { text: readFileSync(path, 'utf8'), fileName: p.fileName ?? basename(path) };
  };

  return {
    load,
    close() {
      closed = true;
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
        let night = null;
        if (p.night) {
          try {
            night = nightContext(target, p.night, p.stations ?? ['S1', 'S2', 'E1', 'E2', 'W1', 'W2']);
          } catch (e) {
            throw new ApiError('invalid-input', (e as Error).message);
          }
        }
        const assigned = new Map<string, { isPinned: boolean }>();
        if (targetId) for (const a of listAssociations(ctx.store, targetId)) if (a.key) assigned.set(a.key, { isPinned: a.isPinned });
        let r;
        try {
          r = s.engine.propose(target, {
            night,
            baselineM: p.baselineM,
            baselineSource: p.baselineM !== undefined ? `given: ${p.baselineM} m` : undefined,
            excludedKeys: new Set(targetId ? (exclusions()[targetId] ?? []) : []),
            assigned,
          });
        } catch (e) {
          throw new ApiError('invalid-input', (e as Error).message);
        }
        const cat = s.engine.catalogue;
        const proposal: CalibratorProposal = {
          target: { name: target.name, raDeg: target.raDeg, decDeg: target.decDeg, vmag: target.vmag ?? null, rmag: r.targetRmag, targetId },
          night: p.night ?? null,
          stations: night ? night.stations : (p.stations ?? null),
          baselineM: r.baselineM,
          lambdasUm: s.engine.getPolicy().lambdasUm,
          windowMjd: night?.windowMjd ?? null,
          candidates: r.candidates,
          rejected: r.rejected,
          provenance: {
            engineVersion: ENGINE_VERSION,
            policyVersion: POLICY_VERSION,
            backboneBuiltAt: cat.builtAt,
            sources: cat.sources.map((x) => ({ id: x.id, what: x.what, licence: x.licence })),
            imports: s.imports.imports(),
            baselineSource: r.baselineSource,
            searchedRadiusDeg: r.radiusDeg,
            consideredCount: r.considered,
          },
        };
        return proposal;
      },
      'calibrators.associations': ({ targetId }) => listAssociations(ctx.store, targetId),
      'calibrators.assign': ({ targetId, star, kind, isPinned, notes }) => {
        targetById(targetId);
        const a = assignCalibrator(ctx.store, {
          targetId, key: star.key, name: star.name, hd: star.hd ?? null, hip: star.hip ?? null, raDeg: star.raDeg, decDeg: star.decDeg,
          vmag: star.vmag ?? null, uddMas: star.udMas ?? null, uddErrMas: star.eUdMas ?? null, kind, isPinned, notes: notes ?? null,
          source: star.tier ? `tier ${star.tier}` : 'SPICA Companion',
        });
        ctx.emit('calibrators.changed', { what: 'associations', targetId });
        return a;
      },
      'calibrators.unassign': ({ id }) => {
        const a = getAssociation(ctx.store, id);
        if (!a) throw new ApiError('not-found', `no calibrator association with id ${id}`);
        unassignCalibrator(ctx.store, id);
        ctx.emit('calibrators.changed', { what: 'associations', targetId: a.targetId });
        return { id };
      },
      'calibrators.pin': ({ id, isPinned }) => {
        if (!getAssociation(ctx.store, id)) throw new ApiError('not-found', `no calibrator association with id ${id}`);
        const a = pinCalibrator(ctx.store, id, isPinned);
        ctx.emit('calibrators.changed', { what: 'associations', targetId: a.targetId });
        return a;
      },
      'calibrators.exclude': ({ targetId, key, isExcluded }) => {
        targetById(targetId);
        const all = exclusions();
        const set = new Set(all[targetId] ?? []);
        if (isExcluded) set.add(key);
        else set.delete(key);
        all[targetId] = [...set].sort();
        writeSetting(ctx.store, EXCLUSIONS_KEY, all);
        ctx.emit('calibrators.changed', { what: 'exclusions', targetId });
        return { targetId, excludedKeys: all[targetId] };
      },
      'calibrators.markBad': (p) => {
        const b = markBadCalibrator(ctx.store, {
          name: p.name, hd: p.hd ?? null, hip: p.hip ?? null, raDeg: p.raDeg ?? null, decDeg: p.decDeg ?? null,
          night: p.night ?? null, reason: p.reason, source: 'local',
        });
        state?.engine.setBadCal(badEntries());
        ctx.emit('calibrators.changed', { what: 'badcal' });
        return b;
      },
      'calibrators.unmarkBad': ({ id }) => {
        try {
          unmarkBadCalibrator(ctx.store, id);
        } catch (e) {
          throw new ApiError('not-found', (e as Error).message);
        }
        state?.engine.setBadCal(badEntries());
        ctx.emit('calibrators.changed', { what: 'badcal' });
        return { id };
      },
      'calibrators.badList': () => listBadCalibrators(ctx.store),
      'calibrators.import': (p) => {
        const { text, fileName } = readImport(p);
        const s = load();
        let report: CalibratorImportReport;
        try {
          if (p.kind === 'badcal') {
            const parsed = parseBadCalList(text, fileName);
            const written = importBadCalibrators(ctx.store, parsed.entries);
            s.imports.record('badcal', fileName, parsed.entries.length);
            s.engine.setBadCal(badEntries());
            report = { kind: p.kind, file: fileName, total: parsed.entries.length + parsed.skipped.length, ...written, skipped: parsed.skipped };
          } else {
            const parsed = p.kind === 'spica-primary' ? parsePrimaryList(text, fileName) : { ...parseJsdcVoTable(text, fileName), skipped: [] as CalibratorImportReport['skipped'] };
            const skipped = [...parsed.skipped];
            // A file may list a star twice with different values; the last row wins, so a
            // re-import finds every stored row unchanged.
            const lastOfKey = new Map(parsed.rows.map((row, k) => [rowKey(row), k]));
            const usable = parsed.rows.filter((row, k) => {
              const hasDiameter = row.lddMas !== null || row.uddRMas !== null || row.uddKMas !== null || row.uddHMas !== null;
              if (!hasDiameter || row.eLddMas === null) {
                skipped.push({ row: k + 1, name: row.name, reason: hasDiameter ? 'no e_LDD' : 'no LDD/UDD diameter' });
                return false;
              }
              const last = lastOfKey.get(rowKey(row))!;
              if (last !== k) {
                skipped.push({ row: k + 1, name: row.name, reason: `same star as row ${last + 1}, which is used` });
                return false;
              }
              return true;
            });
            const merged = s.imports.merge(p.kind, fileName, usable);
            s.engine.catalogue.mergeJsdc(merged.changedRows);
            s.engine.invalidate();
            report = { kind: p.kind, file: fileName, total: parsed.rows.length + parsed.skipped.length, added: merged.added, updated: merged.updated, unchanged: merged.unchanged, skipped };
          }
        } catch (e) {
          if (e instanceof ApiError) throw e;
          throw new ApiError('invalid-input', (e as Error).message);
        }
        ctx.emit('calibrators.changed', { what: p.kind === 'badcal' ? 'badcal' : 'imports' });
        return report;
      },
      'calibrators.policy.get': () => policy(),
      'calibrators.policy.set': ({ patch, reset }) => {
        const next = calibratorPolicySchema.parse(reset ? {} : { ...policy(), ...patch });
        if (next.maxDeltaMagPreferred > next.maxDeltaMagAllowed) throw new ApiError('invalid-input', `maxDeltaMagPreferred (${next.maxDeltaMagPreferred}) must not exceed maxDeltaMagAllowed (${next.maxDeltaMagAllowed})`);
        writeSetting(ctx.store, POLICY_KEY, reset ? {} : next);
        state?.engine.setPolicy(next);
        ctx.emit('calibrators.changed', { what: 'policy' });
        return next;
      },
      'calibrators.status': () => {
        const s = load();
        return {
          starCount: s.engine.catalogue.stars.length,
          backboneBuiltAt: s.engine.catalogue.builtAt,
          importedRowCount: s.imports.rows().length,
          imports: s.imports.imports(),
          badCalCount: listBadCalibrators(ctx.store).length,
          isWarm: s.isWarm,
        };
      },
    },
  };
}

