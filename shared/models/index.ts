/**
 * The model engine: ASPRO2/LITpro analytical models (definitions, JSON and XML forms, checks),
 * their complex visibility over (u, v, λ), closure phases, night predictions and the target
 * model resolution with its uniform-disk fallback. Pure TypeScript: no DOM, no Node.
 */
export * from './definitions';
export { ModelError, normaliseModel, validateModel, type RawComponent } from './validate';
export { parseModelJson, rawComponentsFromJson, writeModelJson } from './json';
export { ASPRO_MODEL_NAMESPACE, parseAsproModelXml, parseAsproTargetModels, pythonFloat, writeAsproModelXml } from './xml';
export { complexVisibility, createVisibilityBuffers, MAS_TO_RAD, squaredVisibility, visibilityPhaseDeg, type VisibilityBuffers, type VisibilityGrid } from './visibility';
export { closurePhasesDeg, configurationTriangles, type Triangle } from './closure';
export { baselineVerdicts, DEFAULT_VIS2_BOUNDS, predictNight, spicaModeName, type BaselineVerdict, type NightPrediction, type TrackUv, type Vis2Bounds } from './predict';
export { parseModelText } from './text';
export { fallbackUdMas, resolveTargetModel, type ModelSource, type ResolvedModel, type TargetModelInputs } from './target-model';
