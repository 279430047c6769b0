/**
 * Tonight's state, kept above the screen (renderer/src/app/screen-state.ts) so leaving for Target
 * or Calibrators and coming back finds it as it was: the configuration (kept across reloads), and
 * per night the Dec strip chosen (so "Plan night" never silently re-plans the whole sky), the
 * seeing typed, the selected block and the open tab.
 */
import { useMemo } from 'react';
import type { DecStrip } from '../../../../shared/planner/selection';
import { useScreenState } from '../../app/screen-state';
import { currentNight } from './format';

export type TonightTab = 'left-out' | 'strips' | 'log';

export function useTonightState() {
  const [night, setNight] = useScreenState('tonight.night', currentNight());
  const [stations, setStations] = useScreenState('tonight.stations', 'S1,S2,E1,E2,W1,W2', { persist: true });
  const [pops, setPops] = useScreenState('tonight.pops', 'auto', { persist: true });
  const [minElevationDeg, setMinElevation] = useScreenState('tonight.minElevationDeg', 30, { persist: true });
  const [twilightDeg, setTwilight] = useScreenState('tonight.twilightDeg', '-18', { persist: true });
  const [maxPriority, setMaxPriority] = useScreenState<string | null>('tonight.maxPriority', null, { persist: true });
  const [tab, setTab] = useScreenState<TonightTab>('tonight.tab', 'left-out', { persist: true });
  const [strip, setStrip] = useScreenState<DecStrip | null>(`tonight.strip.${night}`, null, { persist: true });
  const [seeingArcsec, setSeeing] = useScreenState<number | null>(`tonight.seeing.${night}`, null, { persist: true });
  const [notes, setNotes] = useScreenState(`tonight.notes.${night}`, '');
  const [selectedId, setSelectedId] = useScreenState<string | null>(`tonight.selected.${night}`, null);
  const [fromTime, setFromTime] = useScreenState('tonight.fromTime', '');

  const config = useMemo(
    () => ({
      stations: stations.split(/[,\s-]+/).map((s) => s.trim().toUpperCase()).filter(Boolean) as Array<'S1' | 'S2' | 'E1' | 'E2' | 'W1' | 'W2'>,
      pops: pops.trim() || 'auto',
      minElevationDeg,
      twilightDeg: Number(twilightDeg),
    }),
    [stations, pops, minElevationDeg, twilightDeg],
  );
  const selection = useMemo(
    () => ({
      ...(strip ? { decMinDeg: strip.decMinDeg, decMaxDeg: strip.decMaxDeg } : {}),
      ...(maxPriority ? { maxFinalPriority: Number(maxPriority) } : {}),
    }),
    [strip, maxPriority],
  );

  return {
    night, setNight, stations, setStations, pops, setPops, minElevationDeg, setMinElevation, twilightDeg, setTwilight,
    maxPriority, setMaxPriority, tab, setTab, strip, setStrip, seeingArcsec, setSeeing, notes, setNotes,
    selectedId, setSelectedId, fromTime, setFromTime, config, selection,
  };
}

export type TonightState = ReturnType<typeof useTonightState>;
