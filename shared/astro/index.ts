/** The astro engine: ephemerides, CHARA delay lines, observability and uv coverage. */
export * from './types';
export { altAzOf, altAzFromHaDec, type AltAz } from './altaz';
export { baselineNames, baselinePairs, baselineXyzM, parseStations, projectBaseline } from './baselines';
export { baselineMarginM, defaultPops, delayModel, parsePops, searchBestPops, stationDelaysM } from './delay';
export { apparentRaDecRad, localSiderealTimeH, skyFrame, unitVector, wrapHourAngleH } from './frame';
export { horizonElevationDeg } from './horizon';
export { localMidnightMjd, nightEvents, nightSky, sunAltitudeDeg, type NightEvents, type NightSky } from './night';
export { computeNightObservability, defaultObservabilityOptions } from './observability';
export { DEFAULT_ATMOSPHERE, refractedAltitudeDeg, refractionConstants, type Atmosphere } from './refraction';
export { CHARA_SITE, type Site } from './site';
export { isoFromMjd, mjdFromIso, mjdFromMs, msFromMjd } from './time';
export { uvCoverageAt, type UvCoverage, type UvTrack } from './uv';
export { explainSample, type WhyContext } from './why';
