/** Status widgets shown in the header, right side (the SPICA-DB sync and SAMP indicators). */
import { SampStatus } from '../features/samp';
import { SyncIndicator } from '../features/sync/SyncIndicator';

export function HeaderExtras() {
  return (
    <>
      <SyncIndicator />
      <SampStatus />
    </>
  );
}
