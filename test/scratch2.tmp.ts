let cur = 0, longest = 0;
let LO = -90, HI = 90;
import { nightSky } from '../shared/astro/night';
import { apparentRaDecRad } from '../shared/astro/frame';
import { delayModel, baselineMarginM, stationDelaysM, searchBestPops } from '../shared/astro/delay';
import { CHARA_SITE } from '../shared/astro/site';
const pop = [[0.0, 36.5639684, 73.1289412, 109.7249843, 143.0358086],[-36.5447103, 0.0, 36.5686106, 73.1577372, 106.4675474],[0.0, 36.5856149, 73.1206645, 109.7081816, 143.0198375],[-73.1122149, -36.5385324, 0.0, 36.578125261, 69.922248720],[-73.1098438, -36.5368346, 0.0, 36.5936311, 69.9061629],[-143.055000, -106.455324, -69.911098, -33.306356, 0.0]];
const air = [0.0, 573633.833, 4250500.0, 3680300.0, 1842354.0, 2405131.0].map(x => x*1e-6);
const sky = nightSky('2026-06-21', CHARA_SITE, { stepMin: 1 });
const place = new Float64Array(2); apparentRaDecRad(sky.frame, 279.23473, 38.78369, place);
const cd = Math.cos(place[1]), sd = Math.sin(place[1]);
for (const [st, idx] of [[['S1','S2','E1','E2','W1','W2'],[0,1,2,3,4,5]], [['S1','S2','E1','E2'],[0,1,2,3]]] as const) {
  for (const sign of [1, -1]) {
  const m = delayModel([...st] as any);
  m.internalM = idx.map(i => sign*air[i]); m.popM = idx.map(i => pop[i].map(x=>sign*x)); m.throwM = idx.map(() => 91.4); m.allowedPops = idx.map(() => [1,2,3,4,5]);
  const d = new Float64Array(6);
  const count = (pops: number[]) => { let c = 0; cur = 0; longest = 0; for (let k = 0; k < sky.grid.timesMjd.length; k++) {
    const ha = Math.atan2(sky.sinLst[k]*Math.cos(place[0]) - sky.cosLst[k]*Math.sin(place[0]), sky.cosLst[k]*Math.cos(place[0]) + sky.sinLst[k]*Math.sin(place[0]));
    stationDelaysM(m, Math.cos(ha), Math.sin(ha), cd, sd, d);
    let ok = true; for (let i = 0; i < st.length; i++) for (let j = i+1; j < st.length; j++) if (baselineMarginM(m, pops, d, i, j) < 0) ok = false;
    const sa = Math.sin(34.2243837*Math.PI/180)*sd + Math.cos(34.2243837*Math.PI/180)*cd*Math.cos(ha); const alt = Math.asin(sa)*180/Math.PI; if (ok && alt > LO && alt < HI) { c++; cur++; longest = Math.max(longest, cur);} else cur = 0; } return c; };
  for (const [lo, hi] of [[-90,90],[25,85],[30,85],[25,90]]) { LO = lo; HI = hi; console.log(lo, hi, sign, st.join(''), 'pop1', count(st.map(() => 1)), '1334', st.length===4 ? count([1,3,3,4]) : '', longest); }
  if (st.length === 4) { let best = [0, '']; for (let a=1;a<=5;a++)for(let b=1;b<=5;b++)for(let c=1;c<=5;c++)for(let e=1;e<=5;e++){const v=count([a,b,c,e]); if (v > (best[0] as number)) best=[v, `${a}${b}${c}${e}`];} console.log('best', best); }
  }
}
