/** The survey domain service: target list, detail, import/export and its batches, deletion, demo survey, settings. */
import { basename } from 'node:path';
import { ApiError } from '../../../shared/contract/define';
import type { surveyMethods } from '../../../shared/contract/survey';
import type { CalibratorAssociation, ImportReport, ObservationEntry, TargetDetail } from '../../../shared/model/survey';
import { generateDemoSurvey } from '../../../shared/survey/demo';
import { targetsToCsv, targetsToVoTable } from '../../../shared/survey/export';
import { matchesFilter, sortSummaries } from '../../../shared/survey/filter';
import { listBatches, maybeCompactChangeLog, RevertError, revertBatch } from '../../db/repos/batches';
import { insertObservation, missingTargetMessage } from '../../db/repos/observations';
import { readSetting, writeSetting } from '../../db/repos/settings';
import { deleteTargets, findTargets, importRowsInto, removeDemoData } from '../../db/repos/targets';
import type { DomainService, ServiceContext } from '../context';
import { brightStarCrossIds, loadBrightStars } from './import-job';
import { ImportRunner } from './import-runner';
import type { ImportJob } from './import-job';
import { SummaryCache } from './summaries';

export interface SurveyService extends DomainService<typeof surveyMethods> {
  summaries: SummaryCache;
  /** Import a job as `survey.import` does (worker thread in the app, progress events); for other services. */
  importJob(job: ImportJob): Promise<ImportReport>;
}

export function createSurveyService(ctx: ServiceContext, version: string): SurveyService {
  const { store } = ctx;
  const summaries = new SummaryCache(store);
  // The CLI has no UI to keep responsive: it imports inline. The app and browser mode use a worker.
  const runner = new ImportRunner(store, ctx.paths, ctx.transport === 'cli' ? 'inline' : 'worker');

  const runImport = async (job: ImportJob): Promise<ImportReport> => {
    const fileName = job.fileName;
    ctx.emit('survey.importProgress', { fileName, phase: job.path !== undefined ? 'reading' : 'parsing', done: 0, total: 0 });
    try {
      const report = await runner.run(job, (phase, done, total) => ctx.emit('survey.importProgress', { fileName, phase, done, total }));
      ctx.emit('survey.imported', report);
      maybeCompactChangeLog(store);
      return report;
    } finally {
      ctx.emit('survey.importProgress', { fileName, phase: 'done', done: 0, total: 0 });
    }
  };

  return {
    summaries,
    importJob: runImport,
    close: () => runner.close(),
    handlers: {
      'app.info': () => {
        const all = summaries.all();
        return {
          version,
          transport: ctx.transport,
          dataDir: ctx.paths.dataDir,
          storeFile: store.file,
          targetCount: all.length,
          demoTargetCount: all.filter((t) => t.isDemo).length,
        };
      },
      'survey.list': ({ filter, sort, limit }) => {
        const all = summaries.all();
        const text = filter.text?.trim().toLowerCase() || undefined;
        let rows = all.filter((t) => matchesFilter(t, filter, text));
        rows = sortSummaries(rows, sort?.key ?? 'raDeg', sort?.direction ?? 'asc');
        return { rows: limit ? rows.slice(0, limit) : rows, total: all.length };
      },
      'survey.get': ({ id }) => {
        const summary = summaries.get(id);
        if (!summary) throw new ApiError('not-found', missingTargetMessage(store.sqlite, id));
        const row = store.sqlite.prepare('select * from targets where id = ?').get(id) as Record<string, unknown>;
        const observations = (
          store.sqlite
            .prepare('select * from observations where target_id = ? and deleted = 0 order by ut_start desc')
            .all(id) as Array<Record<string, unknown>>
        ).map(
          (o): ObservationEntry => ({
            id: o.id as string,
            targetId: id,
            night: o.night as string,
            utStart: o.ut_start as string,
            utEnd: o.ut_end as string,
            configuration: o.configuration as string | null,
            pops: o.pops as string | null,
            mode: o.mode as string | null,
            outcome: o.outcome as ObservationEntry['outcome'],
            isValidated: o.is_validated === 1,
            seeingArcsec: o.seeing_arcsec as number | null,
            conditions: o.conditions as string | null,
            notes: o.notes as string | null,
            observer: o.observer as string | null,
          }),
        );
        const calibrators = (
          store.sqlite
            .prepare('select * from calibrator_associations where target_id = ? and deleted = 0 order by calibrator_name')
            .all(id) as Array<Record<string, unknown>>
        ).map(
          (c): CalibratorAssociation => ({
            id: c.id as string,
            targetId: id,
            calibratorName: c.calibrator_name as string,
            hd: c.hd as string | null,
            hip: c.hip as string | null,
            raDeg: c.ra_deg as number,
            decDeg: c.dec_deg as number,
            vmag: c.vmag as number | null,
            uddMas: c.udd_mas as number | null,
            uddErrMas: c.udd_err_mas as number | null,
            kind: c.kind as CalibratorAssociation['kind'],
            source: c.source as string | null,
            isPinned: c.is_pinned === 1,
          }),
        );
        const detail: TargetDetail = {
          ...summary,
          mainId: row.main_id as string | null,
          hd: row.hd as string | null,
          hip: row.hip as string | null,
          gaiaId: row.gaia_id as string | null,
          pmRaMasYr: row.pm_ra_mas_yr as number | null,
          pmDecMasYr: row.pm_dec_mas_yr as number | null,
          parallaxMas: row.parallax_mas as number | null,
          rmag: row.rmag as number | null,
          jmag: row.jmag as number | null,
          kmag: row.kmag as number | null,
          lddMas: row.ldd_mas as number | null,
          lddErrMas: row.ldd_err_mas as number | null,
          source: row.source as string | null,
          extra: row.extra_json ? (JSON.parse(row.extra_json as string) as Record<string, string>) : {},
          observations,
          calibrators,
        };
        return detail;
      },
      'survey.facets': () => {
        const programmes = new Set<string>();
        const pis = new Set<string>();
        const modes = new Set<string>();
        let vMin = Infinity;
        let vMax = -Infinity;
        for (const t of summaries.all()) {
          for (const m of t.programmes) {
            programmes.add(m.programme);
            if (m.pi) pis.add(m.pi);
          }
          if (t.mode) modes.add(t.mode);
          if (t.vmag !== null) {
            vMin = Math.min(vMin, t.vmag);
            vMax = Math.max(vMax, t.vmag);
          }
        }
        return {
          programmes: [...programmes].sort(),
          pis: [...pis].sort(),
          modes: [...modes].sort(),
          vmagRange: Number.isFinite(vMin) ? [vMin, vMax] : null,
        };
      },
      'survey.import': ({ fileName, content, path }) =>
        path !== undefined ? runImport({ fileName: basename(path), path }) : runImport({ fileName, content }),
      'survey.import.cancel': () => ({ cancelled: runner.cancelAll() }),
      'survey.batches.list': ({ kinds }) => listBatches(store, kinds),
      'survey.batches.revert': ({ id }) => {
        try {
          return revertBatch(store, id);
        } catch (e) {
          if (e instanceof RevertError) throw new ApiError(/^no recorded batch/.test(e.message) ? 'not-found' : 'conflict', e.message);
          throw e;
        }
      },
      'survey.targets.delete': ({ ids, query }) => {
        let targetIds = ids ?? [];
        if (query !== undefined) {
          const found = findTargets(store, query);
          if (found.length === 0) throw new ApiError('not-found', `no live target "${query}" (give its id, SPICA-DB id or name)`);
          if (found.length > 1) {
            throw new ApiError(
              'conflict',
              `"${query}" matches ${found.length} targets (${found.slice(0, 5).map((t) => `${t.name} ${t.id}`).join('; ')}): give the id`,
            );
          }
          targetIds = [found[0].id];
        }
        for (const id of targetIds) if (!summaries.get(id)) throw new ApiError('not-found', `No live target with id ${id}`);
        return deleteTargets(store, targetIds);
      },
      'survey.export': ({ filter, format }) => {
        const text = filter.text?.trim().toLowerCase() || undefined;
        const rows = sortSummaries(summaries.all().filter((t) => matchesFilter(t, filter, text)), 'raDeg', 'asc');
        const stamp = new Date().toISOString().slice(0, 10);
        if (format === 'csv') {
          return { fileName: `spica-survey-${stamp}.csv`, mimeType: 'text/csv', content: targetsToCsv(rows), count: rows.length };
        }
        return {
          fileName: `spica-survey-${stamp}.vot`,
          mimeType: 'application/x-votable+xml',
          content: targetsToVoTable(rows, `SPICA Companion survey export, ${rows.length} targets, ${new Date().toISOString()}`),
          count: rows.length,
        };
      },
      'survey.demo.generate': ({ seed, count }) => {
        const demo = generateDemoSurvey(loadBrightStars(ctx.paths.resourcesDir), count, seed);
        // Targets and their observing log land in one transaction, recorded as one revertible batch.
        const observations = store.write(
          (w) => {
            const written = importRowsInto(w, demo.targets, { source: 'demo-generator', isDemo: true, crossIds: brightStarCrossIds(ctx.paths.resourcesDir) });
            const ids = w.sqlite.prepare('select id, spicadb_id from targets where is_demo = 1 and deleted = 0').all() as Array<{
              id: string;
              spicadb_id: string;
            }>;
            const idOf = new Map(ids.map((r) => [r.spicadb_id, r.id]));
            const existingLog = w.sqlite.prepare('select count(*) as n from observations where is_demo = 1 and deleted = 0').get() as { n: number };
            if (existingLog.n === 0) {
              for (const o of demo.observations) {
                insertObservation(w, {
                  targetId: idOf.get(demo.targets[o.targetIndex].spicadbId as string) as string,
                  night: o.night,
                  utStart: o.utStart,
                  utEnd: o.utEnd,
                  configuration: o.configuration,
                  pops: o.pops,
                  outcome: o.outcome,
                  seeingArcsec: o.seeingArcsec,
                  notes: o.notes,
                  observer: 'Demo observer',
                  isDemo: true,
                });
              }
            }
            w.setBatchCounts({ added: written.added, updated: written.updated, unchanged: written.unchanged, skipped: written.ambiguous.length, report: written });
            return existingLog.n === 0 ? demo.observations.length : 0;
          },
          { origin: 'demo', batch: { kind: 'demo', label: `Demo survey (${count} targets, seed ${seed})` } },
        );
        return { targets: demo.targets.length, observations };
      },
      'survey.demo.remove': () => removeDemoData(store),
      'settings.get': ({ key }) => ({ value: readSetting<unknown>(store, key, null) }),
      'settings.set': ({ key, value }) => {
        writeSetting(store, key, value);
        return { ok: true };
      },
    },
  };
}
