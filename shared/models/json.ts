/**
 * SPICA-DB's JSON form of a model, as NSS reads it and a2p2 writes it (`output_mode='jsonlike'`):
 * a list of flat objects, `[{"type": "disk", "diameter": 1.04}]`, each with `type`, optional
 * `name` and parameter values (numbers, or numeric strings as a2p2's `modelsFromXml` leaves them).
 * NSS repairs a quirk of the database, objects written back to back (`{…}{…}`): so do we.
 */
import { MODEL_PARAMETERS, type ObjectModel } from './definitions';
import { ModelError, normaliseModel, type RawComponent } from './validate';

/** Raw components of a parsed JSON value (array of objects, or one object). */
export function rawComponentsFromJson(value: unknown): RawComponent[] {
  const list = Array.isArray(value) ? value : [value];
  return list.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new ModelError(`component ${i + 1}: expected an object like {"type": "disk", "diameter": 1.0}, got ${JSON.stringify(item)}`, i, null);
    }
    const { type, name, ...params } = item as Record<string, unknown>;
    if (type === undefined) throw new ModelError(`component ${i + 1}: missing "type"`, i, 'type');
    return { type, name, params };
  });
}

/** Parse and check a model in SPICA-DB's JSON form; throws `ModelError` naming what is wrong. */
export function parseModelJson(text: string): ObjectModel {
  const trimmed = text.trim();
  if (trimmed === '') throw new ModelError('empty model text');
  let value: unknown;
  try {
    value = JSON.parse(trimmed.replace(/}\s*{/g, '},{').replace(/^\{(.*)\}$/s, (m) => (m.includes('},{') ? `[${m}]` : m)));
  } catch (e) {
    throw new ModelError(`model JSON does not parse: ${(e as Error).message}`);
  }
  return normaliseModel(rawComponentsFromJson(value));
}

/**
 * Write a model in SPICA-DB's JSON form with every parameter, in ASPRO2's order; names are kept
 * only when the model carries them.
 */
export function writeModelJson(model: ObjectModel): string {
  return JSON.stringify(
    model.map((c) => {
      const out: Record<string, string | number> = { type: c.type };
      if (c.name) out.name = c.name;
      for (const d of MODEL_PARAMETERS[c.type]) out[d.name] = c.params[d.name];
      return out;
    }),
  );
}
