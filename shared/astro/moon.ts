/**
 * The Moon over one night, in words an observer needs: how much of it is lit and when it is up.
 * A Moon that stays below the horizon is still 3 % or 97 % lit; saying "Moon 0 %" then (ASPRO2's
 * FLI convention, which `NightGrid.moonIllumination` keeps) reads as a new Moon.
 */
import { Body, Illumination, SearchRiseSet } from 'astronomy-engine';
import { nightEvents } from './night';
import { observerOf, type Site } from './site';
import { astroTime } from './time';

/** The Moon between sunset and sunrise. */
export interface MoonNight {
  /** Illuminated fraction of the disk at local midnight (0..1), whether or not the Moon is up. */
  illumination: number;
  /** Times the Moon is above the horizon between sunset and sunrise (UTC MJD; rise and set as the upper limb with standard refraction). */
  upIntervals: Array<{ startMjd: number; endMjd: number }>;
}

const mjdOf = (t: { ut: number }) => t.ut + 51544.5;

/** The Moon of `night` at `site`: lit fraction at local midnight and its rise/set within the night. */
export function moonNight(night: string, site: Site): MoonNight {
  const events = nightEvents(night, site);
  const start = Number.isFinite(events.sunsetMjd) ? events.sunsetMjd : events.midnightMjd - 0.5;
  const end = Number.isFinite(events.sunriseMjd) ? events.sunriseMjd : events.midnightMjd + 0.5;
  const obs = observerOf(site);
  const span = end - start;
  const nextRise = (mjd: number) => SearchRiseSet(Body.Moon, obs, +1, astroTime(mjd), end - mjd + 1e-9);
  const nextSet = (mjd: number) => SearchRiseSet(Body.Moon, obs, -1, astroTime(mjd), end - mjd + 1e-9);
  // Up at sunset when it sets before it rises again (or sets and never rises) within the night.
  const firstSet = SearchRiseSet(Body.Moon, obs, -1, astroTime(start), span + 1e-9);
  const firstRise = SearchRiseSet(Body.Moon, obs, +1, astroTime(start), span + 1e-9);
  let isUp: boolean;
  if (firstSet && firstRise) isUp = mjdOf(firstSet) < mjdOf(firstRise);
  else if (firstSet || firstRise) isUp = firstSet !== null;
  else {
    // No event tonight: up all night or down all night; the set of the coming day decides.
    const later = SearchRiseSet(Body.Moon, obs, -1, astroTime(start), 1.5);
    const laterRise = SearchRiseSet(Body.Moon, obs, +1, astroTime(start), 1.5);
    isUp = later !== null && (laterRise === null || mjdOf(later) < mjdOf(laterRise));
  }
  const upIntervals: MoonNight['upIntervals'] = [];
  let t = start;
  while (t < end) {
    if (isUp) {
      const set = nextSet(t);
      const until = set ? Math.min(mjdOf(set), end) : end;
      upIntervals.push({ startMjd: t, endMjd: until });
      t = until;
    } else {
      const rise = nextRise(t);
      if (!rise) break;
      t = mjdOf(rise);
      if (t >= end) break;
    }
    isUp = !isUp;
    t += 1e-7;
  }
  return { illumination: Illumination(Body.Moon, astroTime(events.midnightMjd)).phase_fraction, upIntervals };
}
