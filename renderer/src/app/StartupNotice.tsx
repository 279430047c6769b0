/**
 * Shows start-up work (first start: the demo survey) as a notification while it runs, so the
 * window is useful at once instead of appearing after the work. Reads `app.startup` once, then
 * follows `app.startupChanged`.
 */
import { notifications } from '@mantine/notifications';
import { useEffect, useRef } from 'react';
import type { StartupStatus } from '../../../shared/contract/app';
import { api } from '../api/client';
import { useApiEvent } from '../api/hooks';

const NOTICE_ID = 'startup-work';

export function StartupNotice() {
  const shown = useRef(false);
  const show = (s: StartupStatus): void => {
    if (s.state === 'running') {
      const options = { id: NOTICE_ID, loading: true, autoClose: false as const, withCloseButton: false, message: s.task ?? 'Starting…' };
      if (shown.current) notifications.update(options);
      else notifications.show(options);
      shown.current = true;
    } else if (s.state === 'failed' || (shown.current && s.state === 'done')) {
      (shown.current ? notifications.update : notifications.show)({
        id: NOTICE_ID,
        loading: false,
        withCloseButton: true,
        autoClose: s.state === 'done' ? 3000 : false,
        color: s.state === 'failed' ? 'red' : undefined,
        message: s.state === 'done' ? `${s.task?.replace(/…$/, '') ?? 'Start-up work'}: done` : `${s.task ?? 'Start-up work'} failed: ${s.error}`,
      });
      shown.current = true;
    }
  };
  useApiEvent('app.startupChanged', show);
  useEffect(() => {
    // Once on mount: later changes arrive as events.
    api.call('app.startup', {}).then(show, () => undefined);
  }, []);
  return null;
}
