/**
 * A seeded generator of a realistic, clearly labelled demo survey: targets drawn from the bundled
 * bright stars, programmes S01–S08 with fictional "Demo" PIs, modes, PI priorities, second
 * programmes, and a few seasons of observing log placed on nights when each star transits near
 * local midnight at CHARA. The same seed gives the same survey.
 */
import type { ImportedTarget } from './import-rows';

/** One star of resources/stars/bright-stars.json. */
export interface BrightStar {
  name: string;
  hr: number;
  hd: number | null;
  hip: number | null;
  raDeg: number;
  decDeg: number;
  vmag: number;
  hmag: number | null;
  spType: string | null;
  otype: string | null;
}

/** A generated observation, keyed to its target by index into `targets`. */
export interface DemoObservation {
  targetIndex: number;
  night: string;
  utStart: string;
  utEnd: string;
  configuration: string;
  pops: string;
  outcome: 'done' | 'failed';
  seeingArcsec: number;
  notes: string;
}

export interface DemoSurvey {
  targets: ImportedTarget[];
  observations: DemoObservation[];
}

/** The demo programmes: SPICA-DB work-package codes with invented titles. */
export const DEMO_PROGRAMMES: Array<{ code: string; title: string; pi: string }> = [
  { code: 'S01', title: 'Demo — FGK dwarfs for PLATO', pi: 'Demo PI Aster' },
  { code: 'S02', title: 'Demo — Giants and the SBCR', pi: 'Demo PI Boreal' },
  { code: 'S03', title: 'Demo — Hot stars and winds', pi: 'Demo PI Cygnus' },
  { code: 'S04', title: 'Demo — Fast rotators', pi: 'Demo PI Draco' },
  { code: 'S05', title: 'Demo — Binaries and masses', pi: 'Demo PI Eridan' },
  { code: 'S06', title: 'Demo — Pulsating stars', pi: 'Demo PI Fornax' },
  { code: 'S07', title: 'Demo — Discs and environments', pi: 'Demo PI Gemini' },
  { code: 'S08', title: 'Demo — Exoplanet hosts', pi: 'Demo PI Hydra' },
];

const MODES: Array<[string, number]> = [
  ['DIA', 0.6],
  ['DLD', 0.15],
  ['IMA', 0.1],
  ['TMP', 0.08],
  ['SPI', 0.07],
];

const CONFIGS = ['S1-S2-E1-E2-W1-W2', 'S1-S2-E1-E2-W1-W2', 'S2-E2-W2', 'E1-W1-S1-W2'];

/** mulberry32: small, fast and good enough for reproducible demo data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rand: () => number, weighted: Array<[T, number]>): T {
  let r = rand();
  for (const [value, weight] of weighted) {
    if (r < weight) return value;
    r -= weight;
  }
  return weighted[weighted.length - 1][0];
}

function programmeFor(star: BrightStar, rand: () => number): number {
  const sp = (star.spType ?? '').toUpperCase();
  const cls = /^[A-Z]+\(?([OBAFGKM])/.exec(sp)?.[1] ?? sp.charAt(0);
  const isGiant = /III|II(?!I)|I[ab]?\b/.test(sp);
  if (star.otype && /Be\*|Em\*/.test(star.otype)) return 6;
  if (star.otype && /SB\*|EB\*|\*\*/.test(star.otype) && rand() < 0.6) return 4;
  if (star.otype && /(Pu|dS|Ce|RR|Mi|LP)\*/.test(star.otype)) return 5;
  if (cls === 'O' || cls === 'B') return rand() < 0.5 ? 2 : 3;
  if (cls === 'A') return rand() < 0.6 ? 3 : 7;
  if (isGiant) return 1;
  if (cls === 'F' || cls === 'G' || cls === 'K') return rand() < 0.75 ? 0 : 7;
  return Math.floor(rand() * 8);
}

/** Local date (YYYY-MM-DD) of the evening a star with this RA transits near midnight, in `year`. */
function transitNight(raDeg: number, year: number, rand: () => number): string {
  // LST at local midnight at CHARA is ≈ 6.7 h on 1 January and gains 24 h per year.
  const raH = raDeg / 15;
  const dayOfYear = Math.round((((raH - 6.7 + 24) % 24) / 24) * 365.25 + (rand() - 0.5) * 50);
  const date = new Date(Date.UTC(year, 0, 1) + dayOfYear * 86400000);
  return date.toISOString().slice(0, 10);
}

/** Generate a demo survey of `count` targets from `stars` with `seed`. */
export function generateDemoSurvey(stars: BrightStar[], count: number, seed: number): DemoSurvey {
  const rand = prng(seed);
  const pool = stars.filter((s) => s.decDeg > -30 && s.vmag <= 7.5);
  const chosen: BrightStar[] = [];
  const taken = new Set<number>();
  while (chosen.length < Math.min(count, pool.length)) {
    const i = Math.floor(rand() * pool.length);
    if (taken.has(i)) continue;
    taken.add(i);
    chosen.push(pool[i]);
  }
  chosen.sort((a, b) => a.raDeg - b.raDeg);
  const targets: ImportedTarget[] = [];
  const observations: DemoObservation[] = [];
  chosen.forEach((star, index) => {
    const mode = pick(rand, MODES);
    const first = programmeFor(star, rand);
    const memberships: ImportedTarget['memberships'] = [
      {
        programme: DEMO_PROGRAMMES[first].code,
        pi: DEMO_PROGRAMMES[first].pi,
        piPriority: rand() < 0.4 ? 0 : 1,
        mode,
        comments: null,
        rank: 1,
      },
    ];
    if (rand() < 0.15) {
      const second = (first + 1 + Math.floor(rand() * 7)) % 8;
      memberships.push({
        programme: DEMO_PROGRAMMES[second].code,
        pi: DEMO_PROGRAMMES[second].pi,
        piPriority: rand() < 0.5 ? 0 : 1,
        mode,
        comments: 'Shared with another work package (demo).',
        rank: 2,
      });
    }
    targets.push({
      row: index + 1,
      spicadbId: `DEMO-${String(index + 1).padStart(4, '0')}`,
      name: star.name,
      mainId: star.name,
      hd: star.hd ? String(star.hd) : null,
      hip: star.hip ? String(star.hip) : null,
      gaiaId: null,
      raDeg: star.raDeg,
      decDeg: star.decDeg,
      pmRaMasYr: null,
      pmDecMasYr: null,
      parallaxMas: null,
      vmag: star.vmag,
      rmag: null,
      jmag: null,
      hmag: star.hmag,
      kmag: null,
      spType: star.spType,
      spicaMode: mode,
      completionRate: null,
      lddMas: null,
      lddErrMas: null,
      memberships,
      extra: { HR: String(star.hr), DEMO: 'generated demo target, not survey data' },
    });
    const started = rand() < 0.45;
    if (!started) return;
    const visits = 1 + Math.floor(rand() * (mode === 'DIA' ? 2 : 5));
    for (let v = 0; v < visits; v++) {
      const night = transitNight(star.raDeg, 2023 + Math.floor(rand() * 3), rand);
      const startUtcMs = Date.parse(`${night}T00:00:00Z`) + (31 + rand() * 5) * 3600000;
      const durationMs = (40 + Math.floor(rand() * 40)) * 60000;
      const isDone = rand() < 0.85;
      observations.push({
        targetIndex: index,
        night,
        utStart: new Date(startUtcMs).toISOString(),
        utEnd: new Date(startUtcMs + durationMs).toISOString(),
        configuration: CONFIGS[Math.floor(rand() * CONFIGS.length)],
        pops: '111115',
        outcome: isDone ? 'done' : 'failed',
        seeingArcsec: Math.round((0.6 + rand() * 1.4) * 100) / 100,
        notes: isDone ? 'Demo observation.' : 'Demo: clouds / fringes lost.',
      });
    }
  });
  observations.sort((a, b) => a.utStart.localeCompare(b.utStart));
  return { targets, observations };
}
