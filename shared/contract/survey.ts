/** Contract of the survey domain: the target list, import/export, demo data, settings, app info. */
import { z } from 'zod';
import type { ImportBatch, ImportReport, TargetDetail, TargetSummary } from '../model/survey';
import { defineEvent, defineMethod, type EventMap, type MethodMap } from './define';

/** Filter of the Survey table (all fields optional, combined with AND). */
export const targetFilterSchema = z
  .object({
    text: z.string().max(200).optional(),
    programmes: z.array(z.string()).optional(),
    pis: z.array(z.string()).optional(),
    modes: z.array(z.string()).optional(),
    finalPriorities: z.array(z.number().int().min(1).max(4)).optional(),
    vmagMin: z.number().optional(),
    vmagMax: z.number().optional(),
    decMinDeg: z.number().min(-90).max(90).optional(),
    decMaxDeg: z.number().min(-90).max(90).optional(),
    isDemo: z.boolean().optional(),
  })
  .strict();

/** Sort keys of the Survey table. */
export const targetSortSchema = z
  .object({
    key: z.enum([
      'name',
      'raDeg',
      'decDeg',
      'vmag',
      'hmag',
      'spType',
      'mode',
      'programme',
      'completionRate',
      'finalPriority',
      'observationCount',
      'lastObservedNight',
    ]),
    direction: z.enum(['asc', 'desc']),
  })
  .strict();

/** What the app and its store look like, for the status bar and About. */
export interface AppInfo {
  version: string;
  transport: 'electron' | 'browser' | 'cli';
  dataDir: string;
  storeFile: string;
  targetCount: number;
  demoTargetCount: number;
}

/** Values the Survey filters can take, from the current store. */
export interface SurveyFacets {
  programmes: string[];
  pis: string[];
  modes: string[];
  vmagRange: [number, number] | null;
}

export const surveyMethods = {
  'app.info': defineMethod<AppInfo>()({
    doc: 'Version, transport, data folder and store size.',
    params: z.object({}).strict(),
  }),
  'survey.list': defineMethod<{ rows: TargetSummary[]; total: number }>()({
    doc: 'Survey targets matching a filter, sorted; `total` counts all live targets.',
    params: z
      .object({ filter: targetFilterSchema.default({}), sort: targetSortSchema.optional(), limit: z.number().int().positive().optional() })
      .strict(),
  }),
  'survey.get': defineMethod<TargetDetail>()({
    doc: 'One target with every field, its programmes, observing log and calibrators.',
    params: z.object({ id: z.string().min(1) }).strict(),
  }),
  'survey.facets': defineMethod<SurveyFacets>()({
    doc: 'Programmes, PIs, modes and V range present in the store, for the filter controls.',
    params: z.object({}).strict(),
  }),
  'survey.import': defineMethod<ImportReport>()({
    doc:
      'Import a SPICA-DB / ASPRO2 VOTable or a CSV, given as text (browser, drag-and-drop) or a ' +
      'local path (CLI, Electron menu; regular files up to 200 MB). All-or-nothing, recorded as a ' +
      'revertible batch; rows are matched by SPICA-DB id, else by position and identifier, never ' +
      'across demo and real data. Progress on `survey.importProgress`; `survey.import.cancel` stops it.',
    params: z
      .object({
        fileName: z.string().min(1).max(500),
        content: z.string().max(200_000_000).optional(),
        path: z.string().min(1).optional(),
      })
      .strict()
      .refine((p) => (p.content === undefined) !== (p.path === undefined), 'give exactly one of content or path'),
  }),
  'survey.import.cancel': defineMethod<{ cancelled: number }>()({
    doc: 'Cancel the running imports (their transactions roll back; the survey is unchanged). Returns how many were running.',
    params: z.object({}).strict(),
  }),
  'survey.batches.list': defineMethod<ImportBatch[]>()({
    doc: 'Recorded batches (imports, demo survey, its removal, deletions, reverts), oldest first; `kinds` narrows them.',
    params: z
      .object({ kinds: z.array(z.enum(['import', 'demo', 'demo-remove', 'delete', 'revert'])).optional() })
      .strict(),
  }),
  'survey.batches.revert': defineMethod<ImportBatch>()({
    doc:
      'Undo a recorded batch as a whole (rows it added become tombstones, its tombstones are lifted, ' +
      'changed fields get their old values); refused, naming the rows, when later writes changed them. ' +
      'Returns the new revert batch.',
    params: z.object({ id: z.string().min(1).max(100) }).strict(),
  }),
  'survey.targets.delete': defineMethod<{ batchId: string; deleted: Array<{ id: string; name: string; spicadbId: string | null }> }>()({
    doc:
      'Delete targets (tombstones; observations, memberships and calibrators are kept) as one revertible ' +
      'batch. Give `ids`, or `query` (an id, a SPICA-DB id or a name): a name matching several targets is refused.',
    params: z
      .object({ ids: z.array(z.string().min(1).max(100)).min(1).max(10_000).optional(), query: z.string().min(1).max(500).optional() })
      .strict()
      .refine((p) => (p.ids === undefined) !== (p.query === undefined), 'give exactly one of ids or query'),
  }),
  'survey.export': defineMethod<{ fileName: string; mimeType: string; content: string; count: number }>()({
    doc: 'The (filtered) survey as a VOTable or CSV document.',
    params: z.object({ filter: targetFilterSchema.default({}), format: z.enum(['votable', 'csv']) }).strict(),
  }),
  'survey.demo.generate': defineMethod<{ targets: number; observations: number }>()({
    doc: 'Generate the labelled demo survey (seeded, reproducible) from the bundled bright-star data.',
    params: z.object({ seed: z.number().int().default(2026), count: z.number().int().min(1).max(5000).default(3000) }).strict(),
  }),
  'survey.demo.remove': defineMethod<{ removed: number; batchId: string }>()({
    doc: 'Remove (tombstone) every demo target with its log and memberships, as one batch `survey.batches.revert` can undo.',
    params: z.object({}).strict(),
  }),
  'settings.get': defineMethod<{ value: unknown }>()({
    doc: 'Read one setting (null when unset).',
    params: z.object({ key: z.string().min(1).max(100) }).strict(),
  }),
  'settings.set': defineMethod<{ ok: true }>()({
    doc: 'Write one setting (any JSON value).',
    params: z.object({ key: z.string().min(1).max(100), value: z.unknown() }).strict(),
  }),
} satisfies MethodMap;

export const surveyEvents = {
  'survey.importProgress': defineEvent<{ fileName: string; phase: 'reading' | 'parsing' | 'writing' | 'done'; done: number; total: number }>(
    'Progress of a running import (sent while the write runs in the import worker).',
  ),
  'survey.imported': defineEvent<ImportReport>('An import finished (from any window, the CLI menu or SAMP): its report.'),
  'survey.changed': defineEvent<{ entities: string[] }>(
    'The store changed (after a commit, by this process or, noticed within a second, by another one such as the CLI): tables touched.',
  ),
} satisfies EventMap;
