/**
 * The uv plane of a spectrally resolved file draws each row as its radial track (a line between
 * its end channels, broken at flagged channels) instead of one marker per channel. Checked on a
 * real file (ROTIR SU Lyn, 34 channels, scattered flags): every unflagged channel and its mirror
 * lies on a drawn segment of its baseline or, alone between flagged neighbours, is a drawn marker;
 * every drawn vertex is an unflagged channel; a flagged channel is on no segment; colouring by
 * wavelength still draws every channel as a point.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlotData, readOifits } from '../../../shared/oifits';
import { NO_FILTER, uvFigure, type FigureContext, type ViewFile } from '../../../shared/oifits/figures';

const FIXTURES = join(__dirname, '../../fixtures/oifits');
const palette = { series: ['#a', '#b', '#c'], flagged: '#f', model: '#m', fit: '#x', selected: '#s', isNight: false };

function viewOf(name: string): ViewFile {
  const plot = buildPlotData(readOifits(new Uint8Array(readFileSync(join(FIXTURES, name)))), ['vis2', 't3phi']);
  return { key: name, name, night: null, plot };
}

function ctxOf(colorBy: 'baseline' | 'wavelength'): FigureContext {
  return { options: { x: 'sf', panels: ['vis2', 't3phi'], colorBy, errors: 'auto', showFlagged: false }, filter: NO_FILTER, palette, hasWebGl: false };
}

type Trace = { name: string; mode: string; x: (number | null)[]; y: (number | null)[] };

/** Segments of a line trace (consecutive non-null vertices). */
function segments(t: Trace): Array<[number, number, number, number]> {
  const out: Array<[number, number, number, number]> = [];
  for (let i = 0; i + 1 < t.x.length; i++) {
    const [x0, y0, x1, y1] = [t.x[i], t.y[i], t.x[i + 1], t.y[i + 1]];
    if (x0 !== null && y0 !== null && x1 !== null && y1 !== null) out.push([x0, y0, x1, y1]);
  }
  return out;
}

function onSegment(u: number, v: number, [x0, y0, x1, y1]: [number, number, number, number]): boolean {
  const scale = Math.hypot(x1 - x0, y1 - y0) || 1;
  const cross = Math.abs((x1 - x0) * (v - y0) - (y1 - y0) * (u - x0)) / scale;
  const t = ((u - x0) * (x1 - x0) + (v - y0) * (y1 - y0)) / (scale * scale);
  return cross < 1e-6 * Math.max(1, Math.abs(u), Math.abs(v)) && t >= -1e-9 && t <= 1 + 1e-9;
}

describe('uv plane as radial tracks', () => {
  it('SU Lyn: every unflagged channel (and its mirror) is on a drawn segment of its baseline; vertices are channels', () => {
    const file = viewOf('ROTIRjl__SU_Lyn.oifits');
    const fig = uvFigure([file], ctxOf('baseline'));
    const lines = new Map((fig.data as Trace[]).filter((t) => t.mode === 'lines').map((t) => [t.name, segments(t)]));
    const markers = new Set((fig.data as Trace[]).filter((t) => t.mode === 'markers').flatMap((t) => t.x.map((x, i) => `${t.name}|${x}|${t.y[i]}`)));
    const drawn = (label: string, u: number, v: number) => (lines.get(label) ?? []).some((s) => onSegment(u, v, s)) || markers.has(`${label}|${u}|${v}`);
    let channels = 0;
    const vertices = new Set<string>();
    for (const t of file.plot.uv) {
      for (let j = 0; j < t.uMl.length; j++) {
        if (t.flagged[j] || t.uMl[j] === null || t.vMl[j] === null) continue;
        const [u, v] = [t.uMl[j] as number, t.vMl[j] as number];
        channels++;
        vertices.add(`${t.label}|${u}|${v}`).add(`${t.label}|${-u}|${-v}`);
        expect(drawn(t.label, u, v), `${t.label} row ${t.row} channel ${j}`).toBe(true);
        expect(drawn(t.label, -u, -v), `${t.label} row ${t.row} channel ${j} mirrored`).toBe(true);
      }
    }
    expect(channels).toBeGreaterThan(4000);
    for (const t of fig.data as Trace[]) {
      t.x.forEach((x, i) => {
        if (x !== null) expect(vertices.has(`${t.name}|${x}|${t.y[i]}`), `${t.name} vertex ${x}, ${t.y[i]}`).toBe(true);
      });
    }
    // Far fewer drawn points than channels × 2 (what one marker per channel drew).
    const vertexCount = (fig.data as Trace[]).reduce((n, t) => n + t.x.filter((x) => x !== null).length, 0);
    expect(vertexCount).toBeLessThan(channels);
  });

  it('a flagged channel inside a row breaks its track: its point is on no segment', () => {
    const file = viewOf('ROTIRjl__SU_Lyn.oifits');
    const track = file.plot.uv.find((t) => t.uMl.length > 10 && t.uMl.every((u) => u !== null)) as (typeof file.plot.uv)[number];
    expect(track).toBeDefined();
    const j = Math.floor(track.uMl.length / 2);
    // The only row of its baseline, every channel kept but the middle one, so no other row's track can pass through the point.
    const alone: ViewFile = { ...file, plot: { ...file.plot, uv: [{ ...track, flagged: track.flagged.map((_, k) => k === j) }] } };
    const fig = uvFigure([alone], ctxOf('baseline'));
    const segs = (fig.data as Trace[]).filter((t) => t.mode === 'lines').flatMap(segments);
    expect(segs.length).toBe(4); // two runs, each drawn and mirrored
    expect(segs.some((s) => onSegment(track.uMl[j] as number, track.vMl[j] as number, s))).toBe(false);
    expect(segs.some((s) => onSegment(track.uMl[j - 1] as number, track.vMl[j - 1] as number, s))).toBe(true);
    expect(segs.some((s) => onSegment(track.uMl[j + 1] as number, track.vMl[j + 1] as number, s))).toBe(true);
  });

  it('coloured by wavelength, every unflagged channel is still a point (with its mirror)', () => {
    const file = viewOf('ROTIRjl__SU_Lyn.oifits');
    const fig = uvFigure([file], ctxOf('wavelength'));
    const unflagged = file.plot.uv.reduce((n, t) => n + t.uMl.filter((u, j) => !t.flagged[j] && u !== null && t.vMl[j] !== null).length, 0);
    const points = (fig.data as Trace[]).reduce((n, t) => n + t.x.length, 0);
    expect((fig.data as Trace[]).every((t) => t.mode === 'markers')).toBe(true);
    expect(points).toBe(2 * unflagged);
  });
});
