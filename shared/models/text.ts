/** A model given as text in either form (import files, SAMP tables, the editor, the CLI). */
import type { ObjectModel } from './definitions';
import { parseModelJson } from './json';
import { parseAsproModelXml } from './xml';

/** Parse a model in either form: ASPRO2 XML when it starts with `<`, else SPICA-DB JSON. */
export function parseModelText(text: string): ObjectModel {
  return text.trim().startsWith('<') ? parseAsproModelXml(text) : parseModelJson(text);
}
