/**
 * Normalising and checking model components: every parameter present and finite, within the
 * bounds ASPRO2 sets (sizes ≥ 0, ratios ≥ 1, position angles 0–180°, limb-darkening
 * coefficients −1…1) and flux weights ≥ 0 with a positive total. Errors name the component
 * (position and name) and the parameter.
 */
import { componentName, isModelType, MODEL_PARAMETERS, MODEL_TYPES, SIZE_PARAMETER, type ModelComponent, type ObjectModel } from './definitions';

/** A model that cannot be used, with where: component index (0-based) and parameter. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly componentIndex: number | null = null,
    readonly parameter: string | null = null,
  ) {
    super(message);
    this.name = 'ModelError';
  }
}

/** Raw component as read from JSON or XML before checking: a type and loose parameter values. */
export interface RawComponent {
  type: unknown;
  name?: unknown;
  params: Record<string, unknown>;
}

function where(index: number, name: string | undefined, type: string): string {
  return `component ${index + 1} (${name ?? type})`;
}

function toNumber(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string' && raw.trim() !== '') return Number(raw.trim());
  return Number.NaN;
}

/**
 * Turn raw components into a checked model. Parameters left out take ASPRO2's defaults
 * (flux_weight 1, x = y = 0, ratio 1, angle 0, coefficients 0) except the size, which is required.
 */
export function normaliseModel(raw: readonly RawComponent[]): ObjectModel {
  if (raw.length === 0) throw new ModelError('a model needs at least one component');
  const model = raw.map((r, i): ModelComponent => {
    const type = typeof r.type === 'string' ? r.type.trim() : r.type;
    const name = typeof r.name === 'string' && r.name.trim() !== '' ? r.name.trim() : undefined;
    if (typeof type !== 'string' || !isModelType(type)) {
      throw new ModelError(`component ${i + 1}: unknown model type ${JSON.stringify(type)} (expected one of ${MODEL_TYPES.join(', ')})`, i, null);
    }
    const defs = MODEL_PARAMETERS[type];
    const known = new Set(defs.map((d) => d.name));
    for (const key of Object.keys(r.params)) {
      if (!known.has(key)) {
        throw new ModelError(`${where(i, name, type)}: unknown parameter "${key}" for ${type} (expected ${defs.map((d) => d.name).join(', ')})`, i, key);
      }
    }
    const params: Record<string, number> = {};
    for (const d of defs) {
      const given = r.params[d.name];
      if (given === undefined || given === null || given === '') {
        if (d.name === SIZE_PARAMETER[type]) throw new ModelError(`${where(i, name, type)}: missing parameter ${d.name}`, i, d.name);
        params[d.name] = d.defaultValue;
        continue;
      }
      const v = toNumber(given);
      if (!Number.isFinite(v)) throw new ModelError(`${where(i, name, type)}: ${d.name} ${JSON.stringify(given)} is not a finite number`, i, d.name);
      params[d.name] = v;
    }
    return name ? { type, name, params } : { type, params };
  });
  validateModel(model);
  return model;
}

/** Check a model's values against ASPRO2's bounds; throws `ModelError` naming the first fault. */
export function validateModel(model: ObjectModel): void {
  if (model.length === 0) throw new ModelError('a model needs at least one component');
  let total = 0;
  const names = new Set<string>();
  model.forEach((c, i) => {
    if (!isModelType(c.type)) throw new ModelError(`component ${i + 1}: unknown model type "${String(c.type)}"`, i, null);
    const label = where(i, c.name, c.type);
    for (const d of MODEL_PARAMETERS[c.type]) {
      const v = c.params[d.name];
      if (v === undefined) throw new ModelError(`${label}: missing parameter ${d.name}`, i, d.name);
      if (!Number.isFinite(v)) throw new ModelError(`${label}: ${d.name} ${v} is not a finite number`, i, d.name);
      if (d.min !== undefined && v < d.min) {
        const what = d.min === 1 ? `${d.name} ${v} is below 1 (it is major / minor)` : `${d.name} ${v} is below ${d.min}`;
        throw new ModelError(`${label}: ${what}`, i, d.name);
      }
      if (d.max !== undefined && v > d.max) throw new ModelError(`${label}: ${d.name} ${v} is above ${d.max}`, i, d.name);
    }
    const name = componentName(c, i);
    if (names.has(name)) throw new ModelError(`${label}: duplicate component name "${name}"`, i, null);
    names.add(name);
    total += c.params.flux_weight;
  });
  if (!(total > 0)) throw new ModelError('the flux weights add up to 0: at least one component must have flux_weight > 0', null, 'flux_weight');
}
