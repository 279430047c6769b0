/** The Survey filter bar: free text, programme, PI, mode, final priority, V and Dec ranges. */
import { Button, Chip, Group, MultiSelect, NumberInput, TextInput } from '@mantine/core';
import { IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useRef } from 'react';
import type { SurveyFacets } from '../../../../shared/contract/survey';
import type { TargetFilter } from '../../../../shared/model/survey';
import { useKeys } from '../../app/keys';

export interface SurveyFiltersProps {
  filter: TargetFilter;
  facets: SurveyFacets | undefined;
  onChange(filter: TargetFilter): void;
}

const num = (v: string | number): number | undefined => (v === '' || v === undefined ? undefined : Number(v));

export function SurveyFilters({ filter, facets, onChange }: SurveyFiltersProps) {
  const searchRef = useRef<HTMLInputElement>(null);
  useKeys('survey', [{ keys: '/', run: () => searchRef.current?.focus(), help: 'search the survey (Esc leaves the box)' }]);
  const set = (patch: Partial<TargetFilter>) => {
    const next: TargetFilter = { ...filter, ...patch };
    for (const k of Object.keys(next) as Array<keyof TargetFilter>) {
      const v = next[k];
      if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) delete next[k];
    }
    onChange(next);
  };
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <TextInput
        ref={searchRef}
        label="Search"
        placeholder="name, id, SpT, PI…  ( / )"
        leftSection={<IconSearch size={14} />}
        value={filter.text ?? ''}
        onChange={(e) => set({ text: e.currentTarget.value })}
        onKeyDown={(e) => e.key === 'Escape' && e.currentTarget.blur()}
        w={220}
        data-testid="filter-text"
      />
      <MultiSelect label="Programme" data={facets?.programmes ?? []} value={filter.programmes ?? []} onChange={(v) => set({ programmes: v })} w={170} clearable searchable data-testid="filter-programme" />
      <MultiSelect label="PI" data={facets?.pis ?? []} value={filter.pis ?? []} onChange={(v) => set({ pis: v })} w={190} clearable searchable data-testid="filter-pi" />
      <MultiSelect label="Mode" data={['DIA', 'DLD', 'IMA', 'TMP', 'SPI']} value={filter.modes ?? []} onChange={(v) => set({ modes: v })} w={150} clearable data-testid="filter-mode" />
      <Chip.Group multiple value={(filter.finalPriorities ?? []).map(String)} onChange={(v) => set({ finalPriorities: v.map(Number) })}>
        <Group gap={4} pb={4} data-testid="filter-priority">
          {[1, 2, 3, 4].map((p) => (
            <Chip key={p} value={String(p)} size="xs">P{p}</Chip>
          ))}
        </Group>
      </Chip.Group>
      <NumberInput label="V min" value={filter.vmagMin ?? ''} onChange={(v) => set({ vmagMin: num(v) })} w={76} step={0.5} decimalScale={2} data-testid="filter-vmin" />
      <NumberInput label="V max" value={filter.vmagMax ?? ''} onChange={(v) => set({ vmagMax: num(v) })} w={76} step={0.5} decimalScale={2} data-testid="filter-vmax" />
      <NumberInput label="Dec min °" value={filter.decMinDeg ?? ''} onChange={(v) => set({ decMinDeg: num(v) })} w={84} min={-90} max={90} data-testid="filter-decmin" />
      <NumberInput label="Dec max °" value={filter.decMaxDeg ?? ''} onChange={(v) => set({ decMaxDeg: num(v) })} w={84} min={-90} max={90} data-testid="filter-decmax" />
      <Button variant="subtle" size="xs" leftSection={<IconFilterOff size={14} />} onClick={() => onChange({})} mb={4}>
        Clear
      </Button>
    </Group>
  );
}
