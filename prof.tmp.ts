import { join, resolve } from 'node:path';
import { backbonePath, loadBackbone } from './electron/services/calibrators/backbone-file';
import { CalibratorCatalogue } from './shared/calibrators/catalogue';
import { CalibratorEngine } from './shared/calibrators/engine';
const catalogue = new CalibratorCatalogue(loadBackbone('resources/calibrators/backbone.json.gz'));
const engine = new CalibratorEngine(catalogue);
const T=[{name:'a',raDeg:34.02,decDeg:26.88,vmag:3.34},{name:'b',raDeg:236.5,decDeg:-1.3,vmag:7.87}];
for (let k=0;k<5;k++) for (const t of T) engine.propose(t);
const { Session } = await import('node:inspector/promises');
const s = new Session(); s.connect(); await s.post('Profiler.enable'); await s.post('Profiler.start');
let t0=performance.now(); let n=0;
for (let k=0;k<40;k++) for (const t of T) { const r=engine.propose(t); n+=r.considered; }
console.log('per call', ((performance.now()-t0)/80).toFixed(2), n/80);
const { profile } = await s.post('Profiler.stop') as any;
const nodes=new Map(profile.nodes.map((x:any)=>[x.id,x])); const self=new Map<string,number>();
profile.samples.forEach((id:number,k:number)=>{const cf=(nodes.get(id) as any).callFrame; const key=`${cf.functionName}:${cf.url.split('/').pop()}:${cf.lineNumber}`; self.set(key,(self.get(key)??0)+profile.timeDeltas[k]);});
console.log([...self.entries()].sort((a,b)=>b[1]-a[1]).slice(0,15).map(([k,v])=>`${(v/1000).toFixed(0)} ${k}`).join('\n'));
