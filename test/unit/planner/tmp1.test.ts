import { it } from 'vitest';
import { buildPlan } from '../../../shared/planner/scheduler';
import { DEFAULT_PLAN_SETTINGS } from '../../../shared/planner/types';
const T0 = 60445.2, STEP = 10/1440;
function star(key: string, mask: string) { const intervals=[]; let start=-1; for (let k=0;k<=mask.length;k++){const ok=mask[k]==='#'; if(ok&&start<0)start=k; if(!ok&&start>=0){intervals.push({startMjd:T0+start*STEP,endMjd:T0+k*STEP});start=-1;}} return {key,name:key,raDeg:180,decDeg:30,intervals,pops:''}; }
it('x', () => {
  const ALL='#'.repeat(36);
  const cal = (pops: string) => ({ ...star('C', ALL), pops });
  const c=(s:any,cals:any[],p:number)=>({science:s,calibrators:cals,calibratorSource:'proposed' as const,finalPriority:p,piPriority:0,isStarted:false});
  const variant = (key: string, mask: string, pops: string) => c({ ...star(key, mask), pops }, [cal(pops)], 1);
  const candidates = [variant('A', ALL, '11'), variant('A', ALL, '22'), variant('B', ALL, '22'), variant('C', ALL, '22')];
  const plan = buildPlan({ window: { startMjd: T0, endMjd: T0 + 18 * STEP }, candidates, settings: DEFAULT_PLAN_SETTINGS });
  console.log(plan.stats, plan.blocks.map(b=>[b.kind,b.name,b.pops,(b.startMjd-T0)*1440]));
});
import { buildOptions, slotGrid } from '../../../shared/planner/options';
import { optimise } from '../../../shared/planner/optimiser';
it('y', () => {
  const ALL='#'.repeat(36);
  const cal = (pops: string) => ({ ...star('K', ALL), pops });
  const c=(s:any,cals:any[],p:number)=>({science:s,calibrators:cals,calibratorSource:'proposed' as const,finalPriority:p,piPriority:0,isStarted:false});
  const variant = (key: string, mask: string, pops: string) => c({ ...star(key, mask), pops }, [cal(pops)], 1);
  const groups = [[variant('A', ALL, '11'), variant('A', ALL, '22')], [variant('B', ALL, '22')], [variant('C', ALL, '22')]];
  const grid = slotGrid({ startMjd: T0, endMjd: T0 + 18 * STEP }, 5, T0);
  const set = buildOptions({ grid, groups, settings: DEFAULT_PLAN_SETTINGS, popIndex: new Map([['11',0],['22',1]]), ignorePops: false });
  console.log(grid, set.options.length, set.options.filter(o=>o.members.length>1).length, set.options.filter(o=>o.start===0));
  const sol = optimise({ slots: grid.slots, pops: 2, changeSlots: 3, targets: 3, options: set.options, changePenalty: 0.001 });
  console.log(sol.chosen.map(o=>set.options[o]), sol.value, sol.bound, sol.iterations);
});
