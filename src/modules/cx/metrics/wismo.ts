/**
 * "Where is my order?" in a consignee's reply, in the languages Passage sends in: phrases that ask where a
 * parcel is, say it has not come, or ask for tracking. One source for SQL (PostgreSQL ARE, `~*`) and for
 * JavaScript (the same syntax: alternations, classes and `?` only; no `\b`).
 */
export const WISMO_PHRASES: readonly string[] = [
  // English
  "where('?s| is) (is )?my", 'wheres my', 'when will (it|my)', "(not|n'?t) (yet )?(arrived|received|come|delivered)", 'tracking', 'track my',
  // German
  'wo (ist|bleibt) (mein|meine)', 'sendungsverfolgung', 'nicht (angekommen|erhalten|geliefert)', 'noch nicht da',
  // French
  'o[uù] (est|en est) (mon|ma)', 'pas (encore )?(re[cç]u|arriv[ée])', 'suivi de',
  // Spanish
  'd[oó]nde est[aá]', 'paquete', 'seguimiento', 'no (me )?ha llegado',
  // Italian
  "dov['’]?[eè]", 'dove [eè] il mio', 'non [eè] (ancora )?arrivat', 'tracciamento',
  // Dutch
  'waar (is|blijft) mijn', 'niet (ontvangen|aangekomen|bezorgd)',
  // Polish
  'gdzie jest', 'przesy[lł]k', 'nie dosz[lł]',
  // Portuguese
  'onde est[aá]', 'rastreio', 'rastreamento', 'n[aã]o (chegou|recebi)',
  // Swedish, Danish, Turkish
  'var [aä]r (mitt|min)', 'hvor er (min|mit)', 'nerede',
];

/** The phrases as one case-insensitive pattern (PostgreSQL `~*` and JavaScript `iu` read it alike). */
export const WISMO_PATTERN = WISMO_PHRASES.map((p) => `(${p})`).join('|');

const WISMO_REGEX = new RegExp(WISMO_PATTERN, 'iu');

export function isWismo(text: string): boolean {
  return WISMO_REGEX.test(text);
}
