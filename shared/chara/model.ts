/**
 * Typed access to the CHARA Array model generated from ASPRO2's CHARA.xml
 * (`resources/chara/chara-model.json`, built by `resources/scripts/build-chara-model.ts`).
 */
import raw from '../../resources/chara/chara-model.json';
import { STATION_NAMES, type StationName } from '../astro/types';

/** One CHARA station as ASPRO2 describes it. */
export interface CharaStation {
  name: StationName;
  /** Local equatorial frame relative to S1 (X to HA 0 on the equator, Y East, Z pole), metres. */
  xyzM: [number, number, number];
  /** Internal optical path of the station's default beam and PoP, metres. */
  delayLineFixedOffsetM: number;
  /** Optical length added by PoP1..PoP5 (index 0..4), metres. */
  popOpticalLengthM: number[];
  /** Horizon profile, [azimuth from North through East, elevation] in degrees. */
  horizonAzElDeg: Array<[number, number]>;
}

/** A SPICA spectral mode: a channel table (LR) or a constant resolution over a band. */
export interface SpicaMode {
  name: string;
  lambdaMinUm: number;
  lambdaMaxUm: number;
  resolution?: number;
  lambdaRefUm?: number;
  /** Width of the band actually used (HR: a 29.1 nm window around the reference). */
  bandRefUm?: number;
  channels?: Array<{ lambdaUm: number; deltaLambdaUm: number }>;
}

/** The whole CHARA model. */
export interface CharaModel {
  provenance: Record<string, string>;
  site: { name: string; lonDeg: number; latDeg: number; heightM: number; timezone: string };
  telescope: {
    diameterM: number;
    maxElevationDeg: number;
    safeElevationDeg: number;
    moonWarningDeg: number;
    moonSeparationDeg: number;
  };
  stations: CharaStation[];
  delayLines: Array<{ name: string; station: StationName; maximumThrowM: number }>;
  switchyard: Record<StationName, Record<string, number>>;
  /** PoPs that ASPRO2 never lets the best-PoP search change (W2 on PoP5). */
  fixedPops: Partial<Record<StationName, number>>;
  spica: {
    configurationVersion: string;
    /** Every dated CHARA.xml configuration (e.g. 2024A … 2026A) that lists SPICA, oldest first. */
    configurationVersions: string[];
    channelOfStation: Record<StationName, string>;
    defaultSamplingTimeMin: number;
    defaultTotalIntegrationTimeS: number;
    modes: SpicaMode[];
  };
}

/** The CHARA model bundled with the application. */
export const CHARA: CharaModel = raw as unknown as CharaModel;

/** The station record of `name`; throws naming the station when it is unknown. */
export function charaStation(name: string): CharaStation {
  const station = CHARA.stations.find((s) => s.name === name);
  if (!station) throw new Error(`unknown CHARA station "${name}" (expected one of ${STATION_NAMES.join(' ')})`);
  return station;
}

/** Maximum optical throw of the delay line fed by `station`, metres. */
export function delayLineThrowM(station: StationName): number {
  const dl = CHARA.delayLines.find((d) => d.station === station);
  if (!dl) throw new Error(`no delay line for CHARA station ${station}`);
  return dl.maximumThrowM;
}

/**
 * Internal optical path of a station in the SPICA beam assignment (fixed offset plus its
 * switchyard channel), metres: ASPRO2's Pᵢ of the delay-line window.
 */
export function internalPathM(station: StationName): number {
  const channel = CHARA.spica.channelOfStation[station];
  return charaStation(station).delayLineFixedOffsetM + (CHARA.switchyard[station]?.[channel] ?? 0);
}

/** The SPICA mode called `name`; throws listing the known modes. */
export function spicaMode(name: string): SpicaMode {
  const mode = CHARA.spica.modes.find((m) => m.name === name);
  if (!mode) throw new Error(`unknown SPICA mode "${name}" (expected one of ${CHARA.spica.modes.map((m) => m.name).join(' ')})`);
  return mode;
}

/**
 * Channel centre wavelengths of a SPICA mode, µm: the LR table, or ASPRO2's rule for a constant
 * resolution — round(R·Δλ/λref) channels evenly spread over the band used (HR: the 29.1 nm
 * window around λref). `maxChannels` thins the list evenly for plotting.
 */
export function spicaChannelWavelengthsUm(name: string, maxChannels = Infinity): number[] {
  const mode = spicaMode(name);
  let lambdas: number[];
  if (mode.channels) {
    lambdas = mode.channels.map((c) => c.lambdaUm);
  } else {
    const width = mode.bandRefUm ?? mode.lambdaMaxUm - mode.lambdaMinUm;
    const ref = mode.lambdaRefUm ?? (mode.lambdaMinUm + mode.lambdaMaxUm) / 2;
    const lo =
      width < mode.lambdaMaxUm - mode.lambdaMinUm ? Math.max(mode.lambdaMinUm, Math.min(ref - width / 2, mode.lambdaMaxUm - width)) : mode.lambdaMinUm;
    const count = Math.max(1, Math.round(((mode.resolution ?? 1) * width) / ref));
    const step = width / count;
    lambdas = Array.from({ length: count }, (_, i) => lo + (i + 0.5) * step);
  }
  if (lambdas.length <= maxChannels) return lambdas;
  if (maxChannels <= 1) return [lambdas[Math.floor(lambdas.length / 2)]];
  const stride = (lambdas.length - 1) / (maxChannels - 1);
  return Array.from({ length: maxChannels }, (_, i) => lambdas[Math.round(i * stride)]);
}
