/**
 * Content hash of an OIFITS data product: SHA-256 of its data HDUs (`dataHduRange`), hex. The
 * same file on a laptop and on a desktop has the same hash; the primary header (where verdicts
 * go) is outside it, so writing a verdict keeps a product's identity.
 */
import { createHash } from 'node:crypto';
import { dataHduRange, readFitsStructure } from '../../shared/oifits';

/** SHA-256 (hex) of the data HDUs of a FITS file's bytes. Throws FitsError on unreadable structure. */
export function contentHashOf(bytes: Uint8Array): string {
  const { start, end } = dataHduRange(readFitsStructure(bytes));
  return createHash('sha256').update(bytes.subarray(start, end)).digest('hex');
}
