import { readFileSync } from 'node:fs';
import { loadBackbone } from './electron/services/calibrators/backbone-file';
import { CalibratorCatalogue } from './shared/calibrators/catalogue';
import { CalibratorEngine } from './shared/calibrators/engine';
import { parseCatchList } from './shared/calibrators/import/catch-list';
const bb=loadBackbone('resources/calibrators/backbone.json.gz'); bb.jsdc=[];
const rows=['HD10516','HD197481','HD203280','HD20902'].flatMap(t=>parseCatchList(readFileSync(`test/fixtures/calibrators/${t}_Calibrators.txt`,'utf8'),t));
const cat=new CalibratorCatalogue(bb, rows);
console.log(cat.mergeJsdc([]), rows.length);
const eng=new CalibratorEngine(cat);
const cnt:Record<string,number>={};
for (const r of rows){ const i=cat.stars.findIndex(s=>s.jsdc===r); const f=eng.flagsOf(i); const m=f.filter(x=>x.severity==='veto'); for (const x of m) cnt[x.code+':'+x.label+':'+x.source]=(cnt[x.code+':'+x.label+':'+x.source]??0)+1; }
console.log(cnt);
const i110=cat.indexOfHip(110); console.log(cat.stars[i110!].wdsSepArcsec, eng.flagsOf(i110!).map(f=>f.severity+f.code+f.label));
