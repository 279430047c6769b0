/**
 * Panels other features contribute to the target drawer (observability, calibrators, …), in
 * display order. Each receives the target id.
 */
import type { ComponentType } from 'react';

export const targetPanels: Array<ComponentType<{ targetId: string }>> = [];
