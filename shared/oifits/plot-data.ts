/**
 * Plot-ready, JSON-only data from an OIFITS file: V² (or |V| when the file has no OI_VIS2) and
 * closure phase against spatial frequency, and the uv tracks. Spatial frequency is B/λ in Mλ
 * (10⁶ rad⁻¹); for a triangle it is the longest of its three baselines, as OITools does
 * (JMMC-OpenDev/oitools `OIT3.java`). NaN becomes null so the result survives JSON.
 */
import type { OiDataTable, OiFitsFile } from './model';
import { arrayFor, numericColumn, stationLabel, tablesOf, targetName, wavelengthFor } from './read';

/** Which quantity a series carries. */
export type SeriesKind = 'vis2' | 'visamp' | 't3phi';

/** One data row (baseline or triangle at one time) across its wavelengths. */
export interface PlotSeries {
  kind: SeriesKind;
  /** Station label: `S1-E1` for a baseline, `S1-E1-W2` for a triangle. */
  label: string;
  insname: string;
  target: string;
  hdu: number;
  /** 0-based row in its table. */
  row: number;
  mjd: number | null;
  /** Spatial frequency per wavelength, Mλ. */
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
  /** Whether the amplitude panel shows V² (`vis2`) or |V| (`visamp`, files without OI_VIS2). */
  amplitudeKind: 'vis2' | 'visamp';
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

function rowSeries(file: OiFitsFile, t: OiDataTable, kind: SeriesKind, dataName: string, errName: string): PlotSeries[] {
  const wave = wavelengthFor(file, t.insname);
  const data = numericColumn(t.table, dataName);
  const err = numericColumn(t.table, errName);
  if (!wave || !data || t.nwave === 0 || data.length !== t.rows * t.nwave) return [];
  const array = arrayFor(file, t.arrname);
  const nw = Math.min(t.nwave, wave.rows);
  const u1 = numericColumn(t.table, kind === 't3phi' ? 'U1COORD' : 'UCOORD');
  const v1 = numericColumn(t.table, kind === 't3phi' ? 'V1COORD' : 'VCOORD');
  const u2 = kind === 't3phi' ? numericColumn(t.table, 'U2COORD') : undefined;
  const v2 = kind === 't3phi' ? numericColumn(t.table, 'V2COORD') : undefined;
  const out: PlotSeries[] = [];
  for (let r = 0; r < t.rows; r++) {
    let baselineM: number;
    if (kind === 't3phi') {
      const a = [u1?.[r] ?? NaN, v1?.[r] ?? NaN];
      const b = [u2?.[r] ?? NaN, v2?.[r] ?? NaN];
      const c = [-(a[0] + b[0]), -(a[1] + b[1])];
      baselineM = Math.max(Math.hypot(a[0], a[1]), Math.hypot(b[0], b[1]), Math.hypot(c[0], c[1]));
    } else {
      baselineM = Math.hypot(u1?.[r] ?? NaN, v1?.[r] ?? NaN);
    }
    const series: PlotSeries = {
      kind,
      label: stationLabel(array, t.staIndex.subarray(r * t.staPerRow, (r + 1) * t.staPerRow)),
      insname: t.insname,
      target: targetName(file, t.targetId[r]) ?? `#${t.targetId[r]}`,
      hdu: t.hduIndex,
      row: r,
      mjd: finite(t.mjd[r]),
      sfMl: [],
      waveUm: [],
      y: [],
      err: [],
      flagged: [],
    };
    for (let j = 0; j < nw; j++) {
      const i = r * t.nwave + j;
      const lambda = wave.effWaveM[j];
      series.sfMl.push(finite(baselineM / lambda / 1e6));
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
  const tracks: UvTrack[] = [];
  for (let r = 0; r < t.rows; r++) {
    const track: UvTrack = {
      label: stationLabel(array, t.staIndex.subarray(r * t.staPerRow, (r + 1) * t.staPerRow)),
      insname: t.insname,
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

/** Build the plot data of a file. */
export function buildPlotData(file: OiFitsFile): OiPlotData {
  const vis2 = tablesOf(file, 'OI_VIS2');
  const vis = tablesOf(file, 'OI_VIS');
  const t3 = tablesOf(file, 'OI_T3');
  const amplitudeKind = vis2.length > 0 ? 'vis2' : 'visamp';
  const series: PlotSeries[] = [];
  if (amplitudeKind === 'vis2') for (const t of vis2) series.push(...rowSeries(file, t, 'vis2', 'VIS2DATA', 'VIS2ERR'));
  else for (const t of vis) series.push(...rowSeries(file, t, 'visamp', 'VISAMP', 'VISAMPERR'));
  for (const t of t3) series.push(...rowSeries(file, t, 't3phi', 'T3PHI', 'T3PHIERR'));
  const uvSource = vis2.length > 0 ? vis2 : vis;
  const uv = uvSource.flatMap((t) => uvTracks(file, t));
  const nwaveMax = Math.max(0, ...[...vis2, ...vis, ...t3].map((t) => t.nwave));
  return { series, uv, nwaveMax, amplitudeKind };
}
