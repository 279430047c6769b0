/**
 * ASPRO2's XML form of a model: `tm:model` elements (namespace `http://www.jmmc.fr/jmcs/models/0.1`,
 * prefix `tm`, which ASPRO2's observation document declares) holding one `tm:parameter` per
 * parameter with a `<value>`. The writer produces exactly what a2p2's `Models` helpers produce
 * (a2p2 `jmmc/models.py` `_xml_model`, which NSS puts in the VOTable sent to ASPRO2); the reader
 * takes that, ASPRO2's own richer form (`<units>`, `<minValue>`, `<hasFixedValue>`, `<desc>`) from
 * an `.asprox` or LITpro setting, with or without the namespace declared.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { componentName, MODEL_PARAMETERS, type ObjectModel } from './definitions';
import { ModelError, normaliseModel, type RawComponent } from './validate';

/** ASPRO2's target-model namespace, bound to the `tm` prefix. */
export const ASPRO_MODEL_NAMESPACE = 'http://www.jmmc.fr/jmcs/models/0.1';

/** A number as Python's `str(float)` writes it (what a2p2 puts in `<value>`): `1.0`, `1e-05`. */
export function pythonFloat(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`${v} is not a finite number`);
  if (Object.is(v, -0)) return '-0.0';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = v.toExponential().split('e');
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = String(v);
  return Number.isInteger(v) ? `${s}.0` : s;
}

/** Write a model as a2p2 does: one `tm:model` per component, every parameter, `name_type` ids. */
export function writeAsproModelXml(model: ObjectModel): string {
  return model
    .map((c, i) => {
      const name = componentName(c, i);
      const params = MODEL_PARAMETERS[c.type]
        .map((d) => `    <tm:parameter name="${name}_${d.name}" type="${d.name}"><value>${pythonFloat(c.params[d.name])}</value></tm:parameter>\n`)
        .join('');
      return `<tm:model name="${name}" type="${c.type}">\n${params}</tm:model>\n`;
    })
    .join('');
}

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => name === 'model' || name === 'parameter',
});

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && '#text' in (v as XmlNode)) return String((v as XmlNode)['#text']);
  return undefined;
}

/** Every `model` element with parameters, depth first (ASPRO2 can nest them). */
function collectModels(node: unknown, out: XmlNode[]): void {
  if (Array.isArray(node)) {
    for (const n of node) collectModels(n, out);
    return;
  }
  if (!node || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node as XmlNode)) {
    if (key === 'model') {
      for (const m of value as XmlNode[]) {
        if (m && typeof m === 'object' && '@_type' in m) out.push(m);
        collectModels(m, out);
      }
    } else if (!key.startsWith('@_') && key !== 'parameter') {
      collectModels(value, out);
    }
  }
}

function parseWrapped(xml: string): unknown {
  const body = xml.trim().replace(/^<\?xml[^>]*\?>/, '');
  if (/<!DOCTYPE/i.test(body)) throw new ModelError('model XML: DOCTYPE declarations are not accepted');
  // A cell holds sibling elements (and an undeclared tm prefix): give them one root.
  const wrapped = `<models-root xmlns:tm="${ASPRO_MODEL_NAMESPACE}">${body}</models-root>`;
  const check = XMLValidator.validate(wrapped);
  if (check !== true) throw new ModelError(`model XML is not well-formed: ${check.err.msg} (line ${check.err.line})`);
  return parser.parse(wrapped);
}

function modelFromNodes(found: XmlNode[]): ObjectModel {
  if (found.length === 0) throw new ModelError('model XML: no tm:model element found');
  const raw: RawComponent[] = found.map((m, i) => {
    const params: Record<string, unknown> = {};
    for (const p of (m.parameter as XmlNode[] | undefined) ?? []) {
      const type = p['@_type'];
      if (typeof type !== 'string') throw new ModelError(`component ${i + 1}: a tm:parameter has no type attribute`, i, null);
      const value = textOf(p.value);
      if (value === undefined) throw new ModelError(`component ${i + 1} (${String(m['@_name'] ?? m['@_type'])}): parameter ${type} has no <value>`, i, type);
      params[type] = value;
    }
    return { type: m['@_type'], name: m['@_name'], params };
  });
  return normaliseModel(raw);
}

/**
 * The models of each target of an ASPRO2 observation (`.asprox`, as ASPRO2 sends it with
 * `fr.jmmc.aspro.load.observation`): target name → model, for targets that have one.
 */
export function parseAsproTargetModels(xml: string): Array<{ target: string; model: ObjectModel }> {
  const out: Array<{ target: string; model: ObjectModel }> = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as XmlNode)) {
      if (key === 'target') {
        for (const t of Array.isArray(value) ? value : [value]) {
          const models = (t as XmlNode)?.model as XmlNode[] | undefined;
          const name = textOf((t as XmlNode)?.name);
          if (models && name) {
            const found: XmlNode[] = [];
            collectModels({ model: models }, found);
            out.push({ target: name, model: modelFromNodes(found) });
          }
        }
      } else if (!key.startsWith('@_')) {
        visit(value);
      }
    }
  };
  visit(parseWrapped(xml));
  return out;
}

/**
 * Parse and check the model(s) in an XML text: bare `tm:model` elements (a VOTable cell) or any
 * document that contains them. Throws `ModelError` naming the component and parameter.
 */
export function parseAsproModelXml(xml: string): ObjectModel {
  const found: XmlNode[] = [];
  collectModels(parseWrapped(xml), found);
  return modelFromNodes(found);
}
