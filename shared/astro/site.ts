/** Observing sites: CHARA by default, any geodetic site for cross-checks. */
import { Observer } from 'astronomy-engine';
import { CHARA } from '../chara/model';

/** A geodetic site (WGS84 latitude/longitude, height above the ellipsoid). */
export interface Site {
  latDeg: number;
  lonDeg: number;
  heightM: number;
}

/** The CHARA reference point (telescope S1), as ASPRO2 places it. */
export const CHARA_SITE: Site = { latDeg: CHARA.site.latDeg, lonDeg: CHARA.site.lonDeg, heightM: CHARA.site.heightM };

/** astronomy-engine observer at `site`. */
export function observerOf(site: Site): Observer {
  return new Observer(site.latDeg, site.lonDeg, site.heightM);
}
