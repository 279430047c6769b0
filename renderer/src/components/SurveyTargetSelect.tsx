/** A searchable picker of survey targets by name, shared by the screens that work on one target. */
import { Select } from '@mantine/core';
import { useMemo } from 'react';
import { useApi } from '../api/hooks';

export interface SurveyTargetSelectProps {
  label: string;
  value: string | null;
  onChange(id: string | null): void;
  width: number;
  testId: string;
}

export function SurveyTargetSelect({ label, value, onChange, width, testId }: SurveyTargetSelectProps) {
  const list = useApi('survey.list', { filter: {}, sort: { key: 'name', direction: 'asc' } });
  const options = useMemo(() => (list.data?.rows ?? []).map((r) => ({ value: r.id, label: r.name })), [list.data]);
  return (
    <Select
      label={label}
      placeholder={list.isLoading ? 'loading survey…' : 'pick a survey target'}
      searchable
      limit={50}
      data={options}
      value={value}
      onChange={onChange}
      w={width}
      data-testid={testId}
    />
  );
}
