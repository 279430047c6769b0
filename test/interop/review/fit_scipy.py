"""
Independent UD / linear-LD fit of the V² of an OIFITS file with astropy + scipy only (no code of
SPICA Companion): reads OI_VIS2 (FLAG honoured, errors > 0), V_UD = 2 J1(x)/x, linear LD as
Hanbury Brown et al. (1974), chi2 minimised on a log grid then by a bounded Brent search, 1-sigma
from chi2 = chi2_min + 1 (brentq). Prints JSON: {diameter_mas, error_mas, chi2, n}.
Usage: fit_scipy.py FILE ud|ld [u]
"""
import json
import sys
import warnings

import numpy as np
from astropy.io import fits
from scipy.optimize import brentq, minimize_scalar
from scipy.special import j1, spherical_jn

warnings.simplefilter("ignore")
path, kind = sys.argv[1], sys.argv[2]
u_ld = float(sys.argv[3]) if len(sys.argv) > 3 else 0.5
MAS = np.pi / 180 / 3600 / 1000

sf, v2, err = [], [], []
with fits.open(path) as hl:
    waves = {h.header.get("INSNAME"): h.data["EFF_WAVE"].astype(float) for h in hl if h.name == "OI_WAVELENGTH"}
    for h in hl:
        if h.name != "OI_VIS2":
            continue
        wl = waves[h.header.get("INSNAME")]
        d = h.data
        b = np.hypot(d["UCOORD"], d["VCOORD"])[:, None] / wl[None, :]
        ok = ~d["FLAG"] & np.isfinite(d["VIS2DATA"]) & np.isfinite(d["VIS2ERR"]) & (d["VIS2ERR"] > 0) & (b > 0)
        sf.append(b[ok]); v2.append(d["VIS2DATA"][ok]); err.append(d["VIS2ERR"][ok])
sf, v2, err = np.concatenate(sf), np.concatenate(v2), np.concatenate(err)


def vis(d):
    x = np.pi * d * MAS * sf
    if kind == "ud":
        return 2 * j1(x) / x
    # I(mu) = 1 - u(1 - mu): V = [(1-u) J1(x)/x + u sqrt(pi/2) J_{3/2}(x)/x^{3/2}] / [(1-u)/2 + u/3]
    # and sqrt(pi/2) J_{3/2}(x)/x^{3/2} = j_1(x)/x (spherical Bessel).
    return ((1 - u_ld) * j1(x) / x + u_ld * spherical_jn(1, x) / x) / ((1 - u_ld) / 2 + u_ld / 3)


def chi2(d):
    return float(np.sum(((v2 - vis(d) ** 2) / err) ** 2))


d_max = 3.3 * 1.22 / sf.min() / MAS
grid = np.geomspace(0.01, d_max, 5000)
i = int(np.argmin([chi2(d) for d in grid]))
res = minimize_scalar(chi2, bounds=(grid[max(0, i - 1)], grid[min(len(grid) - 1, i + 1)]), method="bounded", options={"xatol": 1e-10})
best, cmin = float(res.x), float(res.fun)
f = lambda d: chi2(d) - cmin - 1
step = 1e-4 * best
while f(best + step) < 0:
    step *= 2
hi = brentq(f, best, best + step, xtol=1e-12)
step = 1e-4 * best
while f(best - step) < 0:
    step *= 2
lo = brentq(f, best - step, best, xtol=1e-12)
print(json.dumps({"diameter_mas": best, "error_mas": (hi - lo) / 2, "chi2": cmin, "n": int(sf.size)}))
