import { describe, expect, it } from 'vitest';
import { countByVillage, countByVillageWithTotals } from './village-rollup';

describe('countByVillage', () => {
  const households = [
    { id: 'h1', villageId: 'v1' },
    { id: 'h2', villageId: 'v1' },
    { id: 'h3', villageId: 'v1' },
    { id: 'h4', villageId: 'v2' },
  ];

  it('counts households, those assessed for Gia đình học tập this year, and those that passed', () => {
    const counts = countByVillage(
      households,
      [
        { subjectId: 'h1', title: 'learning_family', year: 2026, passed: true },
        { subjectId: 'h2', title: 'learning_family', year: 2026, passed: false },
        { subjectId: 'h3', title: 'learning_family', year: 2025, passed: true },
        { subjectId: 'h4', title: 'learning_citizen', year: 2026, passed: true },
      ],
      2026,
    );
    expect(counts.get('v1')).toEqual({ households: 3, familyAssessed: 2, familyPassed: 1 });
    expect(counts.get('v2')).toEqual({ households: 1, familyAssessed: 0, familyPassed: 0 });
  });

  it('has no entry for a village without households', () => {
    expect(countByVillage(households, [], 2026).has('v3')).toBe(false);
  });
});

describe('countByVillageWithTotals', () => {
  it('gives the same counts from household totals and the assessed households alone', () => {
    const assessments = [
      { subjectId: 'h1', title: 'learning_family' as const, year: 2026, passed: true },
      { subjectId: 'h2', title: 'learning_family' as const, year: 2026, passed: false },
    ];
    const all = [
      { id: 'h1', villageId: 'v1' },
      { id: 'h2', villageId: 'v1' },
      { id: 'h3', villageId: 'v1' },
      { id: 'h4', villageId: 'v2' },
    ];
    const totals = new Map([
      ['v1', 3],
      ['v2', 1],
      ['v3', 0],
    ]);
    const fromTotals = countByVillageWithTotals(totals, all.slice(0, 2), assessments, 2026);
    expect(fromTotals).toEqual(countByVillage(all, assessments, 2026));
    expect(fromTotals.has('v3')).toBe(false);
  });
});
