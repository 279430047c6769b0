/** Status widgets shown in the header, right side (e.g. the SAMP indicator). */
export function HeaderExtras() {
  return null;
}
