/** The one error type of the FITS layer: it always says which HDU and which byte went wrong. */

/**
 * A FITS file that cannot be read (truncated, corrupt, unsupported). `hduIndex` is 0 for the
 * primary HDU; `byteOffset` is the absolute offset in the file where the problem was found.
 */
export class FitsError extends Error {
  constructor(
    message: string,
    readonly hduIndex: number,
    readonly byteOffset: number,
  ) {
    super(`HDU ${hduIndex} at byte ${byteOffset}: ${message}`);
    this.name = 'FitsError';
  }
}
