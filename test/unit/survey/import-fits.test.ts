/**
 * An OIFITS file dropped on the Survey (issue #11) is named for what it is. Before, the FITS file
 * read as text was parsed as CSV and refused with "CSV line 70: Trailing quote…". The file is the
 * real ASPRO2 SPICA simulation from test/fixtures/samp, read as text as the browser's File.text() does.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ImportError, parseImport } from '../../../shared/survey/import-rows';

const OIFITS = join(import.meta.dirname, '../../fixtures/samp/Aspro2_zet_Oph_CHARA_SPICA.fits');

describe('a FITS file offered as a target list', () => {
  it('is refused as a FITS file, pointing at the Review screen, whatever its name', () => {
    const text = readFileSync(OIFITS, 'utf8');
    for (const name of ['night.fits', 'night.oifits', 'renamed.csv']) {
      expect(() => parseImport(name, text)).toThrow(ImportError);
      expect(() => parseImport(name, text)).toThrow(/FITS file .*Review screen/);
    }
  });

  it('still reads a CSV whose first column is called SIMPLE', () => {
    expect(parseImport('t.csv', 'SIMPLE,name,ra_deg,dec_deg\n1,star A,10,20\n').targets).toHaveLength(1);
  });
});
