/**
 * Plot-ready, JSON-only data from an OIFITS file: every data row (baseline, triangle or telescope
 * at one time) with its per-wavelength values of one quantity — V², |V|, VISPHI, T3PHI, T3AMP or
 * flux — and what the axes need: spatial frequency B/λ in Mλ (10⁶ rad⁻¹; for a triangle the
 * longest of its three baselines, as OITools does: JMMC-OpenDev/oitools `OIT3.java`), projected
 * baseline length, MJD, hour angle and wavelength, plus u, v in metres for model overlays and
 * the uv tracks. NaN becomes null so the result survives JSON.
 */
import type { OiDataTable, OiFitsFile, OiTargetEntry } from './model';
import { arrayFor, numericColumn, stationLabel, tablesOf, wavelengthFor } from './read';

/** Which quantity a series carries. */
export type SeriesKind = 'vis2' | 'visamp' | 'visphi' | 't3phi' | 't3amp' | 'flux';

/** Every quantity, in the order a y-axis menu lists them. */
export const SERIES_KINDS: readonly SeriesKind[] = ['vis2', 'visamp', 'visphi', 't3phi', 't3amp', 'flux'];

/** Phases (degrees, wrapping at ±180°): never joined by lines across a wrap. */
export function isPhaseKind(kind: SeriesKind): boolean {
  return kind === 'visphi' || kind === 't3phi';
}

/** One data row across its wavelengths. */
export interface PlotSeries {
  kind: SeriesKind;
  /** Station label: `S1-E1` for a baseline, `S1-E1-W2` for a triangle, `S1` for a telescope. */
  label: string;
  insname: string;
  arrname: string | null;
  target: string;
  targetId: number;
  hdu: number;
  /** 0-based row in its table. */
  row: number;
  mjd: number | null;
  /** Hour angle (h) at MJD for the target's RA and the array's longitude; null when unknown. */
  haH: number | null;
  /** Projected baseline (m): the baseline, or a triangle's longest; null for flux. */
  baselineM: number | null;
  /** UCOORD/VCOORD (m) of a baseline; for a triangle U1/V1 and U2/V2 (the third closes them). */
  uv: { u1M: number; v1M: number; u2M?: number; v2M?: number } | null;
  /** Spatial frequency per wavelength, Mλ (null for flux). */
  sfMl: (number | null)[];
  waveUm: (number | null)[];
  y: (number | null)[];
  /** Error bars; null when NaN or negative (drawn with a different marker). */
  err: (number | null)[];
  flagged: boolean[];
}

/** uv coverage of one baseline row; the UI adds the mirrored (−u, −v) points. */
export interface UvTrack {
  label: string;
  insname: string;
  target: string;
  hdu: number;
  row: number;
  uMl: (number | null)[];
  vMl: (number | null)[];
  waveUm: (number | null)[];
  flagged: boolean[];
}

/** Everything the Review screen plots for one file. */
export interface OiPlotData {
  series: PlotSeries[];
  uv: UvTrack[];
  /** Largest NWAVE among plotted tables (the UI switches to per-wavelength views above 10). */
  nwaveMax: number;
  /** Whether the default amplitude panel shows V² (`vis2`) or |V| (`visamp`, files without OI_VIS2). */
  amplitudeKind: 'vis2' | 'visamp';
  /** The quantities the file has data for (whether or not they are in `series`). */
  available: SeriesKind[];
  /** The quantities included in `series`. */
  included: SeriesKind[];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Known array longitudes (degrees East) when OI_ARRAY gives no usable ARRAYX/Y/Z. */
const ARRAY_LONGITUDE_DEG: Record<string, number> = { CHARA: -118.0570, VLTI: -70.4045, NPOI: -111.535, COAST: 0.0342, IOTA: -110.885 };

function arrayLongitudeDeg(file: OiFitsFile, arrname: string | undefined): number | null {
  const array = arrayFor(file, arrname);
  if (array) {
    const x = array.header.number('ARRAYX');
    const y = array.header.number('ARRAYY');
    const z = array.header.number('ARRAYZ');
    // Geocentric position: only a point near the Earth's surface is one.
    if (x !== undefined && y !== undefined && z !== undefined && Math.hypot(x, y, z) > 6.3e6 && Math.hypot(x, y, z) < 6.4e6) {
      return (Math.atan2(y, x) * 180) / Math.PI;
    }
  }
  const name = (arrname ?? array?.arrname ?? '').toUpperCase();
  for (const [key, lon] of Object.entries(ARRAY_LONGITUDE_DEG)) if (name.includes(key)) return lon;
  return null;
}

/** Greenwich mean sidereal time (degrees) at an MJD (UT1 ≈ UTC: 1 s is 0.004° here). */
export function gmstDeg(mjd: number): number {
  const d = mjd - 51544.5;
  const g = 280.46061837 + 360.98564736629 * d;
  return ((g % 360) + 360) % 360;
}

/** Hour angle in hours, −12 … 12. */
export function hourAngleH(mjd: number, raDeg: number, longitudeDeg: number): number {
  const ha = (gmstDeg(mjd) + longitudeDeg - raDeg) / 15;
  return ((((ha + 12) % 24) + 24) % 24) - 12;
}

/** Data and error columns of each quantity, and the table it lives in. */
const QUANTITY: Record<SeriesKind, { table: 'OI_VIS2' | 'OI_VIS' | 'OI_T3' | 'OI_FLUX'; data: string; err: string }> = {
  vis2: { table: 'OI_VIS2', data: 'VIS2DATA', err: 'VIS2ERR' },
  visamp: { table: 'OI_VIS', data: 'VISAMP', err: 'VISAMPERR' },
  visphi: { table: 'OI_VIS', data: 'VISPHI', err: 'VISPHIERR' },
  t3phi: { table: 'OI_T3', data: 'T3PHI', err: 'T3PHIERR' },
  t3amp: { table: 'OI_T3', data: 'T3AMP', err: 'T3AMPERR' },
  flux: { table: 'OI_FLUX', data: 'FLUXDATA', err: 'FLUXERR' },
};

/** OI_TARGET rows by TARGET_ID (first row of an id wins), built once per call: a hostile file may hold many. */
function targetsById(file: OiFitsFile): Map<number, OiTargetEntry> {
  const byId = new Map<number, OiTargetEntry>();
  for (const t of tablesOf(file, 'OI_TARGET')[0]?.targets ?? []) if (!byId.has(t.id)) byId.set(t.id, t);
  return byId;
}

function rowSeries(file: OiFitsFile, t: OiDataTable, kind: SeriesKind): PlotSeries[] {
  const q = QUANTITY[kind];
  const wave = wavelengthFor(file, t.insname);
  // GRAVITY's early OI_FLUX calls the column FLUX.
  const data = numericColumn(t.table, q.data) ?? (kind === 'flux' ? numericColumn(t.table, 'FLUX') : undefined);
  const err = numericColumn(t.table, q.err);
  if (!wave || !data || t.nwave === 0 || data.length !== t.rows * t.nwave) return [];
  const array = arrayFor(file, t.arrname);
  const nw = Math.min(t.nwave, wave.rows);
  const isT3 = t.extname === 'OI_T3';
  const u1 = numericColumn(t.table, isT3 ? 'U1COORD' : 'UCOORD');
  const v1 = numericColumn(t.table, isT3 ? 'V1COORD' : 'VCOORD');
  const u2 = isT3 ? numericColumn(t.table, 'U2COORD') : undefined;
  const v2 = isT3 ? numericColumn(t.table, 'V2COORD') : undefined;
  const longitude = arrayLongitudeDeg(file, t.arrname);
  const targets = targetsById(file);
  const out: PlotSeries[] = [];
  for (let r = 0; r < t.rows; r++) {
    let baselineM: number | null = null;
    let uv: PlotSeries['uv'] = null;
    if (isT3 && u1 && v1 && u2 && v2) {
      const a = [u1[r], v1[r]];
      const b = [u2[r], v2[r]];
      const c = [-(a[0] + b[0]), -(a[1] + b[1])];
      baselineM = finite(Math.max(Math.hypot(a[0], a[1]), Math.hypot(b[0], b[1]), Math.hypot(c[0], c[1])));
      if (baselineM !== null) uv = { u1M: a[0], v1M: a[1], u2M: b[0], v2M: b[1] };
    } else if (!isT3 && kind !== 'flux' && u1 && v1) {
      baselineM = finite(Math.hypot(u1[r], v1[r]));
      if (baselineM !== null) uv = { u1M: u1[r], v1M: v1[r] };
    }
    const target = targets.get(t.targetId[r]);
    const mjd = finite(t.mjd[r]);
    const series: PlotSeries = {
      kind,
      label: stationLabel(array, t.staIndex.subarray(r * t.staPerRow, (r + 1) * t.staPerRow)),
      insname: t.insname,
      arrname: t.arrname ?? null,
      target: target?.name ?? `#${t.targetId[r]}`,
      targetId: t.targetId[r],
      hdu: t.hduIndex,
      row: r,
      mjd,
      haH: mjd !== null && longitude !== null && target && Number.isFinite(target.raDeg) ? hourAngleH(mjd, target.raDeg, longitude) : null,
      baselineM,
      uv,
      sfMl: [],
      waveUm: [],
      y: [],
      err: [],
      flagged: [],
    };
    for (let j = 0; j < nw; j++) {
      const i = r * t.nwave + j;
      const lambda = wave.effWaveM[j];
      series.sfMl.push(baselineM === null ? null : finite(baselineM / lambda / 1e6));
      series.waveUm.push(finite(lambda * 1e6));
      series.y.push(finite(data[i]));
      const e = err?.[i] ?? NaN;
      series.err.push(e >= 0 && Number.isFinite(e) ? e : null);
      series.flagged.push(t.flag[i] === 1);
    }
    out.push(series);
  }
  return out;
}

function uvTracks(file: OiFitsFile, t: OiDataTable): UvTrack[] {
  const wave = wavelengthFor(file, t.insname);
  const u = numericColumn(t.table, 'UCOORD');
  const v = numericColumn(t.table, 'VCOORD');
  if (!wave || !u || !v) return [];
  const array = arrayFor(file, t.arrname);
  const nw = Math.min(t.nwave, wave.rows);
  const targets = targetsById(file);
  const tracks: UvTrack[] = [];
  for (let r = 0; r < t.rows; r++) {
    const track: UvTrack = {
      label: stationLabel(array, t.staIndex.subarray(r * t.staPerRow, (r + 1) * t.staPerRow)),
      insname: t.insname,
      target: targets.get(t.targetId[r])?.name ?? `#${t.targetId[r]}`,
      hdu: t.hduIndex,
      row: r,
      uMl: [],
      vMl: [],
      waveUm: [],
      flagged: [],
    };
    for (let j = 0; j < nw; j++) {
      const lambda = wave.effWaveM[j];
      track.uMl.push(finite(u[r] / lambda / 1e6));
      track.vMl.push(finite(v[r] / lambda / 1e6));
      track.waveUm.push(finite(lambda * 1e6));
      track.flagged.push(t.flag[r * t.nwave + j] === 1);
    }
    tracks.push(track);
  }
  return tracks;
}

/** The quantities a file has data for. */
export function availableKinds(file: OiFitsFile): SeriesKind[] {
  return SERIES_KINDS.filter((k) => tablesOf(file, QUANTITY[k].table).some((t) => t.table.has(QUANTITY[k].data) || (k === 'flux' && t.table.has('FLUX'))));
}

/**
 * Build the plot data of a file. By default the first look: V² (|V| when the file has no
 * OI_VIS2) and T3PHI; `kinds` asks for other quantities (the UI fetches them when chosen).
 */
export function buildPlotData(file: OiFitsFile, kinds?: readonly SeriesKind[]): OiPlotData {
  const available = availableKinds(file);
  const vis2 = tablesOf(file, 'OI_VIS2');
  const vis = tablesOf(file, 'OI_VIS');
  const amplitudeKind = vis2.length > 0 ? 'vis2' : 'visamp';
  const wanted = kinds ?? [amplitudeKind, 't3phi'];
  const included = SERIES_KINDS.filter((k) => wanted.includes(k) && available.includes(k));
  const series: PlotSeries[] = [];
  for (const kind of included) for (const t of tablesOf(file, QUANTITY[kind].table)) series.push(...rowSeries(file, t, kind));
  const uvSource = vis2.length > 0 ? vis2 : vis;
  const uv = uvSource.flatMap((t) => uvTracks(file, t));
  const nwaveMax = Math.max(0, ...[...vis2, ...vis, ...tablesOf(file, 'OI_T3')].map((t) => t.nwave));
  return { series, uv, nwaveMax, amplitudeKind, available, included };
}
