/**
 * What SPICA Companion knows of JMMC's SPICA-DB services (../shared/docs/sync.md §2): the
 * environments (TAP and catalog API always paired; pre-production by default, as a2p2), the keys
 * and PI columns per catalogue as the catalog API (`JMMC-OpenDev/catalogs` `modules/app.xql`)
 * decides them, and which columns a client may push: the one place the push allow-list lives.
 */

/** A pair of services: anonymous TAP reads and Basic-auth catalog API writes on the same database. */
export interface JmmcEndpoints {
  tapUrl: string;
  apiUrl: string;
}

export type JmmcEnvironment = 'preprod' | 'prod' | 'custom';

/** The published pairs (a2p2 `jmmc/catalogs.py`; oidb `config.properties`). */
export const JMMC_ENVIRONMENTS: Record<Exclude<JmmcEnvironment, 'custom'>, JmmcEndpoints & { label: string }> = {
  preprod: {
    label: 'JMMC pre-production',
    tapUrl: 'https://tap-preprod.jmmc.fr/vollt/tap',
    apiUrl: 'https://oidb-beta.jmmc.fr/restxq/catalogs',
  },
  prod: {
    label: 'JMMC production',
    tapUrl: 'https://tap.jmmc.fr/vollt/tap',
    apiUrl: 'https://oidb.jmmc.fr/restxq/catalogs',
  },
};

/** Pre-production until the user switches, as a2p2's `Catalog(prod=False)`. */
export const DEFAULT_ENVIRONMENT: JmmcEnvironment = 'preprod';
export const DEFAULT_CATALOG = 'spica';
/** The primary-calibrator and bad-calibrator tables NSS reads the same way (pull-only references). */
export const REFERENCE_CATALOGS = ['spica_calprim', 'badcal'] as const;
export type ReferenceCatalog = (typeof REFERENCE_CATALOGS)[number];

/**
 * Columns a PI or delegated co-I may change from this app, pushed when changed here and unchanged
 * in SPICA-DB. JMMC's API enforces no column rights (sync.md §2.3, "TODO add picolumns"), so this
 * list is ours: sync.md §10 Q1 asks OCA whether `spica_mode` and `model` belong here too. The sync
 * configuration may narrow it; it can never name a column outside this list.
 */
export const PI_EDITABLE_COLUMNS = ['priority_pi', 'priority_pi2', 'comments', 'comments2'] as const;
export type PiEditableColumn = (typeof PI_EDITABLE_COLUMNS)[number];

/** The local field behind each PI-editable column: a membership (rank 1 or 2) and which of its values. */
export const PI_COLUMN_FIELDS: Record<PiEditableColumn, { rank: 1 | 2; field: 'piPriority' | 'comments' }> = {
  priority_pi: { rank: 1, field: 'piPriority' },
  priority_pi2: { rank: 2, field: 'piPriority' },
  comments: { rank: 1, field: 'comments' },
  comments2: { rank: 2, field: 'comments' },
};

export function isPiEditableColumn(column: string): column is PiEditableColumn {
  return (PI_EDITABLE_COLUMNS as readonly string[]).includes(column);
}

/** A TAP table or column name we are willing to put into ADQL or a URL path. */
export function isSafeIdentifier(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name);
}

/** The catalogue's primary key, as `app:get-catalog-primary-key` decides it. */
export function primaryKeyOf(catalog: string): string {
  if (catalog.startsWith('spica') && !/spica_cal|spica_followup|spica_test_followup/.test(catalog)) return 'spicadb_id';
  if (catalog.startsWith('obsportal')) return 'exp_id';
  if (/spica_followup|spica_test_followup/.test(catalog)) return 'tpl_start';
  return 'id';
}

/** The catalogue's audit column, as `app:get-catalog-lastmods` decides it (null: none). */
export function lastmodsColumnOf(catalog: string): string | null {
  return catalog.startsWith('spica') && !/spica_cal|spica_test_followup|spica_followup/.test(catalog) ? 'lastmods' : null;
}

/** The row's PI names, as `app:get-pinames` reads them: every `/`-separated, space-normalised token of the PI columns. */
export function piNamesOf(row: Record<string, unknown>, catalog: string): string[] {
  const columns = catalog.startsWith('spica') ? (/spica_cal|spica_followup|spica_test_followup/.test(catalog) ? ['piname'] : ['piname', 'piname2']) : ['datapi'];
  const names: string[] = [];
  for (const c of columns) {
    const v = row[c];
    if (typeof v !== 'string' || v === '') continue;
    for (const token of v.split('/')) {
      const name = token.replace(/[\x20\x09\x0D\x0A]+/g, ' ').trim();
      if (name) names.push(name);
    }
  }
  return names;
}

/** The endpoints of an environment (custom: the given pair, with trailing slashes removed). */
export function endpointsOf(env: JmmcEnvironment, custom?: Partial<JmmcEndpoints>): JmmcEndpoints {
  if (env !== 'custom') return { tapUrl: JMMC_ENVIRONMENTS[env].tapUrl, apiUrl: JMMC_ENVIRONMENTS[env].apiUrl };
  if (!custom?.tapUrl || !custom.apiUrl) throw new Error('a custom environment needs both a TAP URL and a catalog API URL');
  return { tapUrl: custom.tapUrl.replace(/\/+$/, ''), apiUrl: custom.apiUrl.replace(/\/+$/, '') };
}

/** A short label for the status line. */
export function environmentLabel(env: JmmcEnvironment, endpoints: JmmcEndpoints): string {
  if (env !== 'custom') return JMMC_ENVIRONMENTS[env].label;
  try {
    return `custom (${new URL(endpoints.apiUrl).host})`;
  } catch {
    return 'custom';
  }
}
