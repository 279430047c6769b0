/** Tonight's settings row: night, configuration, constraints, selection, Plan, ASPRO2, re-plan time. */
import { Button, Group, NumberInput, Select, TextInput } from '@mantine/core';
import type { PlanView } from '../../../../shared/planner/api-types';
import { SendPlanToAspro2Button } from '../samp';
import { utInNight } from './format';
import type { TonightActions } from './useTonightActions';
import type { TonightState } from './tonight-state';

export function TonightToolbar({ state, plan, actions }: { state: TonightState; plan: PlanView | null; actions: TonightActions }) {
  const fromCheck = plan && state.fromTime.trim() ? utInNight(state.fromTime, plan.windowStartUtc, plan.windowEndUtc) : null;
  return (
    <Group gap="xs" align="flex-start" wrap="wrap">
      <TextInput size="xs" label="Night (local evening)" w={120} value={state.night} onChange={(e) => state.setNight(e.currentTarget.value)} data-testid="night-input" />
      <TextInput size="xs" label="Configuration" w={170} value={state.stations} onChange={(e) => state.setStations(e.currentTarget.value)} data-testid="config-input" />
      <TextInput size="xs" label="PoPs" w={80} value={state.pops} onChange={(e) => state.setPops(e.currentTarget.value)} />
      <NumberInput size="xs" label="Min elev. (°)" w={90} min={10} max={80} value={state.minElevationDeg} onChange={(v) => typeof v === 'number' && state.setMinElevation(v)} />
      <Select size="xs" label="Twilight" w={130} value={state.twilightDeg} onChange={(v) => v && state.setTwilight(v)} data={[{ value: '-18', label: 'astronomical' }, { value: '-12', label: 'nautical' }]} allowDeselect={false} />
      <Select size="xs" label="Priorities" w={110} value={state.maxPriority} onChange={state.setMaxPriority} clearable placeholder="all" data={['1', '2', '3', '4'].map((p) => ({ value: p, label: `P1–P${p}` }))} />
      <Button size="xs" mt={22} variant={state.strip ? 'light' : 'default'} onClick={() => state.setStrip(null)} disabled={!state.strip} data-testid="strip-chip" title={state.strip ? 'Plan night uses this Dec strip; click to plan the whole sky' : 'Pick a Dec strip in the Dec strips tab'}>
        {state.strip ? `Dec ${state.strip.decMinDeg}…${state.strip.decMaxDeg}° ✕` : 'all Dec'}
      </Button>
      <Button size="xs" mt={22} onClick={() => void actions.makePlan()} loading={actions.isBusy} data-testid="plan-button">
        Plan night{state.strip ? ` (Dec ${state.strip.decMinDeg}…${state.strip.decMaxDeg}°)` : ''}
      </Button>
      {plan && plan.blocks.some((b) => b.kind === 'SCI') && (
        <div style={{ marginTop: 22 }}>
          <SendPlanToAspro2Button planId={plan.id} planName={plan.name} />
        </div>
      )}
      <TextInput
        size="xs"
        label="Re-plan from (UT)"
        placeholder="now"
        w={150}
        value={state.fromTime}
        onChange={(e) => state.setFromTime(e.currentTarget.value)}
        error={fromCheck && 'error' in fromCheck ? fromCheck.error : undefined}
        data-testid="from-input"
      />
    </Group>
  );
}
