import { describe, expect, it } from 'vitest';
import { changeDelta, contributionOf, rollupNeeds } from '../../../../shared/stats/contributions.js';
import { InvalidRecordError } from '../../../../shared/stats/errors.js';
import { conclusionItem, reportItem, rollups, surveyItem } from './support.js';

const PERIODS_2024_05 = ['2024', '2024-Q2', '2024-05'];
const keysOf = (scopes: readonly string[], periods: readonly string[] = PERIODS_2024_05) =>
  scopes.flatMap((scope) => periods.map((period) => `${scope}|${period}`)).sort();

describe('contributionOf a survey response', () => {
  it('counts in the ward, its district and the city for the month, quarter and year', () => {
    // Prepare
    const item = surveyItem({ hash: 'a', unitId: '00304', date: '2024-05-20' });

    // Act
    const deltas = contributionOf(item, rollups);

    // Assess
    expect([...deltas.keys()].sort()).toEqual(keysOf(['U#00304', 'U#008', 'U#01']));
    expect(deltas.get('U#01|2024-05')).toEqual({
      surveys: 1,
      satisfied: 1,
      asp_access_n: 1,
      asp_access_ok: 1,
      asp_procedures_n: 1,
      asp_procedures_ok: 1,
      asp_staff_n: 1,
      asp_staff_ok: 1,
      asp_results_n: 1,
      asp_results_ok: 1,
    });
  });

  it('counts a rated feedback aspect and an unsatisfied overall rating', () => {
    // Prepare
    const item = surveyItem({
      hash: 'b',
      ratings: { access: 3, procedures: 2, staff: 4, results: 1, feedback: 2 },
      overall: 3,
    });

    // Act
    const deltas = contributionOf(item, rollups);

    // Assess
    expect(deltas.get('U#00304|2024')).toEqual({
      surveys: 1,
      asp_access_n: 1,
      asp_procedures_n: 1,
      asp_staff_n: 1,
      asp_staff_ok: 1,
      asp_results_n: 1,
      asp_feedback_n: 1,
    });
  });

  it('counts an old ward merged in full in its successor too', () => {
    // Prepare: Khương Thượng (Đống Đa) merged fully into the new Kim Liên ward on 2025-07-01
    const item = surveyItem({ hash: 'c', unitId: '00238', date: '2024-05-02' });

    // Act
    const deltas = contributionOf(item, rollups);

    // Assess
    expect([...deltas.keys()].sort()).toEqual(keysOf(['U#00238', 'U#006', 'U#00229', 'U#01']));
  });
});

describe('contributionOf a conclusion', () => {
  const dongDa = conclusionItem({
    id: 'k1',
    unitIds: ['00238', '00229-pre2025'],
    violations: { organizations: 1, individuals: 15 },
    discipline: [
      { form: 'warning', organizations: 0, individuals: 2 },
      { form: 'reprimand', organizations: 0, individuals: 12 },
      { form: 'expulsion', organizations: 0, individuals: 1 },
    ],
    otherMeasures: { transfers: 3, responsibilityReviews: 4 },
  });

  it('counts once per bucket and every inspected unit under it', () => {
    // Act
    const deltas = contributionOf(dongDa, rollups);

    // Assess
    expect(deltas.get('U#006|2024-Q2')).toEqual({
      conclusions: 1,
      kind_surprise: 1,
      unitsInspected: 2,
      unitsWithViolations: 2,
      violOrgs: 1,
      violInds: 15,
      // Khai trừ is Party discipline: never in the state figures.
      discInds: 14,
      form_warning: 2,
      form_reprimand: 12,
      transfers: 3,
      reviews: 4,
    });
    expect(deltas.get('U#00238|2024')).toMatchObject({ conclusions: 1, unitsInspected: 1, discInds: 14 });
    expect(deltas.get('U#00229|2024')).toMatchObject({ conclusions: 1, unitsInspected: 2 });
  });

  it('counts under its agency as a family of its own', () => {
    // Act
    const deltas = contributionOf(dongDa, rollups);

    // Assess
    expect(deltas.get('A#hanoi-dktcv|2024-05')).toMatchObject({ conclusions: 1, unitsInspected: 2, discInds: 14 });
    expect([...deltas.keys()].filter((key) => key.startsWith('A#'))).toHaveLength(3);
  });

  it('counts no violating unit when nothing was found', () => {
    // Act
    const deltas = contributionOf(conclusionItem({ id: 'k2' }), rollups);

    // Assess
    expect(deltas.get('U#008|2024')).toEqual({ conclusions: 1, kind_surprise: 1, unitsInspected: 1 });
  });

  it('contributes nothing once retracted', () => {
    // Act
    const deltas = contributionOf({ ...dongDa, status: 'retracted', version: 2 }, rollups);

    // Assess
    expect(deltas.size).toBe(0);
  });
});

describe('changeDelta', () => {
  it('moves only what a correction changed', () => {
    // Prepare
    const before = conclusionItem({ id: 'k3', violations: { organizations: 0, individuals: 2 } });
    const after = { ...before, version: 2, violations: { organizations: 1, individuals: 2 } };

    // Act
    const delta = changeDelta(before, after, rollups);

    // Assess: +1 violating organization everywhere; the conclusion still counts once
    expect(delta.get('U#00304|2024-05')).toEqual({ violOrgs: 1 });
    expect(delta.get('A#hanoi-dktcv|2024')).toEqual({ violOrgs: 1 });
  });

  it('moves a corrected date from the old periods to the new ones', () => {
    // Prepare
    const before = conclusionItem({ id: 'k4', issuedOn: '2024-12-31' });
    const after = { ...before, version: 2, issuedOn: '2025-01-02' };

    // Act
    const delta = changeDelta(before, after, rollups);

    // Assess
    expect(delta.get('U#01|2024')).toMatchObject({ conclusions: -1 });
    expect(delta.get('U#01|2025-Q1')).toMatchObject({ conclusions: 1 });
  });

  it('removes everything on a retraction', () => {
    // Prepare
    const before = conclusionItem({ id: 'k5' });

    // Act
    const delta = changeDelta(before, { ...before, status: 'retracted' }, rollups);

    // Assess
    expect(delta.get('U#008|2024-Q2')).toEqual({ conclusions: -1, kind_surprise: -1, unitsInspected: -1 });
  });

  it('replaces a corrected report and ignores items of other entities', () => {
    // Prepare
    const before = reportItem({ unitId: '00304', month: '2024-12', received: 100, resolvedOnTime: 90 });
    const after = { ...before, received: 120, resolvedOnTime: 90, resolvedLate: 5 };

    // Act
    const delta = changeDelta(before, after, rollups);
    const ignored = changeDelta(undefined, { pk: 'RATE#x', sk: 'RATE', entity: 'rate-bucket' }, rollups);

    // Assess
    expect(delta.get('U#008|2024-Q4')).toEqual({ received: 20, resolvedLate: 5 });
    expect(ignored.size).toBe(0);
  });
});

describe('records that cannot be counted', () => {
  it('throws InvalidRecordError for a unit the registry does not know', () => {
    // Act / Assess
    expect(() => contributionOf(surveyItem({ hash: 'x', unitId: '99999' }), rollups)).toThrow(InvalidRecordError);
  });

  it('throws InvalidRecordError, naming the field, for an item without its shape', () => {
    // Prepare
    const item = conclusionItem({ id: 'k6', kind: 'unknown-kind' });

    // Act / Assess
    expect(() => contributionOf(item, rollups)).toThrow(/kind/);
  });
});

describe('rollupNeeds', () => {
  it('names each unit with the date its roll-up is needed for', () => {
    // Act / Assess
    expect(rollupNeeds(conclusionItem({ id: 'k7', unitIds: ['00238', '00304'] }))).toEqual([
      { unitId: '00238', date: '2024-05-20' },
      { unitId: '00304', date: '2024-05-20' },
    ]);
    expect(rollupNeeds(reportItem({ unitId: '00304', month: '2024-12' }))).toEqual([
      { unitId: '00304', date: '2024-12-01' },
    ]);
  });
});
