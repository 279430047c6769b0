"""The Moon over given nights at CHARA with astroplan/astropy (Debian python3-astroplan).

stdin: JSON list of {night, midnightMjd, startMjd, endMjd} (UTC MJD; start/end = sunset/sunrise).
stdout: JSON list of {illumination, up: [[startMjd, endMjd], ...]} where `illumination` is
astroplan.moon_illumination at local midnight and `up` are the times the topocentric Moon's centre
is above -0.8333 deg (upper limb with standard refraction), found on a 30 s grid and refined by
linear interpolation between grid points.
"""
import json
import sys

import numpy as np
import astropy.units as u
from astropy.coordinates import EarthLocation
from astropy.time import Time
from astroplan import Observer, moon_illumination

# CHARA (S1) as resources/chara/chara-model.json gives it.
site = json.loads(sys.argv[1])
observer = Observer(location=EarthLocation.from_geodetic(site['lonDeg'] * u.deg, site['latDeg'] * u.deg, site['heightM'] * u.m))
H0 = -0.8333

out = []
for night in json.load(sys.stdin):
    illum = float(moon_illumination(Time(night['midnightMjd'], format='mjd', scale='utc')))
    t = np.arange(night['startMjd'], night['endMjd'], 30 / 86400.0)
    t = np.append(t, night['endMjd'])
    alt = observer.moon_altaz(Time(t, format='mjd', scale='utc')).alt.deg - H0
    up = []
    start = t[0] if alt[0] > 0 else None
    for k in range(1, len(t)):
        if (alt[k - 1] > 0) != (alt[k] > 0):
            tc = t[k - 1] + (t[k] - t[k - 1]) * alt[k - 1] / (alt[k - 1] - alt[k])
            if alt[k] > 0:
                start = tc
            else:
                up.append([start, tc])
                start = None
    if start is not None:
        up.append([start, t[-1]])
    out.append({'illumination': illum, 'up': up})
json.dump(out, sys.stdout)
