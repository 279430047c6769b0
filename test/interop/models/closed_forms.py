"""
Closed forms of centred, circular models written independently of the TypeScript engine, with
scipy.special (and scipy.integrate for the limb-darkened disk, as a numerical Hankel transform
of the intensity profile rather than the Bessel-sum formula the engine uses).
Reads {"points": [[rho_per_rad, ...]], "cases": [...]} as JSON on stdin, writes values on stdout.
"""
import json
import sys

import numpy as np
from scipy import integrate, special

MAS = np.pi / 180 / 3600 / 1000


def disk(rho, d):
    x = np.pi * d * MAS * rho
    return np.where(x == 0, 1.0, 2 * special.j1(x) / np.where(x == 0, 1, x))


def gaussian(rho, fwhm):
    return np.exp(-((np.pi * fwhm * MAS * rho) ** 2) / (4 * np.log(2)))


def ring(rho, d, w):
    # Uniform annulus between radii d/2 and d/2 + w: difference of two disks weighted by area.
    r1 = d / 2
    r2 = d / 2 + w
    return (r2 ** 2 * disk(rho, 2 * r2) - r1 ** 2 * disk(rho, 2 * r1)) / (r2 ** 2 - r1 ** 2)


def circle(rho, d):
    return special.j0(np.pi * d * MAS * rho)


def limb_quadratic(rho, d, a1, a2):
    # V(rho) = int I(r) J0(2 pi rho r) r dr / int I(r) r dr, I(mu) = 1 - a1 (1-mu) - a2 (1-mu)^2.
    R = d / 2 * MAS

    def intensity(r):
        mu = np.sqrt(max(0.0, 1 - (r / R) ** 2))
        return 1 - a1 * (1 - mu) - a2 * (1 - mu) ** 2

    norm = integrate.quad(lambda r: intensity(r) * r, 0, R, epsabs=0, epsrel=1e-13, limit=200)[0]
    out = []
    for q in np.atleast_1d(rho):
        val = integrate.quad(lambda r: intensity(r) * special.j0(2 * np.pi * q * r) * r, 0, R, epsabs=0, epsrel=1e-13, limit=400)[0]
        out.append(val / norm)
    return np.array(out)


FUNCS = {"disk": disk, "gaussian": gaussian, "ring": ring, "circle": circle, "limb_quadratic": limb_quadratic}


def main():
    req = json.load(sys.stdin)
    rho = np.asarray(req["rho"], dtype=float)
    out = []
    for case in req["cases"]:
        f = FUNCS[case["function"]]
        out.append(np.asarray(f(rho, *case["args"]), dtype=float).tolist())
    json.dump({"scipy": __import__("scipy").__version__, "values": out}, sys.stdout)


main()
