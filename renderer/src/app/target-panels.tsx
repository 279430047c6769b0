/**
 * Panels other features contribute to the target drawer (observability, calibrators, …), in
 * display order. Each receives the target id; they load on first use so the Survey screen's
 * first paint does not carry plots and engines.
 */
import { lazy, type ComponentType } from 'react';

const TargetObservabilityDrawerPanel = lazy(() =>
  import('../features/target/TargetNightPanel').then((m) => ({ default: m.TargetObservabilityDrawerPanel })),
);
const PiFieldsPanel = lazy(() => import('../features/sync/PiFieldsPanel').then((m) => ({ default: m.PiFieldsPanel })));
const CalibratorsPanel = lazy(() => import('../features/calibrators').then((m) => ({ default: m.CalibratorsPanel })));
const ModelPanel = lazy(() => import('../features/models').then((m) => ({ default: m.ModelPanel })));

export const targetPanels: Array<ComponentType<{ targetId: string }>> = [PiFieldsPanel, TargetObservabilityDrawerPanel, ModelPanel, CalibratorsPanel];
