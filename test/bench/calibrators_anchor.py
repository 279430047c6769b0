#!/usr/bin/python3
"""
Anchor of `npm run bench:calibrators`: the same calibrator selection as the app's engine, written
the way a Python user would with numpy/scipy/astropy (Debian python3-astropy), over the same
catalogue exported by the bench in the same run.

    /usr/bin/python3 test/bench/calibrators_anchor.py EXPORT.json TARGETS.json

Work done here, as in the engine: JSDC diameters of every star (V−J, V−H, V−K pseudo-magnitude
polynomials, their full 3×3 covariance, generalised least-squares mean, SearchCal's χ², the 2 %
bias term), the V/(B−V) relations inside their ranges, θ_UD at the three SPICA channels, then per
target: cone search (astropy SkyCoord.separation), R window, V² and σ(V²) (scipy j1/jv), the V²
and σ(V²)/V² vetoes at the bluest channel, Dec and airmass limits, the score terms, widening to
20° below three candidates, and the 30 best.

Handed over precomputed by the bench (the anchor gets them for free, so the comparison favours
it): the parsed spectral index, the static vetoes (BadCal, Be, multiplicity, variability, …) and
their warning counts, R magnitudes, LD→UD ratios, and tier A/M diameters (table look-ups).

Prints one JSON object: load, cold (all diameters + first target) and warm (per target) times,
and each target's five best star keys.
"""
import json
import sys
import time

import numpy as np
from astropy import units as u
from astropy.coordinates import SkyCoord
from scipy.special import jv

t_start = time.perf_counter()
export = json.load(open(sys.argv[1]))
targets = json.load(open(sys.argv[2]))
c = export["columns"]
f = lambda k: np.array([np.nan if v is None else v for v in c[k]], dtype=float)  # noqa: E731
ra, dec, V, eV, J, H, K, eIR = f("ra"), f("dec"), f("V"), f("eV"), f("J"), f("H"), f("K"), f("eIR")
idx, bv, rmag = f("spIndex"), f("bv"), f("rmag")
giant = np.array(c["giant"], dtype=bool)
veto = np.array(c["staticVeto"], dtype=bool)
warn = np.array(c["warnCount"], dtype=float)
fixed_ldd, fixed_eldd = f("fixedLdd"), f("fixedELdd")
tierC_flag = np.zeros(len(ra), dtype=bool)
ldud = np.array(c["ldToUd"], dtype=float)  # (N, 3)
keys = c["key"]
tab = export["tables"]
poly = np.array([tab["polynomial"][k] for k in ("VJ", "VH", "VK")])  # (3, 5)
cov = np.array(tab["covariance"])  # (15, 15)
R = tab["extinctionRatio"]
lambdas = np.array(export["lambdasUm"])
policy = export["policy"]
t_load = time.perf_counter() - t_start


def diameters():
    """Every star's θ_LD and σ (mas), vectorised over the catalogue."""
    n = len(ra)
    ok_idx = np.isfinite(idx) & (idx >= tab["domain"][0]) & (idx <= tab["domain"][1])
    x = np.where(ok_idx, idx, 100.0)[:, None] ** np.arange(5)  # (N, 5)
    mags = np.stack([J, H, K], axis=1)  # (N, 3)
    cJ = np.array([R["J"], R["H"], R["K"]])
    cmI = R["V"] / (R["V"] - cJ)
    cmJ = cJ / (R["V"] - cJ)
    have = np.isfinite(mags) & ok_idx[:, None] & np.isfinite(V)[:, None] & np.isfinite(eIR)[:, None]
    logd = x @ poly.T + 0.2 * (cmJ * V[:, None] - cmI * np.nan_to_num(mags))  # (N, 3)
    C = np.empty((n, 3, 3))
    for a in range(3):
        for b in range(3):
            blk = cov[5 * a:5 * a + 5, 5 * b:5 * b + 5]
            C[:, a, b] = np.einsum("ni,ij,nj->n", x, blk, x) + 0.04 * cmJ[a] * cmJ[b] * eV ** 2
        C[:, a, a] += 0.04 * cmI[a] ** 2 * np.nan_to_num(eIR) ** 2
    # A missing colour gets no weight: huge variance, no correlation.
    big = 1e12
    for a in range(3):
        C[~have[:, a], a, :] = 0
        C[~have[:, a], :, a] = 0
        C[~have[:, a], a, a] = big
    Ci = np.linalg.inv(C)
    w = Ci.sum(axis=(1, 2))
    d = np.where(have, logd, 0.0)
    mean = np.einsum("nab,nb->na", Ci, d).sum(axis=1) / w
    res = np.where(have, np.abs(d - mean[:, None]), 0.0)
    nval = have.sum(axis=1)
    chi2 = np.einsum("na,nab,nb->n", res, Ci, res) / np.maximum(nval - 1, 1)
    ldd = 10 ** mean
    rel = np.log(10) / np.sqrt(w)
    eldd = ldd * np.sqrt(rel ** 2 + 0.02 ** 2)
    tierB = nval > 0
    # V/(B−V) relations (JMDC fits), inside their ranges only.
    ldd_c = np.full(n, np.nan)
    rel_c = np.full(n, np.nan)
    dw = (~giant) & (bv >= -0.2) & (bv <= 1.0)
    ldd_c[dw] = 10 ** (0.511 + 0.8355 * bv[dw] - 0.2324 * bv[dw] ** 2 - 0.2 * V[dw])
    rel_c[dw] = 0.065
    gb = giant & (bv >= 0.3) & (bv < 0.9)
    ldd_c[gb] = 10 ** (0.5952 + 0.5511 * bv[gb] - 0.2 * V[gb])
    rel_c[gb] = 0.054
    gr = giant & (bv >= 0.9) & (bv <= 1.7)
    ldd_c[gr] = 10 ** (1.4631 - 1.0062 * bv[gr] + 0.684 * bv[gr] ** 2 - 0.2 * V[gr])
    rel_c[gr] = 0.105
    out_ldd = np.where(tierB, ldd, ldd_c)
    out_e = np.where(tierB, eldd, ldd_c * rel_c)
    fixed = np.isfinite(fixed_ldd)
    out_ldd[fixed] = fixed_ldd[fixed]
    out_e[fixed] = fixed_eldd[fixed]
    isC = ~tierB & ~fixed & np.isfinite(ldd_c)
    return out_ldd, out_e, chi2, isC


def airmass(alt):
    return np.where(alt > 0, 1 / np.sin(np.radians(np.maximum(alt, 1e-9))), np.inf)


def altitude(ra_deg, dec_deg, lst_h, lat):
    ha = np.radians(lst_h * 15 - ra_deg)
    d, p = np.radians(dec_deg), np.radians(lat)
    return np.degrees(np.arcsin(np.sin(p) * np.sin(d) + np.cos(p) * np.cos(d) * np.cos(ha)))


sky = SkyCoord(ra * u.deg, dec * u.deg)


def propose(t, ldd, eldd, chi2, isC, ud):
    p = policy
    sep = sky.separation(SkyCoord(t["raDeg"] * u.deg, t["decDeg"] * u.deg)).deg
    rt = t["rmag"]
    ok = np.isfinite(ldd) & ~veto & np.isfinite(rmag) & (np.abs(rmag - rt) <= p["maxDeltaMagAllowed"]) & (sep * 3600 >= 10)
    ok &= ~(chi2 > p["maxDiamChi2"]) & ~(eldd / ldd > p["maxDiamRelErr"])
    lat = export["latDeg"]
    best = None
    for radius in (p["radiusDeg"], p["widenRadiusDeg"]):
        m = ok & (sep <= radius)
        i = np.nonzero(m)[0]
        z = np.pi * ud[i] * (np.pi / 180 / 3600 / 1000) * export["baselineM"] / (lambdas * 1e-6)  # (n, 3)
        v = np.abs(2 * jv(1, z) / z)
        sv = 2 * np.abs(jv(2, z)) * (eldd[i] / ldd[i])[:, None]
        v2 = v ** 2
        sv2 = 2 * v * sv
        relv = sv2 / v2
        keep = (v2[:, 0] >= p["minVis2"]) & (relv.max(axis=1) <= p["maxVis2RelErr"]) & (dec[i] >= p["minDecDeg"])
        best_x = airmass(90 - np.abs(lat - dec[i]))
        keep &= best_x <= p["maxAirmass"]
        xs = airmass(altitude(ra[i], dec[i], t["raDeg"] / 15, lat))
        xt = airmass(altitude(t["raDeg"], t["decDeg"], t["raDeg"] / 15, lat))
        dx = np.where(np.isfinite(xs) & np.isfinite(xt), np.abs(xs - xt), 0)
        dr = rmag[i] - rt
        extra = (np.abs(dr) > p["maxDeltaMagPreferred"]).astype(float)
        terms = np.stack([relv.max(axis=1), p["kSkyPer10Deg"] * sep[i] / 10, p["kAirmassPer02"] * dx / 0.2,
                          p["kMagPerMag"] * np.maximum(0, np.abs(dr) - 0.5), p["kResolved"] * (1 - v2[:, 0])], axis=1)
        score = np.sqrt((terms ** 2).sum(axis=1)) + (warn[i] + extra) * p["warningPenalty"] + isC[i] * p["tierCPenalty"]
        sel = i[keep]
        order = np.argsort(score[keep], kind="stable")[: p["maxCandidates"]]
        best = [keys[k] for k in sel[order]]
        if len(best) >= p["minCandidates"]:
            break
    return best


t0 = time.perf_counter()
ldd, eldd, chi2, isC = diameters()
ud = ldd[:, None] / ldud
first = propose(targets[0], ldd, eldd, chi2, isC, ud)
t_cold = time.perf_counter() - t0
warm = []
tops = []
for rep in range(3):
    for t in targets:
        t1 = time.perf_counter()
        best = propose(t, ldd, eldd, chi2, isC, ud)
        warm.append(time.perf_counter() - t1)
        if rep == 0:
            tops.append(best[:5])
print(json.dumps({"loadMs": t_load * 1000, "coldMs": t_cold * 1000, "warmMedianMs": float(np.median(warm)) * 1000, "tops": tops, "first": first[:5]}))
