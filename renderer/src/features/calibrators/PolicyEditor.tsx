/** The saved selection policy: the thresholds and ranking coefficients the team may tune. */
import { Button, Group, Modal, NumberInput, SegmentedControl, SimpleGrid, Stack, Switch, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { CalibratorPolicy, NssThresholds, PolicyPreset } from '../../../../shared/calibrators/policy';
import { api } from '../../api/client';
import { useApi } from '../../api/hooks';

type NumericKey = { [K in keyof CalibratorPolicy]: CalibratorPolicy[K] extends number ? K : never }[keyof CalibratorPolicy];

/** Fields shown, with their label and the factor between the stored value and the shown one. */
const FIELDS: Array<{ key: NumericKey; label: string; scale?: number; step?: number }> = [
  { key: 'radiusDeg', label: 'Search radius (°)' },
  { key: 'widenRadiusDeg', label: 'Widened radius (°)' },
  { key: 'minCandidates', label: 'Widen below N candidates' },
  { key: 'maxDeltaMagAllowed', label: '|ΔR| allowed (mag)', step: 0.1 },
  { key: 'maxDeltaMagPreferred', label: '|ΔR| preferred (mag)', step: 0.1 },
  { key: 'minVis2', label: 'V² floor at 0.614 µm', step: 0.05 },
  { key: 'maxVis2RelErr', label: 'max σ(V²)/V² (%)', scale: 100, step: 0.5 },
  { key: 'maxDiamRelErr', label: 'max σθ/θ (%)', scale: 100, step: 1 },
  { key: 'minDecDeg', label: 'Dec limit (°)' },
  { key: 'maxAirmass', label: 'max airmass', step: 0.1 },
  { key: 'wdsVetoArcsec', label: 'WDS veto below (″)', step: 0.5 },
  { key: 'defaultBaselineM', label: 'Baseline without a night (m)' },
  { key: 'kSkyPer10Deg', label: 'σ_sky per 10° (%)', scale: 100, step: 0.1 },
  { key: 'kAirmassPer02', label: 'σ per 0.2 airmass (%)', scale: 100, step: 0.1 },
  { key: 'kMagPerMag', label: 'σ per mag beyond 0.5 (%)', scale: 100, step: 0.1 },
  { key: 'kResolved', label: 'σ_res × (1 − V²) (%)', scale: 100, step: 0.1 },
];

/** NSS 2025's thresholds (nss.py defaults), editable like NSS's own entry fields. */
const NSS_FIELDS: Array<{ key: keyof NssThresholds; label: string; step?: number }> = [
  { key: 'primDecRangeDeg', label: 'Primary: Dec ± (°)' },
  { key: 'primVmagRange', label: 'Primary: V ± (mag)', step: 0.5 },
  { key: 'secDecRangeDeg', label: 'Secondary: Dec ± (°)' },
  { key: 'secVmagRange', label: 'Secondary: V < median + (mag)', step: 0.5 },
  { key: 'secMaxLddChi2', label: 'Secondary: LDD χ² <', step: 0.5 },
  { key: 'secMaxRelErrPct', label: 'Secondary: e_LDD/UDD_R < (%)' },
  { key: 'secMinVis2', label: 'Secondary: V² > (0.75 µm)', step: 0.05 },
  { key: 'maxSecondaries', label: 'Refuse above N secondaries' },
];

export function PolicyEditor({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const saved = useApi('calibrators.policy.get', opened ? {} : null);
  const [draft, setDraft] = useState<Partial<CalibratorPolicy> | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Take the saved policy once per opening, so a late reply never overwrites what was typed.
  useEffect(() => {
    if (!opened) setDraft(null);
    else if (saved.data) setDraft((d) => d ?? saved.data!);
  }, [opened, saved.data]);
  const save = async (reset: boolean) => {
    setError(null);
    try {
      const patch: Partial<CalibratorPolicy> = {};
      for (const f of FIELDS) if (typeof draft?.[f.key] === 'number') (patch as Record<string, number>)[f.key] = draft[f.key] as number;
      if (draft?.preset) patch.preset = draft.preset;
      if (typeof draft?.preferPrimary === 'boolean') patch.preferPrimary = draft.preferPrimary;
      if (draft?.nss) patch.nss = draft.nss;
      await api.call('calibrators.policy.set', reset ? { reset: true } : { patch });
      saved.reload();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal opened={opened} onClose={onClose} title="Calibrator policy" size="lg">
      <Stack gap="sm">
        <Group gap="md" align="center">
          <SegmentedControl
            size="xs"
            value={draft?.preset ?? 'spica-companion'}
            onChange={(v) => setDraft((d) => ({ ...d, preset: v as PolicyPreset }))}
            data={[{ value: 'spica-companion', label: 'App policy' }, { value: 'nss-2025', label: 'NSS 2025' }]}
            disabled={draft === null}
            data-testid="policy-preset"
          />
          <Switch size="xs" label="Primary calibrators first" checked={draft?.preferPrimary ?? true} onChange={(e) => { const v = e.currentTarget.checked; setDraft((d) => ({ ...d, preferPrimary: v })); }} disabled={draft === null} />
        </Group>
        {draft?.preset === 'nss-2025' && (
          <>
            <Text size="xs" c="dimmed">
              NSS 2025 (nss.py v2025-09): primary-list stars within the night's LST window, Dec and V windows around the target; JSDC-quality secondaries in a narrow Dec strip; more than the limit and NSS refuses the list. The app's hard vetoes (Be, multiplicity, variability, BadCal) still apply on top.
            </Text>
            <SimpleGrid cols={4} spacing="xs">
              {NSS_FIELDS.map((f) => (
                <NumberInput
                  key={f.key}
                  label={f.label}
                  size="xs"
                  step={f.step ?? 1}
                  decimalScale={3}
                  value={draft.nss?.[f.key] ?? ''}
                  onChange={(v) => typeof v === 'number' && setDraft((d) => ({ ...d, nss: { ...d!.nss!, [f.key]: v } }))}
                  data-testid={`policy-nss-${f.key}`}
                />
              ))}
            </SimpleGrid>
          </>
        )}
        <SimpleGrid cols={3} spacing="xs">
          {FIELDS.map((f) => (
            <NumberInput
              key={f.key}
              label={f.label}
              size="xs"
              step={f.step ?? 1}
              decimalScale={3}
              disabled={draft === null}
              value={typeof draft?.[f.key] === 'number' ? (draft[f.key] as number) * (f.scale ?? 1) : ''}
              onChange={(v) => typeof v === 'number' && setDraft((d) => ({ ...d, [f.key]: v / (f.scale ?? 1) }))}
              data-testid={`policy-${f.key}`}
            />
          ))}
        </SimpleGrid>
        {error && <Text c="red" size="sm">{error}</Text>}
        <Group justify="space-between">
          <Button variant="subtle" color="gray" onClick={() => save(true)}>Restore defaults</Button>
          <Group gap="xs">
            <Button variant="default" onClick={onClose}>Cancel</Button>
            <Button onClick={() => save(false)} disabled={draft === null} data-testid="policy-save">Save</Button>
          </Group>
        </Group>
      </Stack>
    </Modal>
  );
}
