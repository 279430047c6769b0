/**
 * Generates `resources/chara/chara-model.json` from ASPRO2's CHARA.xml (JMMC aspro-conf).
 *
 *   npx tsx resources/scripts/build-chara-model.ts [path/to/CHARA.xml]
 *
 * Defaults to the read-only copy in ../shared/reference/aspro/aspro-conf/CHARA.xml. The site
 * longitude/latitude/altitude are not in the XML (it carries ASPRO's approximate geocentric
 * XYZ only): they are the S1 values of ASPRO's generator `AsproGenCharaConfig.CHARAposition()`,
 * recorded below with their provenance.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';

const here = dirname(fileURLToPath(import.meta.url));
const xmlPath = resolve(process.argv[2] ?? resolve(here, '../../../shared/reference/aspro/aspro-conf/CHARA.xml'));
const outPath = resolve(here, '../chara/chara-model.json');

const ARRAY_TAGS = new Set([
  'station', 'popLink', 'point', 'delayLine', 'stationLinks', 'channelLink', 'focalInstrument',
  'mode', 'altName', 'configuration', 'instrument', 'pop', 'channel', 'fringeTracker',
  'separation', 'column',
]);

const xml = readFileSync(xmlPath, 'utf8');
const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  parseTagValue: false,
  isArray: (name) => ARRAY_TAGS.has(name),
});
const doc = parser.parse(xml);
const root = doc.interferometerSetting;
const desc = root.description;

function num(value: unknown, where: string): number {
  const n = Number(value);
  if (value === undefined || value === '' || !Number.isFinite(n)) {
    throw new Error(`CHARA.xml: ${where} is not a number (${String(value)})`);
  }
  return n;
}

const telescope = desc.telescope;
const moon = telescope.moonPointingRestriction;

const stations = (desc.station as any[]).map((s) => {
  const pops: Record<string, number> = {};
  for (const link of s.popLink ?? []) {
    pops[String(link.pop)] = num(link.opticalLength, `station ${s.name} ${link.pop}`);
  }
  const points = (s.horizon.point as any[]).map((p) => [
    num(p.azimuth, `station ${s.name} horizon azimuth`),
    num(p.elevation, `station ${s.name} horizon elevation`),
  ]);
  // The polygon is closed through (360, 90) and (0, 90); keep only the profile itself.
  const profile = points.filter(([, el]) => el < 90);
  return {
    name: String(s.name),
    xyzM: [
      num(s.relativePosition.posX, `station ${s.name} posX`),
      num(s.relativePosition.posY, `station ${s.name} posY`),
      num(s.relativePosition.posZ, `station ${s.name} posZ`),
    ],
    delayLineFixedOffsetM: num(s.delayLineFixedOffset, `station ${s.name} delayLineFixedOffset`),
    popOpticalLengthM: [1, 2, 3, 4, 5].map((i) => {
      const v = pops[`PoP${i}`];
      if (v === undefined) throw new Error(`CHARA.xml: station ${s.name} has no PoP${i}`);
      return v;
    }),
    horizonAzElDeg: profile,
  };
});

const delayLines = (desc.delayLine as any[]).map((d) => ({
  name: String(d.name),
  station: String(d.station),
  maximumThrowM: num(d.maximumThrow, `delay line ${d.name} maximumThrow`),
}));

const switchyardXml = desc.switchyard;
const switchyard: Record<string, Record<string, number>> = {};
for (const link of switchyardXml.stationLinks as any[]) {
  const row: Record<string, number> = {};
  for (const ch of link.channelLink) row[String(ch.channel)] = num(ch.opticalLength, `switchyard ${link.station} ${ch.channel}`);
  switchyard[String(link.station)] = row;
}

const spicaXml = (desc.focalInstrument as any[]).find((f) => f.name === 'SPICA');
if (!spicaXml) throw new Error('CHARA.xml: no SPICA focalInstrument');
const spicaModes = (spicaXml.mode as any[]).map((m) => {
  if (m.table) {
    const values = String(m.table.data).trim().split(/\s+/).map((v, i) => num(v, `SPICA ${m.name} table value ${i}`));
    const channels: Array<{ lambdaUm: number; deltaLambdaUm: number }> = [];
    for (let i = 0; i + 1 < values.length; i += 2) {
      channels.push({ lambdaUm: +(values[i] * 1e6).toPrecision(6), deltaLambdaUm: +(values[i + 1] * 1e6).toPrecision(6) });
    }
    return {
      name: String(m.name),
      lambdaMinUm: +(channels[0].lambdaUm - channels[0].deltaLambdaUm / 2).toPrecision(6),
      lambdaMaxUm: +(channels[channels.length - 1].lambdaUm + channels[channels.length - 1].deltaLambdaUm / 2).toPrecision(6),
      channels,
    };
  }
  const resolution = num(m.resolution, `SPICA ${m.name} resolution`);
  const lambdaMinUm = num(m.waveLengthMin, `SPICA ${m.name} waveLengthMin`);
  const lambdaMaxUm = num(m.waveLengthMax, `SPICA ${m.name} waveLengthMax`);
  const lambdaRefUm = num(m.waveLengthRef, `SPICA ${m.name} waveLengthRef`);
  const bandRefUm = m.waveLengthBandRef !== undefined ? num(m.waveLengthBandRef, `SPICA ${m.name} waveLengthBandRef`) : lambdaMaxUm - lambdaMinUm;
  return { name: String(m.name), resolution, lambdaMinUm, lambdaMaxUm, lambdaRefUm, bandRefUm };
});

// Station -> channel assignment of the newest SPICA 6T configuration; subsets keep it.
const configurations = (root.configuration as any[]) ?? [];
const newest = configurations
  .filter((c) => /^\d{4}[AB]$/.test(String(c.version)))
  .sort((a, b) => String(b.version).localeCompare(String(a.version)))[0];
const spicaConf = (newest.instrument as any[]).find((i) => String([i.focalInstrument].flat()[0]) === 'SPICA');
const sixT = (spicaConf.configuration as any[]).find((c) => String(c.stations).trim().split(/\s+/).length === 6);
const sixStations = String(sixT.stations).trim().split(/\s+/);
const sixChannels = String(sixT.channels).trim().split(/\s+/);
// Every dated configuration ("period") that lists SPICA: the PERIOD values ASPRO2 knows.
const spicaVersions = configurations
  .filter((c) => /^\d{4}[AB]$/.test(String(c.version)) && ((c.instrument as any[]) ?? []).some((i) => String([i.focalInstrument].flat()[0]) === 'SPICA'))
  .map((c) => String(c.version))
  .sort();
const channelOfStation: Record<string, string> = {};
sixStations.forEach((s, i) => (channelOfStation[s] = sixChannels[i]));

const model = {
  provenance: {
    source: 'JMMC-OpenDev/aspro-conf src/main/resources/fr/jmmc/aspro/model/CHARA.xml @ dd2d3de (2025-10-08), copy in ../shared/reference/aspro/aspro-conf/CHARA.xml',
    sourceSha256: createHash('sha256').update(xml).digest('hex'),
    licence: 'aspro-conf is distributed by JMMC under the CeCILL-B / GPL-compatible terms of the ASPRO2 project; data facts only',
    site: 'lon/lat/alt of S1 from JMMC-OpenDev/aspro src/test/java/AsproGenCharaConfig.java CHARAposition() (not an inversion of the XML <position>, which uses an approximate geocentric conversion)',
    generator: 'resources/scripts/build-chara-model.ts',
  },
  site: {
    name: String(desc.name),
    lonDeg: -(118 + 3 / 60 + 25.31272 / 3600),
    latDeg: 34 + 13 / 60 + 27.7813 / 3600,
    heightM: 1725.21,
    timezone: String(desc.timezone),
  },
  telescope: {
    diameterM: num(telescope.diameter, 'telescope diameter'),
    maxElevationDeg: num(telescope.maxElevation, 'telescope maxElevation'),
    safeElevationDeg: num(telescope.safeElevation, 'telescope safeElevation'),
    moonWarningDeg: num(moon.warningThreshold, 'moon warningThreshold'),
    moonSeparationDeg: num(moon.restriction.separation[0], 'moon separation'),
  },
  stations,
  delayLines,
  switchyard,
  /** ASPRO2 ObservabilityService.preparePopCombinations: W2 always on PoP5 since 2021.07. */
  fixedPops: { W2: 5 },
  spica: {
    configurationVersion: String(newest.version),
    configurationVersions: spicaVersions,
    channelOfStation,
    defaultSamplingTimeMin: num(spicaXml.setup.defaultSamplingTime, 'SPICA defaultSamplingTime'),
    defaultTotalIntegrationTimeS: num(spicaXml.setup.defaultTotalIntegrationTime, 'SPICA defaultTotalIntegrationTime'),
    modes: spicaModes,
  },
};

writeFileSync(outPath, JSON.stringify(model, null, 1) + '\n');
console.log(`wrote ${outPath}: ${stations.length} stations, ${spicaModes.length} SPICA modes, configuration ${model.spica.configurationVersion}`);
