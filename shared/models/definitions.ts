/**
 * The analytical models of ASPRO2 / LITpro (JMMC `jmal` ModelManager), with their parameters in
 * ASPRO2's order, default values and bounds exactly as ASPRO2's model template lists them
 * (a2p2 `a2p2/jmmc/models_template.asprox`, the source of a2p2's `generated_models.py`).
 * Angles are position angles in degrees from North towards East; sizes and offsets in mas;
 * `x` is the offset towards East, `y` towards North.
 */

/** Every analytical model type ASPRO2 knows, in ASPRO2's order. */
export const MODEL_TYPES = [
  'punct',
  'disk',
  'elong_disk',
  'flatten_disk',
  'circle',
  'ring',
  'elong_ring',
  'flatten_ring',
  'gaussian',
  'elong_gaussian',
  'flatten_gaussian',
  'limb_quadratic',
] as const;

export type ModelType = (typeof MODEL_TYPES)[number];

/** One parameter of a model type. */
export interface ParameterDefinition {
  /** ASPRO2 parameter type, e.g. `minor_axis_diameter`. */
  name: string;
  /** Value a2p2/ASPRO2 use when the parameter is not given. */
  defaultValue: number;
  /** ASPRO2's `minValue` / `maxValue`, when it sets one. */
  min?: number;
  max?: number;
  /** `mas` or `degrees` as ASPRO2 writes `<units>`; absent for ratios, weights, coefficients. */
  units?: 'mas' | 'degrees';
  /** One line for the model editor. */
  label: string;
}

const FLUX: ParameterDefinition = { name: 'flux_weight', defaultValue: 1, min: 0, label: 'flux weight (relative)' };
const X: ParameterDefinition = { name: 'x', defaultValue: 0, units: 'mas', label: 'x offset towards East (mas)' };
const Y: ParameterDefinition = { name: 'y', defaultValue: 0, units: 'mas', label: 'y offset towards North (mas)' };
const size = (name: string, label: string): ParameterDefinition => ({ name, defaultValue: 0, min: 0, units: 'mas', label });
const ratio = (name: string, label: string): ParameterDefinition => ({ name, defaultValue: 1, min: 1, label });
const angle = (name: string, label: string): ParameterDefinition => ({ name, defaultValue: 0, min: 0, max: 180, units: 'degrees', label });

/** Parameters of each model type, in ASPRO2's order (flux_weight, x, y first). */
export const MODEL_PARAMETERS: Record<ModelType, readonly ParameterDefinition[]> = {
  punct: [FLUX, X, Y],
  disk: [FLUX, X, Y, size('diameter', 'diameter (mas)')],
  elong_disk: [
    FLUX, X, Y,
    size('minor_axis_diameter', 'minor axis diameter (mas)'),
    ratio('elong_ratio', 'elongation = major / minor (≥ 1)'),
    angle('major_axis_pos_angle', 'major axis PA, E of N (0–180°)'),
  ],
  flatten_disk: [
    FLUX, X, Y,
    size('major_axis_diameter', 'major axis diameter (mas)'),
    ratio('flatten_ratio', 'flattening = major / minor (≥ 1)'),
    angle('minor_axis_pos_angle', 'minor axis PA, E of N (0–180°)'),
  ],
  circle: [FLUX, X, Y, size('diameter', 'diameter of the thin circle (mas)')],
  ring: [FLUX, X, Y, size('diameter', 'inner diameter (mas)'), size('width', 'radial width (mas)')],
  elong_ring: [
    FLUX, X, Y,
    size('minor_internal_diameter', 'minor inner diameter (mas)'),
    ratio('elong_ratio', 'elongation = major / minor (≥ 1)'),
    size('width', 'radial width along the minor axis (mas)'),
    angle('major_axis_pos_angle', 'major axis PA, E of N (0–180°)'),
  ],
  flatten_ring: [
    FLUX, X, Y,
    size('major_internal_diameter', 'major inner diameter (mas)'),
    ratio('flatten_ratio', 'flattening = major / minor (≥ 1)'),
    size('width', 'radial width along the major axis (mas)'),
    angle('minor_axis_pos_angle', 'minor axis PA, E of N (0–180°)'),
  ],
  gaussian: [FLUX, X, Y, size('fwhm', 'FWHM (mas)')],
  elong_gaussian: [
    FLUX, X, Y,
    size('minor_axis_fwhm', 'minor axis FWHM (mas)'),
    ratio('elong_ratio', 'elongation = major / minor (≥ 1)'),
    angle('major_axis_pos_angle', 'major axis PA, E of N (0–180°)'),
  ],
  flatten_gaussian: [
    FLUX, X, Y,
    size('major_axis_fwhm', 'major axis FWHM (mas)'),
    ratio('flatten_ratio', 'flattening = major / minor (≥ 1)'),
    angle('minor_axis_pos_angle', 'minor axis PA, E of N (0–180°)'),
  ],
  limb_quadratic: [
    FLUX, X, Y,
    size('diameter', 'diameter (mas)'),
    { name: 'a1_coeff', defaultValue: 0, min: -1, max: 1, label: 'a1: I(μ) = 1 − a1(1−μ) − a2(1−μ)²' },
    { name: 'a2_coeff', defaultValue: 0, min: -1, max: 1, label: 'a2 (quadratic term)' },
  ],
};

/**
 * Parameters that carry the object's size: a component of these types with no size given is an
 * error (ASPRO2 would silently take 0 mas, i.e. an unresolved point, which hides typos).
 */
export const SIZE_PARAMETER: Record<ModelType, string | null> = {
  punct: null,
  disk: 'diameter',
  elong_disk: 'minor_axis_diameter',
  flatten_disk: 'major_axis_diameter',
  circle: 'diameter',
  ring: 'diameter',
  elong_ring: 'minor_internal_diameter',
  flatten_ring: 'major_internal_diameter',
  gaussian: 'fwhm',
  elong_gaussian: 'minor_axis_fwhm',
  flatten_gaussian: 'major_axis_fwhm',
  limb_quadratic: 'diameter',
};

/** One component of a model: a type and a full set of parameter values. */
export interface ModelComponent {
  type: ModelType;
  /** ASPRO2 name (`disk1`, `elong_disk2`…); generated from type and position when absent. */
  name?: string;
  /** Every parameter of the type, by ASPRO2 parameter type. */
  params: Record<string, number>;
}

/** A model: one or more components whose visibilities add, weighted by flux. */
export type ObjectModel = ModelComponent[];

/** True when `type` is one of ASPRO2's analytical model types. */
export function isModelType(type: string): type is ModelType {
  return (MODEL_TYPES as readonly string[]).includes(type);
}

/** A one-component uniform disk of `diameterMas`, centred, flux 1. */
export function uniformDisk(diameterMas: number): ObjectModel {
  return [{ type: 'disk', params: { flux_weight: 1, x: 0, y: 0, diameter: diameterMas } }];
}

/** The name ASPRO2 / a2p2 give a component without one: type + 1-based position. */
export function componentName(c: ModelComponent, index: number): string {
  return c.name ?? `${c.type}${index + 1}`;
}
