/**
 * The optimiser's problem (`OptProblem`) as a 0–1 integer program in CPLEX LP text, for an
 * independent solver (HiGHS in `bench:planner` and the optimality tests). Same options, same grid,
 * same rules, written as constraints rather than solved by our dynamic programme:
 *
 *   x_o   option o placed;  y_p,t  slot t is on PoP set p;  c_t  slot t is part of a PoP change;
 *   e_p,t the night enters PoP set p at slot t.
 *
 *   max Σ v_o x_o
 *   Σ_p y_p,t + c_t = 1                         every slot is on one set, or changing
 *   Σ_{o on p covering t} x_o ≤ y_p,t            an option runs on its set (and at most one per slot)
 *   e_p,t ≥ y_p,t − y_p,t−1;  Σ_p e_p,t ≤ c_t−k  (k = 1..K) entering a set needs the K change slots before
 *   Σ_{o of target j} x_o ≤ 1                     each target at most once
 *   x_tail ≤ Σ_{o ending at its start, same set, closing on its calibrator, another target} x_o
 *   fixed segments: their slots on their set, no option there
 *
 * At slot 0 the night may start on any set (or must enter from `initialPop` through a change).
 * This is the linear version of LCO's time-sliced formulation (../shared/docs/scheduling.md §4).
 */
import type { OptProblem } from './optimiser';

/** LP text of the problem; variable `x<i>` is option i. */
export function lpModel(problem: OptProblem): string {
  const { slots: T, pops: P, changeSlots: K, options } = problem;
  const fixed = problem.fixed ?? [];
  const lines: string[] = [];
  const obj = options.map((o, i) => `${o.value >= 0 ? '+' : '-'} ${Math.abs(o.value)} x${i}`);
  lines.push('Maximize', ` obj: ${obj.length ? wrap(obj) : '0 c0'}`, 'Subject To');
  let r = 0;
  const row = (terms: string[], rhs: string) => lines.push(` r${r++}: ${wrap(terms)} ${rhs}`);

  // Fixed slots and their sets.
  const fixedPop = new Int32Array(T).fill(-2);
  for (const f of fixed) for (let t = Math.max(0, f.start); t < Math.min(T, f.start + f.len); t++) fixedPop[t] = f.pop;

  const covering: string[][] = Array.from({ length: T * P }, () => []);
  options.forEach((o, i) => {
    for (let t = o.start; t < Math.min(T, o.start + o.len); t++) covering[t * P + o.pop].push(`x${i}`);
  });
  for (let t = 0; t < T; t++) {
    row([...Array.from({ length: P }, (_, p) => `+ y${p}_${t}`), `+ c${t}`], '= 1');
    if (fixedPop[t] !== -2) {
      // A kept block: no option, no change; on its set when it has one.
      row([`+ c${t}`], '= 0');
      if (fixedPop[t] >= 0) row([`+ y${fixedPop[t]}_${t}`], '= 1');
      for (let p = 0; p < P; p++) for (const x of covering[t * P + p]) row([`+ ${x}`], '= 0');
      continue;
    }
    for (let p = 0; p < P; p++) if (covering[t * P + p].length) row([...covering[t * P + p].map((x) => `+ ${x}`), `- y${p}_${t}`], '<= 0');
  }
  // Entering a set needs the K change slots just before (at slot 0 only from a given initial set).
  for (let t = 0; t < T; t++) {
    for (let p = 0; p < P; p++) {
      if (t === 0) {
        if (problem.initialPop != null && problem.initialPop >= 0 && problem.initialPop !== p) row([`+ y${p}_0`], '<= 0');
        continue;
      }
      row([`+ e${p}_${t}`, `- y${p}_${t}`, `+ y${p}_${t - 1}`], '>= 0');
    }
    if (t === 0) continue;
    const enter = Array.from({ length: P }, (_, p) => `+ e${p}_${t}`);
    for (let k = 1; k <= K; k++) row([...enter, t - k >= 0 ? `- c${t - k}` : ''].filter(Boolean), '<= 0');
  }
  // Each target at most once.
  const byTarget = new Map<number, string[]>();
  options.forEach((o, i) => {
    for (const j of new Set(o.members)) {
      const list = byTarget.get(j) ?? [];
      list.push(`+ x${i}`);
      byTarget.set(j, list);
    }
  });
  for (const list of byTarget.values()) if (list.length > 1) row(list, '<= 1');
  // Tails follow an option closing on their calibrator.
  const enders = new Map<string, number[]>();
  options.forEach((o, i) => {
    if (o.closes === undefined) return;
    const key = `${o.start + o.len}|${o.pop}|${o.closes}`;
    const list = enders.get(key) ?? [];
    list.push(i);
    enders.set(key, list);
  });
  options.forEach((o, i) => {
    if (o.requires === undefined) return;
    const before = (enders.get(`${o.start}|${o.pop}|${o.requires}`) ?? []).filter((k) => options[k].members[0] !== o.members[0]);
    row([`+ x${i}`, ...before.map((k) => `- x${k}`)], '<= 0');
  });

  const binaries = [
    ...options.map((_, i) => `x${i}`),
    ...Array.from({ length: T }, (_, t) => [...Array.from({ length: P }, (_, p) => `y${p}_${t}`), `c${t}`]).flat(),
  ];
  lines.push('Bounds');
  for (let t = 1; t < T; t++) for (let p = 0; p < P; p++) lines.push(` 0 <= e${p}_${t} <= 1`);
  lines.push('Binary', wrap(binaries), 'End');
  return lines.join('\n');
}

/** Terms joined, broken into lines of reasonable length (LP readers limit line length). */
function wrap(terms: readonly string[]): string {
  const out: string[] = [];
  for (let i = 0; i < terms.length; i += 12) out.push(terms.slice(i, i + 12).join(' '));
  return out.join('\n  ');
}
