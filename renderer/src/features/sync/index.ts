/** The sync feature: header indicator, Sync panel, and the target drawer's SPICA-DB fields. */
export { SyncIndicator } from './SyncIndicator';
export { SyncScreen } from './SyncScreen';
export { PiFieldsPanel } from './PiFieldsPanel';
