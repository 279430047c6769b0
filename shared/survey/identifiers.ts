/**
 * Star identifiers as astronomers compare them: SIMBAD's "* alf Sco", "alf Sco", "alpha Sco" and
 * "α Sco" are one identifier once normalised, as are "HD 000038", "HD  38" and "hd38". Normalising
 * never merges different stars: component letters ("HD 75632A" ≠ "HD 75632B") and catalogue
 * prefixes are kept. Cross-identifications (the HD number of "alf Sco") come offline from the bundled
 * bright-star list, and only for a star that also coincides on the sky.
 */

/** SIMBAD's three-letter Greek abbreviations, from the full names and the letters themselves. */
const GREEK: Record<string, string> = {
  alpha: 'alf', beta: 'bet', gamma: 'gam', delta: 'del', epsilon: 'eps', zeta: 'zet', eta: 'eta',
  theta: 'tet', iota: 'iot', kappa: 'kap', lambda: 'lam', mu: 'mu', nu: 'nu', xi: 'ksi', omicron: 'omi',
  pi: 'pi', rho: 'rho', sigma: 'sig', tau: 'tau', upsilon: 'ups', phi: 'phi', chi: 'chi', psi: 'psi',
  omega: 'ome', α: 'alf', β: 'bet', γ: 'gam', δ: 'del', ε: 'eps', ζ: 'zet', η: 'eta', θ: 'tet', ι: 'iot',
  κ: 'kap', λ: 'lam', μ: 'mu', ν: 'nu', ξ: 'ksi', ο: 'omi', π: 'pi', ρ: 'rho', σ: 'sig', τ: 'tau',
  υ: 'ups', φ: 'phi', χ: 'chi', ψ: 'psi', ω: 'ome',
};
for (const abbreviation of Object.values(GREEK)) GREEK[abbreviation] = abbreviation;

/** SIMBAD object-type prefixes of a main identifier: "* ", "** ", "V* ", "NAME ". */
const SIMBAD_PREFIX = /^(?:name\s+|v\*\s+|\*\*\s+|\*\s+)/;

/** Catalogues written "<prefix> <number>", whose numbers may carry leading zeros or no space. */
const NUMBERED = /^(hd|hip|hr|hic|sao|tyc|gj|gl|bd|cd|cpd|2mass|gaia dr[123]|gaia edr3|gaia)\s*0*(\d)/;

/**
 * The normalised form of one identifier, or null for an empty one: lower case, single spaces,
 * SIMBAD type prefixes removed, Greek letters as SIMBAD abbreviates them ("mu." → "mu"), catalogue
 * numbers without leading zeros.
 */
export function normaliseIdentifier(raw: string): string | null {
  const cached = normalisedCache.get(raw);
  if (cached !== undefined) return cached;
  const value = normalise(raw);
  // Imports normalise the same few thousand names again and again; the cache stays small.
  if (normalisedCache.size >= NORMALISED_CACHE_SIZE) normalisedCache.clear();
  normalisedCache.set(raw, value);
  return value;
}

const NORMALISED_CACHE_SIZE = 100_000;
const normalisedCache = new Map<string, string | null>();

function normalise(raw: string): string | null {
  let s = (/^[\x00-\x7f]*$/.test(raw) ? raw : raw.normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ').trim();
  while (SIMBAD_PREFIX.test(s)) s = s.replace(SIMBAD_PREFIX, '');
  if (s === '') return null;
  const words = s.split(' ').map((w) => {
    const greek = /^([a-zα-ω]+?)\.?(\d*)$/u.exec(w);
    if (greek && GREEK[greek[1]] !== undefined) return GREEK[greek[1]] + greek[2].replace(/^0+/, '');
    return w;
  });
  s = words.join(' ');
  return s.replace(NUMBERED, '$1 $2');
}

/** The identifier columns a target row may have. */
export interface IdentifierFields {
  name?: string | null;
  mainId?: string | null;
  hd?: string | number | null;
  hip?: string | number | null;
  gaiaId?: string | null;
}

function withPrefix(prefix: string, value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (text === '') return null;
  return /^\d/.test(text) ? `${prefix} ${text}` : text;
}

/** Every normalised identifier of a row: its name, main id, HD, HIP and Gaia numbers. */
export function identifiersOf(row: IdentifierFields): Set<string> {
  const out = new Set<string>();
  for (const raw of [row.name, row.mainId, withPrefix('HD', row.hd), withPrefix('HIP', row.hip), withPrefix('Gaia', row.gaiaId)]) {
    if (!raw) continue;
    const id = normaliseIdentifier(raw);
    if (id) out.add(id);
  }
  return out;
}

/** Angular separation in arcseconds (haversine; exact at these scales). */
export function separationArcsec(ra1Deg: number, dec1Deg: number, ra2Deg: number, dec2Deg: number): number {
  const r = Math.PI / 180;
  const dRa = (ra2Deg - ra1Deg) * r;
  const dDec = (dec2Deg - dec1Deg) * r;
  const a = Math.sin(dDec / 2) ** 2 + Math.cos(dec1Deg * r) * Math.cos(dec2Deg * r) * Math.sin(dRa / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(a))) * 180 * 3600) / Math.PI;
}

/** One star of a cross-identification list (the bundled bright-star list has these fields). */
export interface CrossIdStar {
  name: string;
  hr?: number | null;
  hd?: number | null;
  hip?: number | null;
  raDeg: number;
  decDeg: number;
}

/**
 * Cross-identifications from a star list: the identifiers of a row are widened with every
 * identifier of a listed star that shares one of them and lies within `radiusArcsec` of the row.
 */
export class CrossIdIndex {
  private readonly byId = new Map<string, Array<{ star: CrossIdStar; ids: Set<string> }>>();

  constructor(
    stars: CrossIdStar[],
    readonly radiusArcsec: number,
  ) {
    for (const star of stars) {
      const ids = identifiersOf({ name: star.name, hd: star.hd ?? null, hip: star.hip ?? null });
      if (star.hr) ids.add(`hr ${star.hr}`);
      const entry = { star, ids };
      for (const id of ids) {
        const list = this.byId.get(id);
        if (list) list.push(entry);
        else this.byId.set(id, [entry]);
      }
    }
  }

  /** `ids` plus the identifiers of listed stars that share one and coincide with (raDeg, decDeg). */
  expand(ids: Set<string>, raDeg: number, decDeg: number): Set<string> {
    const out = new Set(ids);
    for (const id of ids) {
      for (const { star, ids: starIds } of this.byId.get(id) ?? []) {
        if (separationArcsec(star.raDeg, star.decDeg, raDeg, decDeg) <= this.radiusArcsec) for (const s of starIds) out.add(s);
      }
    }
    return out;
  }
}
