/**
 * The screens of the app, in navigation order. Add a screen with one entry: its id, label,
 * icon and component. Screens other than Survey are loaded on first visit (React.lazy), so
 * the first paint of the app does not wait for plots and engines it does not show.
 */
import { IconTable } from '@tabler/icons-react';
import { IconChartDots3, IconTelescope } from '@tabler/icons-react';
import { IconPlugConnected } from '@tabler/icons-react';
import { IconStars } from '@tabler/icons-react';
import { IconMoonStars } from '@tabler/icons-react';
import { IconCloudDown } from '@tabler/icons-react';
import { lazy, type ComponentType } from 'react';
const CalibratorsScreen = lazy(() => import('../features/calibrators').then((m) => ({ default: m.CalibratorsScreen })));
const ReviewScreen = lazy(() => import('../features/review/ReviewScreen').then((m) => ({ default: m.ReviewScreen })));
const SampScreen = lazy(() => import('../features/samp').then((m) => ({ default: m.SampScreen })));
import { SurveyScreen } from '../features/survey/SurveyScreen';
// Side effect: announces OIFITS files received over SAMP while the lazy Review screen is closed.
import '../features/review/samp-inbox';
const TonightScreen = lazy(() => import('../features/tonight/TonightScreen').then((m) => ({ default: m.TonightScreen })));
const SyncScreen = lazy(() => import('../features/sync/SyncScreen').then((m) => ({ default: m.SyncScreen })));
const TargetScreen = lazy(() => import('../features/target/TargetScreen').then((m) => ({ default: m.TargetScreen })));

export interface ScreenDef {
  id: string;
  label: string;
  icon: ComponentType<{ size?: number | string; stroke?: number }>;
  component: ComponentType;
}

export const screens: ScreenDef[] = [
  { id: 'survey', label: 'Survey', icon: IconTable, component: SurveyScreen },
  { id: 'tonight', label: 'Tonight', icon: IconMoonStars, component: TonightScreen },
  { id: 'target', label: 'Target', icon: IconTelescope, component: TargetScreen },
  { id: 'calibrators', label: 'Calibrators', icon: IconStars, component: CalibratorsScreen },
  { id: 'review', label: 'Review', icon: IconChartDots3, component: ReviewScreen },
  { id: 'samp', label: 'SAMP', icon: IconPlugConnected, component: SampScreen },
  { id: 'sync', label: 'Sync', icon: IconCloudDown, component: SyncScreen },
];
