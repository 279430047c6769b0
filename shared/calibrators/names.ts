/**
 * Star names → one canonical spelling, so "HD 89239", "hd89239", "α Lyr", "alpha Lyrae",
 * "* alf Lyr", "17 Lib", "Kap1Scl" (BSC5), "kap01 Scl" (SIMBAD) and "R Tri" can be looked up in the
 * catalogue: lower case, Greek letters as SIMBAD's three-letter abbreviations, constellations as
 * IAU abbreviations (genitives accepted), numbers without leading zeros, letters and digits split.
 */

const GREEK: Record<string, string> = {
  alpha: 'alf', alf: 'alf', alp: 'alf', α: 'alf', beta: 'bet', bet: 'bet', β: 'bet', gamma: 'gam', gam: 'gam', γ: 'gam',
  delta: 'del', del: 'del', δ: 'del', epsilon: 'eps', eps: 'eps', ε: 'eps', zeta: 'zet', zet: 'zet', ζ: 'zet', eta: 'eta', η: 'eta',
  theta: 'tet', tet: 'tet', the: 'tet', θ: 'tet', iota: 'iot', iot: 'iot', ι: 'iot', kappa: 'kap', kap: 'kap', κ: 'kap',
  lambda: 'lam', lam: 'lam', λ: 'lam', mu: 'mu', μ: 'mu', nu: 'nu', ν: 'nu', xi: 'ksi', ksi: 'ksi', ξ: 'ksi',
  omicron: 'omi', omi: 'omi', ο: 'omi', pi: 'pi', π: 'pi', rho: 'rho', ρ: 'rho', sigma: 'sig', sig: 'sig', σ: 'sig', ς: 'sig',
  tau: 'tau', τ: 'tau', upsilon: 'ups', ups: 'ups', υ: 'ups', phi: 'phi', φ: 'phi', chi: 'chi', χ: 'chi', psi: 'psi', ψ: 'psi',
  omega: 'ome', ome: 'ome', ω: 'ome',
};

/** IAU constellation abbreviations with their Latin genitives. */
const CONSTELLATIONS: Array<[string, string]> = [
  ['And', 'Andromedae'], ['Ant', 'Antliae'], ['Aps', 'Apodis'], ['Aqr', 'Aquarii'], ['Aql', 'Aquilae'], ['Ara', 'Arae'],
  ['Ari', 'Arietis'], ['Aur', 'Aurigae'], ['Boo', 'Bootis'], ['Cae', 'Caeli'], ['Cam', 'Camelopardalis'], ['Cnc', 'Cancri'],
  ['CVn', 'Canum Venaticorum'], ['CMa', 'Canis Majoris'], ['CMi', 'Canis Minoris'], ['Cap', 'Capricorni'], ['Car', 'Carinae'],
  ['Cas', 'Cassiopeiae'], ['Cen', 'Centauri'], ['Cep', 'Cephei'], ['Cet', 'Ceti'], ['Cha', 'Chamaeleontis'], ['Cir', 'Circini'],
  ['Col', 'Columbae'], ['Com', 'Comae Berenices'], ['CrA', 'Coronae Australis'], ['CrB', 'Coronae Borealis'], ['Crv', 'Corvi'],
  ['Crt', 'Crateris'], ['Cru', 'Crucis'], ['Cyg', 'Cygni'], ['Del', 'Delphini'], ['Dor', 'Doradus'], ['Dra', 'Draconis'],
  ['Equ', 'Equulei'], ['Eri', 'Eridani'], ['For', 'Fornacis'], ['Gem', 'Geminorum'], ['Gru', 'Gruis'], ['Her', 'Herculis'],
  ['Hor', 'Horologii'], ['Hya', 'Hydrae'], ['Hyi', 'Hydri'], ['Ind', 'Indi'], ['Lac', 'Lacertae'], ['Leo', 'Leonis'],
  ['LMi', 'Leonis Minoris'], ['Lep', 'Leporis'], ['Lib', 'Librae'], ['Lup', 'Lupi'], ['Lyn', 'Lyncis'], ['Lyr', 'Lyrae'],
  ['Men', 'Mensae'], ['Mic', 'Microscopii'], ['Mon', 'Monocerotis'], ['Mus', 'Muscae'], ['Nor', 'Normae'], ['Oct', 'Octantis'],
  ['Oph', 'Ophiuchi'], ['Ori', 'Orionis'], ['Pav', 'Pavonis'], ['Peg', 'Pegasi'], ['Per', 'Persei'], ['Phe', 'Phoenicis'],
  ['Pic', 'Pictoris'], ['Psc', 'Piscium'], ['PsA', 'Piscis Austrini'], ['Pup', 'Puppis'], ['Pyx', 'Pyxidis'], ['Ret', 'Reticuli'],
  ['Sge', 'Sagittae'], ['Sgr', 'Sagittarii'], ['Sco', 'Scorpii'], ['Scl', 'Sculptoris'], ['Sct', 'Scuti'], ['Ser', 'Serpentis'],
  ['Sex', 'Sextantis'], ['Tau', 'Tauri'], ['Tel', 'Telescopii'], ['Tri', 'Trianguli'], ['TrA', 'Trianguli Australis'],
  ['Tuc', 'Tucanae'], ['UMa', 'Ursae Majoris'], ['UMi', 'Ursae Minoris'], ['Vel', 'Velorum'], ['Vir', 'Virginis'],
  ['Vol', 'Volantis'], ['Vul', 'Vulpeculae'],
];

/** Genitive (one or two words, lower case) → abbreviation; looked up per token, so names stay cheap to canonicalise. */
const GENITIVE = new Map(CONSTELLATIONS.map(([abbr, gen]) => [gen.toLowerCase(), abbr.toLowerCase()]));

/**
 * Canonical spelling of a star name; '' for blank input. Catalogue prefixes SIMBAD puts in front of
 * main identifiers ("*", "**", "V*", "NAME") are dropped.
 */
export function canonicalStarName(text: string): string {
  let t = (text ?? '').normalize('NFKC').trim().replace(/^(\*\*|\*|V\*|NAME)\s+/i, '');
  t = t.replace(/[αβγδεζηθικλμνξοπρσςτυφχψω]/g, (c) => ` ${GREEK[c]} `);
  t = t.toLowerCase().replace(/[_.,;]+/g, ' ');
  // Split letters from digits ("hd400", "kap1scl", "v526") and drop leading zeros.
  t = t.replace(/([a-z])(\d)/g, '$1 $2').replace(/(\d)([a-z])/g, '$1 $2');
  const words = t.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  for (let k = 0; k < words.length; k++) {
    const two = k + 1 < words.length ? GENITIVE.get(`${words[k]} ${words[k + 1]}`) : undefined;
    if (two) {
      out.push(two);
      k++;
      continue;
    }
    const w = words[k];
    out.push(/^\d+$/.test(w) ? String(Number(w)) : (GENITIVE.get(w) ?? GREEK[w] ?? w));
  }
  return out.join(' ');
}

/**
 * The names of a BSC5 "Name" cell: "21Alp And" is Flamsteed 21 and Bayer α And; "Kap1Scl" is
 * κ¹ Scl; "33    Psc" is Flamsteed 33. Returns canonical names.
 */
export function bscDesignations(cell: string): string[] {
  const m = /^\s*(\d+)?\s*([A-Z][a-z]{1,2})?(\d)?\s*([A-Z][A-Za-z]{2})\s*$/.exec(cell ?? '');
  if (!m) return cell?.trim() ? [canonicalStarName(cell)] : [];
  const [, flamsteed, bayer, sup, con] = m;
  const out: string[] = [];
  if (flamsteed) out.push(canonicalStarName(`${flamsteed} ${con}`));
  if (bayer) {
    out.push(canonicalStarName(`${bayer}${sup ?? ''} ${con}`));
    // A superscript star also answers to its plain Bayer letter when it is the only one named so.
    if (sup) out.push(canonicalStarName(`${bayer} ${con}`));
  }
  return out;
}
