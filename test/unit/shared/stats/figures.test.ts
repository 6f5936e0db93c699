import { describe, expect, it } from 'vitest';
import type { BucketDeltas, Counters } from '../../../../shared/stats/counters.js';
import { buildFigures, periodFigures, suppressionGroups } from '../../../../shared/stats/figures.js';
import { wilsonInterval } from '../../../../shared/stats/methodology.js';
import { registry } from './support.js';

const groups = suppressionGroups(registry.all());
const responses = (n: number, satisfied = n): Counters => ({
  surveys: n,
  satisfied,
  asp_access_n: n,
  asp_access_ok: satisfied,
});

/** Counters of a district and its wards that add up, as the aggregation leaves them. */
function district(wards: Record<string, number>, period = '2024'): BucketDeltas {
  const out: BucketDeltas = new Map();
  let total = 0;
  for (const [ward, n] of Object.entries(wards)) {
    out.set(`U#${ward}|${period}`, responses(n));
    total += n;
  }
  out.set(`U#006|${period}`, responses(total));
  out.set(`U#01|${period}`, responses(total + 1_000));
  return out;
}

describe('suppressionGroups', () => {
  it('groups wards under their district and old wards under the successor they merged into in full', () => {
    // Act
    const byContainer = new Map(groups.map((group) => [group.container, group.members]));

    // Assess
    expect(byContainer.get('006')).toContain('00238');
    expect(byContainer.get('00229')).toContain('00238');
    expect(byContainer.get('01')).toContain('006');
  });
});

describe('buildFigures', () => {
  it('withholds a count under 10 and the next smallest ward of the district, so neither can be derived', () => {
    // Prepare: Đống Đa wards, one with 4 responses
    const counters = district({ '00238': 4, '00178': 25, '00181': 40, '00187': 60 });

    // Act
    const figures = buildFigures(counters, groups);

    // Assess
    const n = (id: string) => figures.get(`U#${id}`)?.get('2024')?.satisfaction.responses;
    expect(n('00238')).toBeNull();
    expect(n('00178')).toBeNull();
    expect(n('00181')).toBe(40);
    expect(n('006')).toBe(129);
  });

  it('shows a share from 30 responses only, with its Wilson interval', () => {
    // Prepare
    const counters = district({ '00178': 29, '00181': 31, '00187': 60 });

    // Act
    const figures = buildFigures(counters, groups);

    // Assess
    const f = (id: string) => figures.get(`U#${id}`)?.get('2024')?.satisfaction;
    expect(f('00178')?.responses).toBe(29);
    expect(f('00178')?.overall).toBeNull();
    // 00181 would give 00178's satisfied count away (district minus the others): its share is withheld too
    expect(f('00181')?.overall).toBeNull();
    expect(f('00187')?.overall).toEqual(wilsonInterval(60, 60));
    expect(f('006')?.aspects.access.share).toEqual(wilsonInterval(120, 120));
  });
});

describe('periodFigures', () => {
  it('turns counters into the published figures, every kind and form present', () => {
    // Act
    const figures = periodFigures(
      {
        conclusions: 2,
        kind_surprise: 2,
        unitsInspected: 3,
        unitsWithViolations: 1,
        discInds: 15,
        form_warning: 2,
        form_reprimand: 12,
        form_expulsion: 1,
        received: 100,
        resolvedEarly: 10,
        resolvedOnTime: 80,
        resolvedLate: 10,
      },
      () => false,
    );

    // Assess
    expect(figures.inspections).toMatchObject({ total: 2, unitsInspected: 3, unitsWithViolations: 1 });
    expect(figures.inspections.byKind).toEqual({
      surprise: 2,
      planned: 0,
      regular: 0,
      specialized: 0,
      thematic: 0,
      directed: 0,
    });
    expect(figures.inspections.violatingShare).toEqual(wilsonInterval(1, 3));
    expect(figures.disciplined.byForm).toMatchObject({ warning: 2, reprimand: 12, expulsion: 1, demotion: 0 });
    expect(figures.procedures.onTimeRate).toEqual(wilsonInterval(90, 100));
    expect(figures.satisfaction).toMatchObject({ responses: 0, overall: null });
  });
});
