import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeDelta, contributionOf, storedChangeDelta } from '../../../../shared/stats/contributions.js';
import { parseBucketKey, publishedLayout, storedLayout } from '../../../../shared/stats/counters.js';
import { conclusionItem, registry, reportItem, rollups, surveyItem } from './support.js';

const WARDS = registry
  .all()
  .filter((unit) => unit.level === 3 && unit.id.startsWith('00'))
  .map((unit) => unit.id)
  .slice(0, 60);

const date = fc
  .record({ year: fc.integer({ min: 2023, max: 2026 }), month: fc.integer({ min: 1, max: 12 }), day: fc.nat(27) })
  .map(({ year, month, day }) => `${year}-${String(month).padStart(2, '0')}-${String(day + 1).padStart(2, '0')}`);
const period = fc.oneof(
  fc.integer({ min: 2023, max: 2026 }).map(String),
  fc.tuple(fc.integer({ min: 2023, max: 2026 }), fc.integer({ min: 1, max: 4 })).map(([y, q]) => `${y}-Q${q}`),
  date.map((d) => d.slice(0, 7)),
);
const ward = fc.constantFrom(...WARDS);

/** Any counted item: a response, a conclusion over a few units, a report of a month, a quarter or a year. */
const item = fc.oneof(
  fc.record({ hash: fc.string(), unitId: ward, date, overall: fc.integer({ min: 1, max: 5 }) }).map(surveyItem),
  fc
    .record({
      id: fc.string({ minLength: 1 }),
      unitIds: fc.array(ward, { minLength: 1, maxLength: 4 }),
      issuedOn: date,
    })
    .map(conclusionItem),
  fc.record({ unitId: ward, period, received: fc.nat(900) }).map((r) => reportItem({ ...r, month: undefined })),
);

describe('the stored layout of the counters', () => {
  it('keeps one bucket per scope, from which every published bucket of the record adds up again', () => {
    fc.assert(
      fc.property(item, (it) => {
        // Act
        const published = contributionOf(it, rollups);
        const stored = storedLayout(published);

        // Assess
        const scopes = [...stored.keys()].map((key) => parseBucketKey(key).scope);
        expect(new Set(scopes).size).toBe(scopes.length);
        expect(new Set(scopes)).toEqual(new Set([...published.keys()].map((key) => parseBucketKey(key).scope)));
        expect(publishedLayout(stored)).toEqual(published);
      }),
      { numRuns: 300 },
    );
  });

  it('moves a corrected record between months, quarters and years as the published deltas do', () => {
    fc.assert(
      fc.property(item, item, (before, after) => {
        // Act
        const stored = storedChangeDelta(before, after, rollups);

        // Assess
        expect(publishedLayout(stored)).toEqual(changeDelta(before, after, rollups));
      }),
      { numRuns: 300 },
    );
  });

  it('stores a response in its month only, and a year report in its year', () => {
    // Act
    const response = storedLayout(
      contributionOf(surveyItem({ hash: 'a', unitId: '00304', date: '2024-05-20' }), rollups),
    );
    const yearly = storedLayout(
      contributionOf(reportItem({ unitId: '00304', month: undefined, period: '2024', received: 5 }), rollups),
    );

    // Assess
    expect([...response.keys()].every((key) => key.endsWith('|2024-05'))).toBe(true);
    expect([...yearly.keys()].every((key) => key.endsWith('|2024'))).toBe(true);
    expect(response.get('U#00304|2024-05')).toMatchObject({ surveys: 1 });
  });
});
