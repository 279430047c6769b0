/**
 * The screens of the app, in navigation order. Add a screen with one entry: its id, label,
 * icon, hotkey (Alt+digit shown in the nav) and component.
 */
import { IconTable } from '@tabler/icons-react';
import { IconChartDots3 } from '@tabler/icons-react';
import type { ComponentType } from 'react';
import { ReviewScreen } from '../features/review/ReviewScreen';
import { SurveyScreen } from '../features/survey/SurveyScreen';

export interface ScreenDef {
  id: string;
  label: string;
  icon: ComponentType<{ size?: number | string; stroke?: number }>;
  component: ComponentType;
}

export const screens: ScreenDef[] = [
  { id: 'survey', label: 'Survey', icon: IconTable, component: SurveyScreen },
  { id: 'review', label: 'Review', icon: IconChartDots3, component: ReviewScreen },
];
