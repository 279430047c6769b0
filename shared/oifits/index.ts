/**
 * OIFITS in pure TypeScript over Uint8Array: FITS structure and binary tables, the OIFITS v1/v2
 * model, a lenient validator, plot-ready data, and primary-header write-back with checksums.
 * Runs unchanged in Node and in the renderer.
 */
export { FitsError } from './fits-error';
export { dataHduRange, readFitsStructure, type FitsFile, type FitsHdu } from './fits-file';
export { FitsHeader, type FitsCard, type FitsValue } from './fits-header';
export { BinTable, parseTform, type ColumnInfo, type ColumnValues } from './bintable';
export { verifyChecksums, verifyHduChecksum, type HduChecksumStatus } from './checksum';
export { editPrimaryHeader, formatCard, type HeaderEdit } from './header-write';
export * from './model';
export { readOifits, readOiTargetTable, tablesOf, wavelengthFor, arrayFor, targetName, stationLabel } from './read';
export { validateOifits, type Finding } from './validate';
export { availableKinds, buildPlotData, gmstDeg, hourAngleH, isPhaseKind, SERIES_KINDS, type OiPlotData, type PlotSeries, type UvTrack, type SeriesKind } from './plot-data';
export { summariseOifits, type FlagCount, type HduSummary, type OiFileSummary, type OiTableSummary } from './summary';
export * from './quality';
export * from './fit';
export * from './flag-edit';
export { fileStem, productKey, type ProductKeyInputs } from './product-key';
