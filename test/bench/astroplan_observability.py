#!/usr/bin/env python3
"""astroplan's observability table on the shared benchmark inputs, timed (the anchor of
test/bench/observability.ts).

Adapted from ../shared/bench/astroplan/bench_astroplan.py (part (a) only): same targets,
site, 5-min grid and constraints (altitude > 30 deg, Sun <= -18 deg, Moon >= 20 deg, no
refraction). Each repetition builds a fresh Observer, targets and constraints so astroplan's
per-Observer alt/az cache never carries over. Offline: IERS auto-download off.

Usage: python3 astroplan_observability.py FIXTURE_DIR [--reps 3]   -> one JSON line on stdout
"""
import argparse
import csv
import gc
import json
import os
import statistics
import time
import warnings

import astropy.units as u
from astropy.coordinates import EarthLocation, SkyCoord
from astropy.time import Time
from astropy.utils import iers

iers.conf.auto_download = False
iers.conf.iers_degraded_accuracy = "warn"
warnings.simplefilter("ignore")

from astroplan import (AltitudeConstraint, AtNightConstraint, FixedTarget,  # noqa: E402
                       MoonSeparationConstraint, Observer, observability_table)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fixtures")
    ap.add_argument("--reps", type=int, default=3)
    args = ap.parse_args()
    with open(os.path.join(args.fixtures, "config.json")) as f:
        cfg = json.load(f)
    with open(os.path.join(args.fixtures, "targets.csv")) as f:
        rows = list(csv.DictReader(f))
    s, c, w = cfg["site"], cfg["constraints"], cfg["window_utc"]
    runs = []
    observable = None
    for _ in range(args.reps):
        gc.collect()
        t0 = time.perf_counter()
        loc = EarthLocation(lat=s["lat_deg"] * u.deg, lon=s["lon_deg"] * u.deg, height=s["height_m"] * u.m)
        observer = Observer(location=loc, name=s["name"], timezone=s["timezone"])
        ra = [float(r["ra_deg"]) for r in rows]
        dec = [float(r["dec_deg"]) for r in rows]
        coords = SkyCoord(ra=ra * u.deg, dec=dec * u.deg, frame="icrs")
        targets = [FixedTarget(coord=coords[i], name=r["name"]) for i, r in enumerate(rows)]
        constraints = [AltitudeConstraint(min=c["altitude_min_deg"] * u.deg),
                       AtNightConstraint(max_solar_altitude=c["sun_altitude_max_deg"] * u.deg),
                       MoonSeparationConstraint(min=c["moon_separation_min_deg"] * u.deg)]
        tab = observability_table(constraints, observer, targets,
                                  time_range=[Time(w["start"], scale="utc"), Time(w["end"], scale="utc")],
                                  time_grid_resolution=cfg["grid_step_min"] * u.min)
        runs.append(time.perf_counter() - t0)
        observable = int(sum(1 for r in tab if r["ever observable"]))
    print(json.dumps({"runs_s": runs, "median_s": statistics.median(runs), "ever_observable": observable}))


if __name__ == "__main__":
    main()
