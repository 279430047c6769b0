/**
 * Every `companion` command, one line each: its words, its summary for `companion help`, and the
 * module that implements it. A module is imported only when one of its commands runs (or its
 * usage is asked for), so `help` loads this file and nothing else, and `targets` never loads
 * the SAMP or OIFITS code. Adding a command to an existing commands/<domain>.ts = one line here;
 * a new domain file also gets its loader line below. test/unit/app/cli-manifest.test.ts checks
 * that this list and the modules agree.
 */
import type { Command } from './command';

export interface CommandEntry {
  /** The words that select the command (as in the command's `name`). */
  name: string;
  summary: string;
  load(): Promise<Command[]>;
}

const app = () => import('./commands/app').then((m) => m.appCommands);
const survey = () => import('./commands/survey').then((m) => m.surveyCommands);
const astro = () => import('./commands/astro').then((m) => m.astroCommands);
const planner = () => import('./commands/planner').then((m) => m.plannerCommands);
const calibrators = () => import('./commands/calibrators').then((m) => m.calibratorsCommands);
const samp = () => import('./commands/samp').then((m) => m.sampCommands);
const review = () => import('./commands/review').then((m) => m.reviewCommands);
const models = () => import('./commands/models').then((m) => m.modelsCommands);
const sync = () => import('./commands/sync').then((m) => m.syncCommands);

export const MANIFEST: CommandEntry[] = [
  { name: 'serve', summary: 'Browser mode: serve the app on 127.0.0.1 with a per-run token', load: app },
  { name: 'start', summary: 'Open the desktop app (Electron); falls back to browser mode without Electron', load: app },
  { name: 'import', summary: 'Import a SPICA-DB / ASPRO2 VOTable or a CSV into the survey store', load: survey },
  { name: 'targets', summary: 'List survey targets (filtered), as a table or --json', load: survey },
  { name: 'export', summary: 'Export the (filtered) survey as VOTable or CSV', load: survey },
  { name: 'imports', summary: 'List recorded imports, oldest first (id, file, time, counts, reverted)', load: survey },
  { name: 'import revert', summary: 'Revert one recorded import as a whole (see companion imports)', load: survey },
  { name: 'target delete', summary: 'Delete a target (its observations are kept; undo with companion import revert BATCH)', load: survey },
  { name: 'demo', summary: 'Generate (or --remove) the labelled demo survey', load: survey },
  { name: 'altaz', summary: 'Alt/az, LST and hour angle of J2000 positions at UTC instants (CSV in, JSON out)', load: astro },
  { name: 'observability', summary: 'Observable intervals and blocking reasons of targets for a CHARA night and configuration', load: astro },
  { name: 'uv', summary: 'uv coverage (metres per baseline) of a position over the observable part of a night', load: astro },
  { name: 'plan', summary: 'Plan a night: CAL–SCI–CAL sequences of the survey (or a CSV) inside every constraint', load: planner },
  { name: 'calibrators', summary: 'Propose and vet calibrators around a position or a survey target', load: calibrators },
  { name: 'diameter', summary: 'Angular diameters (tier, LDD, UDD in the SPICA band, errors) for stars in a CSV', load: calibrators },
  { name: 'calibrators import', summary: 'Import a JSDC VOTable, SearchCal .scvot, JMMC BadCal list or SPICA primary-calibrator CSV', load: calibrators },
  { name: 'calibrators bad', summary: 'Mark a star as a bad calibrator (local BadCal list), or list the list', load: calibrators },
  { name: 'calibrators unbad', summary: 'Remove an entry of the local bad-calibrator list (undo of calibrators bad)', load: calibrators },
  { name: 'calibrators resolve', summary: 'Which catalogue star a name designates (HD/HIP/HR, SIMBAD, Bayer/Flamsteed, GCVS)', load: calibrators },
  { name: 'calibrators policy', summary: 'Show the calibrator policy, choose its preset (spica-companion or nss-2025), or restore the defaults', load: calibrators },
  { name: 'calibrators night', summary: 'Vetted calibrators with observable windows for every survey target of a night (what the planner uses)', load: calibrators },
  { name: 'samp hub', summary: 'Run the embedded SAMP hub headless until SIGINT/SIGTERM', load: samp },
  { name: 'samp clients', summary: 'List the applications registered with the running SAMP hub', load: samp },
  { name: 'samp send', summary: 'Send a local file (VOTable, OIFITS, .asprox) to an application over SAMP', load: samp },
  { name: 'oifits inspect', summary: 'Read an OIFITS file: version, targets, tables, flagged fraction, validator findings', load: review },
  { name: 'oifits flag', summary: 'Write a quality level (OiDB 0–5), PLATO flags and comment into an OIFITS header and the store', load: review },
  { name: 'oifits flag-points', summary: 'Set FLAG of the points a rule chooses ("SNR < 3", "wave < 0.62 um") in an OIFITS file, atomically, with a backup', load: review },
  { name: 'oifits fit', summary: 'Quick-look fit of a uniform-disk or limb-darkened diameter to the V² of an OIFITS file', load: review },
  { name: 'oifits fit-folder', summary: 'Quick-look UD/LD fits of every L2 file of a night folder, against the survey\'s predicted diameters, with each target\'s homogeneity', load: review },
  { name: 'oifits plot', summary: 'Export a plot of an OIFITS file as PNG (any x against any y quantities), headless', load: review },
  { name: 'visibility', summary: 'Predicted V², phase and closure phases of a target model along a night’s tracks', load: models },
  { name: 'models check', summary: 'Check a model file (SPICA-DB JSON or ASPRO2 XML, one model or named models)', load: models },
  { name: 'sync', summary: 'Sync the survey with SPICA-DB at JMMC: pull (TAP), push PI edits (catalog API), verify', load: sync },
  { name: 'sync pull', summary: 'Pull the SPICA-DB snapshot only (anonymous TAP)', load: sync },
  { name: 'sync push', summary: 'Push the waiting PI edits only (needs the JMMC password)', load: sync },
  { name: 'sync configure', summary: 'Choose the JMMC environment (preprod, prod or a custom TAP/API pair), catalogue and login', load: sync },
  { name: 'sync login', summary: 'Check and remember the JMMC password (from stdin, or the opt-in ~/.netrc import)', load: sync },
  { name: 'sync logout', summary: 'Forget the stored JMMC password', load: sync },
  { name: 'sync status', summary: 'Sync status: last pull (complete or not), rows, pending edits, conflicts, refused rows', load: sync },
  { name: 'sync conflicts', summary: 'PI edits that collide with a change in SPICA-DB (who changed it, when), to resolve', load: sync },
  { name: 'sync resolve', summary: 'Resolve a conflict: --keep theirs, --keep mine (pushed at the next sync), or --keep edit --value TEXT', load: sync },
  { name: 'sync pending', summary: 'The outbox: PI edits waiting for SPICA-DB, and rows the server refused (with its reason)', load: sync },
  { name: 'sync retry', summary: 'Queue refused rows again (all, or one SPICA-DB id)', load: sync },
  { name: 'sync discard', summary: "Drop a row's waiting or refused edit and put SPICA-DB's value back", load: sync },
  { name: 'target edit', summary: 'Edit PI priorities and comments of a target (queued for SPICA-DB until pushed)', load: sync },
];
