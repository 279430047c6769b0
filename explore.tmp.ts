import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { estimateJsdcDiameter, searchCalPhotometry } from './shared/calibrators/jsdc-diameter';
import { parseSpectralType } from './shared/calibrators/spectral-type';
import { parseJsdcVoTable } from './shared/calibrators/import/searchcal-votable';
import { uniformDiscVis2 } from './shared/calibrators/visibility';
import { linearLdCoefficient, ldToUdRatio } from './shared/calibrators/ld-to-ud';
const rows = Papa.parse<Record<string,string>>(readFileSync('test/fixtures/calibrators/jsdc_polynomial_reference_vectors.csv','utf8'),{header:true,skipEmptyLines:true}).data;
let maxD=0, maxE=0, maxM=0, maxEM=0, idxBad=0;
for (const r of rows) {
  const n=(k:string)=>Number(r[k]);
  const sp=parseSpectralType(r.SpType);
  if (sp.index!==n('sp_index')) { idxBad++; if (idxBad<10) console.log('idx', r.SpType, sp.index, r.sp_index); }
  const d=estimateJsdcDiameter(n('sp_index'),{V:{mag:n('mV'),err:n('eV')},J:{mag:n('mJ'),err:n('eJ')},H:{mag:n('mH'),err:n('eH')},K:{mag:n('mK'),err:n('eK')}});
  for (const e of d.estimates){ const c=e.colour.slice(1); maxD=Math.max(maxD,Math.abs(e.logDiam-n('log_diam_V'+c))); maxE=Math.max(maxE,Math.abs(e.eLogDiam-n('e_log_diam_V'+c)));}
  maxM=Math.max(maxM,Math.abs(d.logDiamMean-n('log_diam_mean'))); maxEM=Math.max(maxEM,Math.abs(d.eLogDiamMean-n('e_log_diam_mean')));
}
console.log({maxD,maxE,maxM,maxEM,idxBad});
const t=parseJsdcVoTable(readFileSync('test/fixtures/calibrators/SearchCal-ETA_TAU.scvot','utf8'),'scvot');
const tab=t.table; const ci=(k:string)=>tab.fields.indexOf(k);
let ok=0,bad=0,range=0, vmax=0, vemax=0, udmax=0;
for (const r of tab.rows){
  const g=(k:string)=>{const v=r[ci(k)]; return v===''?null:Number(v)};
  const ldd=g('LDD'); if(ldd===null) continue;
  const sp=parseSpectralType(r[ci('SpType_JMMC')]);
  if (sp.isRange || sp.index===null) { range++; continue; }
  try {
  const ph=searchCalPhotometry({V:g('V')!,eV:g('e_V'),J:g('J'),eJ:g('e_J'),H:g('H'),eH:g('e_H'),K:g('K'),eK:g('e_K')});
  const d=estimateJsdcDiameter(sp.index,ph);
  const rel=Math.abs(d.lddMas/ldd-1);
  if(rel<1e-3) ok++; else {bad++; console.log(r[ci('SpType_JMMC')], r[ci('SpType')], ldd, d.lddMas, g('e_LDD'), d.eLddMas);}
  } catch(e){ console.log('err', (e as Error).message, r[ci('SpType_JMMC')]); bad++; }
  const ud=g('UD_K')!, e=g('e_LDD')!;
  const v=uniformDiscVis2(ud, e*ud/ldd, 102.45, 2.2);
  vmax=Math.max(vmax,Math.abs(v.vis2-g('vis2')!)); vemax=Math.max(vemax,Math.abs(v.vis2Err-g('vis2Err')!));
  const u=linearLdCoefficient(g('Teff_SpType')!, g('logg_SpType')!, 'R');
  udmax=Math.max(udmax, Math.abs(ldd/ldToUdRatio(u)/g('UD_R')!-1));
}
console.log({ok,bad,range,vmax,vemax,udmax});
