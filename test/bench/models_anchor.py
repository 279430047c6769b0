"""
Anchor of `npm run bench:models`: the same work as the TypeScript engine (complex visibility of a
uniform disk at every (u, v, lambda) of a night, V^2, and closure phases of the 20 triangles of a
6T configuration) for every target, in numpy/scipy (vectorised per target) or in oimodeler.

  python3 models_anchor.py DATA.bin numpy|oimodeler

DATA.bin (little-endian float64): nTargets, nBaselines, nLambda, lambdas[nLambda],
triangles[20*3] (baseline indices), then per target: diameter_mas, nTimes, u[nB*nT], v[nB*nT].
Prints JSON: import time, cold and warm pass times (s), per-target times and checksums.
"""
import json
import sys
import time

t_import = time.perf_counter()
import numpy as np  # noqa: E402
from scipy import special  # noqa: E402

MAS = np.pi / 180 / 3600 / 1000


def load(path):
    d = np.fromfile(path, dtype="<f8")
    n, nb, nl = int(d[0]), int(d[1]), int(d[2])
    k = 3
    lam = d[k:k + nl] * 1e-6
    k += nl
    tri = d[k:k + 60].astype(int).reshape(20, 3)
    k += 60
    targets = []
    for _ in range(n):
        diam, nt = d[k], int(d[k + 1])
        k += 2
        u = d[k:k + nb * nt]
        k += nb * nt
        v = d[k:k + nb * nt]
        k += nb * nt
        targets.append((diam, nt, u, v))
    return nb, lam, tri, targets


def numpy_target(diam, nt, u, v, nb, lam, tri):
    rho = np.hypot(u, v)[:, None] / lam[None, :]
    x = np.pi * diam * MAS * rho
    with np.errstate(invalid="ignore", divide="ignore"):
        vis = np.where(x == 0, 1.0, 2 * special.j1(x) / x).astype(np.complex128)
    vis2 = np.abs(vis) ** 2
    v3 = vis.reshape(nb, nt, lam.size)
    cp = np.angle(v3[tri[:, 0]] * v3[tri[:, 1]] * np.conj(v3[tri[:, 2]]), deg=True)
    return vis2, cp


def make_oimodeler_target():
    import oimodeler as oim

    def run(diam, nt, u, v, nb, lam, tri):
        model = oim.oimModel(oim.oimUD(d=diam))
        wl = np.broadcast_to(lam[None, :], (u.size, lam.size)).ravel()
        uf = (u[:, None] / lam[None, :]).ravel()
        vf = (v[:, None] / lam[None, :]).ravel()
        cf = model.getComplexCoherentFlux(uf, vf, wl)
        cf0 = model.getComplexCoherentFlux(np.zeros(1), np.zeros(1), lam[:1])
        vis = (cf / cf0[0]).reshape(nb, nt, lam.size)
        vis2 = np.abs(vis) ** 2
        cp = np.angle(vis[tri[:, 0]] * vis[tri[:, 1]] * np.conj(vis[tri[:, 2]]), deg=True)
        return vis2, cp

    return run


def main():
    path, which = sys.argv[1], sys.argv[2]
    fn = numpy_target if which == "numpy" else make_oimodeler_target()
    import_s = time.perf_counter() - t_import
    nb, lam, tri, targets = load(path)
    passes = []
    for _ in range(2):
        per = []
        s2 = 0.0
        scp = 0.0
        t0 = time.perf_counter()
        c0 = time.process_time()
        for (diam, nt, u, v) in targets:
            a = time.perf_counter()
            if nt > 0:
                vis2, cp = fn(diam, nt, u, v, nb, lam, tri)
                s2 += float(vis2.sum())
                scp += float(np.abs(cp).sum())
            per.append(time.perf_counter() - a)
        passes.append({"total_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0, "per_target_s": per, "sum_vis2": s2, "sum_abs_cp": scp})
    print(json.dumps({"anchor": which, "numpy": np.__version__, "python": sys.version.split()[0], "import_s": import_s, "cold": passes[0], "warm": passes[1]}))


main()
