/** A survey target's columns that decide its object model (local, SPICA-DB, or a disk from its diameter). */
import { resolveTargetModel, type ResolvedModel } from '../../../shared/models';
import type { Store } from '../store';

/** The target columns the model resolution reads. */
export interface TargetModelRow {
  id: string;
  name: string;
  ra_deg: number;
  dec_deg: number;
  ldd_mas: number | null;
  ldd_err_mas: number | null;
  sp_type: string | null;
  vmag: number | null;
  jmag: number | null;
  hmag: number | null;
  kmag: number | null;
  model_json: string | null;
  extra_json: string | null;
}

const COLUMNS = 'id, name, ra_deg, dec_deg, ldd_mas, ldd_err_mas, sp_type, vmag, jmag, hmag, kmag, model_json, extra_json';

/** The live target `id`'s model columns, or undefined. */
export function targetModelRow(store: Store, id: string): TargetModelRow | undefined {
  return store.sqlite.prepare<[string], TargetModelRow>(`select ${COLUMNS} from targets where id = ? and deleted = 0`).get(id);
}

/** The SPICA-DB `model` column kept in the row's extra columns (a malformed extra is no model). */
export function spicadbModelOf(row: TargetModelRow): string | null {
  if (!row.extra_json) return null;
  try {
    return (JSON.parse(row.extra_json) as Record<string, string>).model ?? null;
  } catch {
    return null;
  }
}

/** Resolve a store row's model at `lambdaUm` (local model, else SPICA-DB's, else a disk from the diameter). */
export function resolveRowModel(row: TargetModelRow, lambdaUm: number): ResolvedModel {
  return resolveTargetModel(
    {
      name: row.name, raDeg: row.ra_deg, decDeg: row.dec_deg, localModel: row.model_json, spicadbModel: spicadbModelOf(row),
      lddMas: row.ldd_mas, lddErrMas: row.ldd_err_mas, spType: row.sp_type, vmag: row.vmag, jmag: row.jmag, hmag: row.hmag, kmag: row.kmag,
    },
    lambdaUm,
  );
}
