/** Status widgets shown in the header, right side (e.g. the SAMP indicator). */
import { SampStatus } from '../features/samp';

export function HeaderExtras() {
  return <SampStatus />;
}
