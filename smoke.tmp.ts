import { loadBackbone } from './electron/services/calibrators/backbone-file';
import { CalibratorCatalogue } from './shared/calibrators/catalogue';
import { CalibratorEngine } from './shared/calibrators/engine';
let t0=performance.now();
const bb=loadBackbone('resources/calibrators/backbone.json.gz');
const t1=performance.now();
const cat=new CalibratorCatalogue(bb);
const t2=performance.now();
const eng=new CalibratorEngine(cat);
console.log('load', (t1-t0).toFixed(0), 'cat', (t2-t1).toFixed(0));
for (const hd of [5394, 23630]) { const i=cat.indexOfHd(hd)!; console.log(hd, cat.stars[i].spType, cat.diameter(i), eng.flagsOf(i).map(f=>`${f.severity}:${f.code}:${f.label}:${f.source}`)); }
let t=performance.now();
const r=eng.propose({name:'eta Tau', raDeg:56.871, decDeg:24.105, vmag:2.87, bv:-0.09, spType:'B7III'});
console.log('propose ms', (performance.now()-t).toFixed(1), r.considered, r.candidates.length, r.rejected.length, r.baselineM);
for (const c of r.candidates.slice(0,6)) console.log(c.rank, c.name, c.tier, c.udMas, c.channels.map(x=>x.vis2.toFixed(3)), c.sepDeg, c.deltaRmag, c.score, c.role, c.flags.map(f=>f.label));
const rules: Record<string, number> = {}; for (const x of r.rejected) rules[x.rule]=(rules[x.rule]??0)+1; console.log(rules);
t=performance.now();
const r2=eng.propose({name:'faint', raDeg:120, decDeg:30, vmag:6.5});
console.log('propose ms', (performance.now()-t).toFixed(1), r2.considered, r2.candidates.length, r2.rejected.length);
for (const c of r2.candidates.slice(0,6)) console.log(c.rank, c.name, c.tier, c.udMas, c.channels.map(x=>x.vis2.toFixed(3)), c.sepDeg, c.deltaRmag, c.score, c.role, c.flags.map(f=>f.label));
const rules2: Record<string, number> = {}; for (const x of r2.rejected) rules2[x.rule]=(rules2[x.rule]??0)+1; console.log(rules2);
for (let k=0;k<3;k++){ t=performance.now(); eng.propose({name:'faint', raDeg:120, decDeg:30, vmag:6.5}); console.log('warm', (performance.now()-t).toFixed(1)); }
t=performance.now(); eng.propose({name:'faint2', raDeg:200, decDeg:10, vmag:5}); console.log('cold2', (performance.now()-t).toFixed(1));
t=performance.now(); eng.propose({name:'faint2', raDeg:200, decDeg:10}); console.log('nomag', (performance.now()-t).toFixed(1));
