/**
 * "Why this order" for the Tonight screen: the plan's objective in one line (value against the
 * optimiser's upper bound; the objective's full text on hover), the one-line reason of each
 * sequence on demand, and a banner when the plan no longer matches the survey, the calibrators
 * or the policy (`PlanView.stale`, event `planner.stale`) with a re-plan button.
 */
import { Alert, Button, Group, Popover, Stack, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PlanView } from '../../../../shared/planner/api-types';
import { useApiEvent } from '../../api/hooks';

export interface PlanWhyProps {
  plan: PlanView;
  onReplan: () => void;
  isBusy: boolean;
  /** Settings on the screen that differ from the plan's own (`configDrift`); "Plan night" applies them. */
  drift: string[];
  onPlan: () => void;
}

export function PlanWhy({ plan, onReplan, isBusy, drift, onPlan }: PlanWhyProps) {
  const [stale, setStale] = useState<string[]>(plan.stale ?? []);
  useEffect(() => setStale(plan.stale ?? []), [plan]);
  useApiEvent('planner.stale', (e) => {
    if (e.planId === plan.id) setStale(e.reasons);
  });
  const s = plan.summary;
  const share = s && s.bound && s.bound > 0 ? Math.min(100, (100 * s.value) / s.bound) : null;
  return (
    <Stack gap={4}>
      {drift.length > 0 && (
        <Alert color="yellow" p="xs" data-testid="plan-config-changed" title="The settings changed since this plan">
          <Group gap="xs" justify="space-between" wrap="nowrap">
            <Text size="xs">{drift.join('; ')}. The plan shown keeps its own settings (re-planning too).</Text>
            <Button size="compact-xs" variant="light" onClick={onPlan} disabled={isBusy} data-testid="plan-config-apply">
              Plan night with them
            </Button>
          </Group>
        </Alert>
      )}
      {stale.length > 0 && (
        <Alert color="yellow" p="xs" data-testid="plan-stale" title="This plan is out of date">
          <Group gap="xs" justify="space-between" wrap="nowrap">
            <Text size="xs">{stale.join('; ')}.</Text>
            <Button size="compact-xs" variant="light" onClick={onReplan} disabled={isBusy} data-testid="plan-stale-replan">
              Re-plan (r)
            </Button>
          </Group>
        </Alert>
      )}
      {plan.objective && (
        <Group gap="xs" data-testid="plan-why">
          <Tooltip label={plan.objective} multiline w={520} withArrow>
            <Text size="xs" c="dimmed" tabIndex={0}>
              Why this order: the most valuable night found (final priority first, then started targets, hour angle
              {plan.options?.modelPolicy === 'prefer' ? ', predicted V²' : ''}; few PoP changes)
              {share !== null && ` · value ${s!.value.toFixed(0)}, ${share.toFixed(1)} % of the best possible (${s!.bound!.toFixed(0)})`}
            </Text>
          </Tooltip>
          {(plan.order?.length ?? 0) > 0 && (
            <Popover width={520} position="bottom-start" withArrow>
              <Popover.Target>
                <Button size="compact-xs" variant="subtle" data-testid="plan-why-order">
                  per sequence
                </Button>
              </Popover.Target>
              <Popover.Dropdown>
                <Stack gap={2}>
                  {plan.order!.map((line) => (
                    <Text size="xs" key={line}>
                      {line}
                    </Text>
                  ))}
                </Stack>
              </Popover.Dropdown>
            </Popover>
          )}
        </Group>
      )}
    </Stack>
  );
}
