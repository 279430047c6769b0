/**
 * The screens of the app, in navigation order. Add a screen with one entry: its id, label,
 * icon, hotkey (Alt+digit shown in the nav) and component.
 */
import { IconTable } from '@tabler/icons-react';
import { IconChartDots3, IconTelescope } from '@tabler/icons-react';
import { IconPlugConnected } from '@tabler/icons-react';
import { IconStars } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { CalibratorsScreen } from '../features/calibrators';
import { ReviewScreen } from '../features/review/ReviewScreen';
import { SampScreen } from '../features/samp';
import { SurveyScreen } from '../features/survey/SurveyScreen';
import { TargetScreen } from '../features/target/TargetScreen';

export interface ScreenDef {
  id: string;
  label: string;
  icon: ComponentType<{ size?: number | string; stroke?: number }>;
  component: ComponentType;
}

export const screens: ScreenDef[] = [
  { id: 'survey', label: 'Survey', icon: IconTable, component: SurveyScreen },
  { id: 'target', label: 'Target', icon: IconTelescope, component: TargetScreen },
  { id: 'calibrators', label: 'Calibrators', icon: IconStars, component: CalibratorsScreen },
  { id: 'review', label: 'Review', icon: IconChartDots3, component: ReviewScreen },
  { id: 'samp', label: 'SAMP', icon: IconPlugConnected, component: SampScreen },
];
