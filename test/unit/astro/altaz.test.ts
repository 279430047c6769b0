/** Alt/az, LST and hour angle against astropy (altaz_reference.csv, made with astropy 5.2.1). */
import { describe, expect, it } from 'vitest';
import { altAzOf } from '../../../shared/astro/altaz';
import { mjdFromIso } from '../../../shared/astro/time';
import { readCsv, readJson, type BenchConfig } from './fixtures';

const config = readJson<BenchConfig>('config.json');
const site = { latDeg: config.site.lat_deg, lonDeg: config.site.lon_deg, heightM: config.site.height_m };
const rows = readCsv('altaz_reference.csv');

function separationArcsec(alt1: number, az1: number, alt2: number, az2: number): number {
  const r = Math.PI / 180;
  const c = Math.sin(alt1 * r) * Math.sin(alt2 * r) + Math.cos(alt1 * r) * Math.cos(alt2 * r) * Math.cos((az1 - az2) * r);
  return (Math.acos(Math.min(1, Math.max(-1, c))) / r) * 3600;
}

function ours(row: Record<string, string>) {
  return altAzOf(+row.ra_deg, +row.dec_deg, mjdFromIso(row.utc), {
    site,
    refraction: row.refraction === '1',
    atmosphere: {
      pressureHpa: +row.pressure_hpa,
      temperatureC: +row.temperature_c,
      relativeHumidity: +row.rel_humidity,
      wavelengthUm: +row.obswl_um,
    },
    ut1MinusUtcS: +row.dut1_s,
  });
}

describe('altAzOf against astropy', () => {
  it('has the 60 reference rows', () => {
    expect(rows).toHaveLength(60);
  });

  it.each(rows.filter((r) => r.refraction === '0'))('$target $utc without refraction within 1″', (row) => {
    const r = ours(row);
    expect(separationArcsec(r.altDeg, r.azDeg, +row.alt_deg, +row.az_deg)).toBeLessThan(1);
  });

  it.each(rows.filter((r) => r.refraction === '1' && r.refraction_reliable === '1'))(
    '$target $utc with ERFA-style refraction within 5″',
    (row) => {
      const r = ours(row);
      expect(separationArcsec(r.altDeg, r.azDeg, +row.alt_deg, +row.az_deg)).toBeLessThan(5);
    },
  );

  it.each(rows.filter((r) => r.refraction === '0'))('$target $utc LST and HA within 0.1 s', (row) => {
    const r = ours(row);
    expect(Math.abs(r.lstH - +row.last_hours) * 3600).toBeLessThan(0.1);
    expect(Math.abs(r.haH - +row.ha_hours) * 3600).toBeLessThan(0.1);
  });

  it('refraction actually moves the star (refracted rows differ from geometric ones)', () => {
    const geo = ours(rows.find((r) => r.target === 'T0001' && r.refraction === '0')!);
    const refr = ours(rows.find((r) => r.target === 'T0001' && r.refraction === '1')!);
    expect((refr.altDeg - geo.altDeg) * 3600).toBeGreaterThan(60);
  });
});
