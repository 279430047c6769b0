import { describe, expect, it } from 'vitest';
import {
  completionAfterObservation,
  completionFlag,
  finalPriority,
  finalPriorityOneProgramme,
  finalPriorityTwoProgrammes,
} from '../../../shared/nss/rules';

// Expected values are the NSS tables of ../shared/docs/aspro2-chara.md §4.3 (spica-nss v2025-09).
describe('NSS completion increments', () => {
  it.each([
    ['DIA', 0.5],
    ['DLD', 0.25],
    ['IMA', 0.1],
    ['TMP', 0.1],
    ['SPI', 0.2],
  ] as const)('%s adds %f per validated observation', (mode, step) => {
    expect(completionAfterObservation(0, mode)).toBeCloseTo(step, 12);
    expect(completionAfterObservation(0.95, mode)).toBe(1);
  });
  it('adds without floating-point drift', () => {
    let rate = 0;
    for (let i = 0; i < 3; i++) rate = completionAfterObservation(rate, 'IMA');
    expect(rate).toBe(0.3);
  });
});

describe('NSS completion flag', () => {
  it('DIA is complete as soon as started', () => {
    expect(completionFlag(0, 'DIA')).toBe(3);
    expect(completionFlag(0.01, 'DIA')).toBe(1);
  });
  it.each(['DLD', 'IMA', 'TMP'] as const)('%s: 1 from 0.5, 2 when started below', (mode) => {
    expect(completionFlag(0, mode)).toBe(3);
    expect(completionFlag(0.25, mode)).toBe(2);
    expect(completionFlag(0.49, mode)).toBe(2);
    expect(completionFlag(0.5, mode)).toBe(1);
  });
  it('SPI is always 3', () => {
    expect(completionFlag(0, 'SPI')).toBe(3);
    expect(completionFlag(0.6, 'SPI')).toBe(3);
  });
});

describe('NSS final priority', () => {
  it('one programme', () => {
    expect(finalPriorityOneProgramme(1, 0)).toBe(1);
    expect(finalPriorityOneProgramme(1, 1)).toBe(1);
    expect(finalPriorityOneProgramme(2, 0)).toBe(1);
    expect(finalPriorityOneProgramme(2, 1)).toBe(2);
    expect(finalPriorityOneProgramme(3, 0)).toBe(3);
    expect(finalPriorityOneProgramme(3, 1)).toBe(3);
  });
  it('two programmes', () => {
    expect(finalPriorityTwoProgrammes(1, 1, true)).toBe(1);
    expect(finalPriorityTwoProgrammes(2, 0, true)).toBe(1);
    expect(finalPriorityTwoProgrammes(3, 0, true)).toBe(2);
    expect(finalPriorityTwoProgrammes(2, 1, true)).toBe(2);
    expect(finalPriorityTwoProgrammes(2, 1, false)).toBe(3);
    expect(finalPriorityTwoProgrammes(3, 1, false)).toBe(4);
  });
  it('picks the rule from the programme count and finishing started targets comes first', () => {
    const started = finalPriority({ completionRate: 0.25, mode: 'DLD', piPriority: 1, programmeCount: 1 });
    const fresh = finalPriority({ completionRate: 0, mode: 'DLD', piPriority: 1, programmeCount: 1 });
    expect(started).toBeLessThan(fresh);
    expect(finalPriority({ completionRate: 0, mode: 'DIA', piPriority: 1, programmeCount: 2 })).toBe(2);
  });
});
