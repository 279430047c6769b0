/**
 * Panels other features contribute to the target drawer (observability, calibrators, …), in
 * display order. Each receives the target id.
 */
import type { ComponentType } from 'react';
import { CalibratorsPanel } from '../features/calibrators';
import { TargetObservabilityDrawerPanel } from '../features/target/TargetNightPanel';

export const targetPanels: Array<ComponentType<{ targetId: string }>> = [TargetObservabilityDrawerPanel, CalibratorsPanel];
