/**
 * OIFITS files received over SAMP (`samp.fitsReceived`) are announced with a notice and wait in
 * the Review screen's "Received over SAMP" list (`SampIncoming`); they never open by themselves,
 * so the file being reviewed and a half-typed verdict stay until the user switches. Imported
 * eagerly by the screen registry so the notice shows while the (lazy) Review screen is closed.
 */
import { notifications } from '@mantine/notifications';
import { api } from '../../api/client';

let isSubscribed = false;

/** Start announcing SAMP deliveries (once per window). */
export function listenForSampFits(): void {
  if (isSubscribed) return;
  isSubscribed = true;
  api.on('samp.fitsReceived', (f) => {
    notifications.show({
      title: `${f.name} from ${f.senderName}`,
      message: 'Received over SAMP: waiting in the Review screen under "Received over SAMP".',
    });
  });
}

listenForSampFits();
