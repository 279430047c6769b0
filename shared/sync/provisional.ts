/**
 * Completion recorded at the telescope is provisional (sync.md §4.2): a validated observation
 * logged here adds its NSS increment to `completion_provisional`, never to SPICA-DB's
 * `completion_rate`, which the QC owns. The provisional value stands while SPICA-DB's value is
 * still the one the increments started from (`completion_provisional_from`) and is ahead of it;
 * once the database's value moves, the database wins.
 */

/** The provisional completion when it stands and is ahead of the database's value, else null. */
export function standingProvisional(rate: number, provisional: number | null, from: number | null): number | null {
  if (provisional === null || from === null) return null;
  if (Math.abs(from - rate) > 1e-9) return null;
  return provisional > rate ? provisional : null;
}

/** The completion to plan and rank with: the standing provisional value, else the database's. */
export function effectiveCompletion(rate: number, provisional: number | null, from: number | null): number {
  return standingProvisional(rate, provisional, from) ?? rate;
}
