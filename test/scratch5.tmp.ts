const n = 122, T = 1000;
const cosL = new Float64Array(n).map((_, k) => Math.cos(k * 0.02)), sinL = new Float64Array(n).map((_, k) => Math.sin(k * 0.02));
function run(mode: number) {
  let acc = 0;
  for (let t = 0; t < T; t++) {
    const a = t * 0.1, d = (t % 90) * 0.01;
    const cosA = Math.cos(a), sinA = Math.sin(a), sinD = Math.sin(d), cosD = Math.cos(d);
    const alt32 = new Float32Array(n), az32 = new Float32Array(n), ha32 = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const ch = cosL[k] * cosA + sinL[k] * sinA, sh = sinL[k] * cosA - cosL[k] * sinA;
      const s = 0.56 * sinD + 0.82 * cosD * ch;
      if (mode >= 1) alt32[k] = Math.asin(s) / 0.01745;
      if (mode >= 2) az32[k] = Math.atan2(-cosD * sh, 0.82 * sinD - 0.56 * cosD * ch);
      if (mode >= 3) ha32[k] = Math.atan2(sh, ch);
      if (mode >= 4) acc += Math.acos(Math.min(1, s * 0.5));
      acc += s;
    }
  }
  return acc;
}
for (const mode of [0, 1, 2, 3, 4]) { run(mode); const t0 = performance.now(); for (let r = 0; r < 5; r++) run(mode); console.log(mode, ((performance.now() - t0) / 5).toFixed(2), 'ms'); }
