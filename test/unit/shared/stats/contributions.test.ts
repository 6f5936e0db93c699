import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { changeDelta, contributionOf, rollupNeeds } from '../../../../shared/stats/contributions.js';
import { InvalidRecordError } from '../../../../shared/stats/errors.js';
import { recompute } from '../../../../shared/stats/recompute.js';
import { inForceOn } from '../../../../shared/units/types.js';
import { conclusionItem, registry, reportItem, rollups, surveyItem } from './support.js';

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
      ch_web: 1,
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
      ch_web: 1,
      asp_access_n: 1,
      asp_procedures_n: 1,
      asp_staff_n: 1,
      asp_staff_ok: 1,
      asp_results_n: 1,
      asp_feedback_n: 1,
    });
  });

  it('counts each answer on submission and conduct once, in the base of its share and as a yes', () => {
    // Prepare
    const item = surveyItem({
      hash: 'q',
      submission: 'online',
      conduct: { extraDocuments: true, extraPayment: false, trips: 3, lateness: 'late_no_apology' },
    });

    // Act
    const deltas = contributionOf(item, rollups);

    // Assess: harassment unanswered counts nowhere; the apology share counts this late dossier as a "no".
    expect(deltas.get('U#00304|2024-05')).toMatchObject({
      cnd_extraDocuments_n: 1,
      cnd_extraDocuments_y: 1,
      cnd_extraPayment_n: 1,
      cnd_tripsOverTwo_n: 1,
      cnd_tripsOverTwo_y: 1,
      cnd_late_n: 1,
      cnd_late_y: 1,
      cnd_apologyWhenLate_n: 1,
      sub_in_person_n: 1,
      sub_online_n: 1,
      sub_online_y: 1,
      sub_postal_n: 1,
    });
    const counters = deltas.get('U#00304|2024-05') ?? {};
    for (const absent of ['cnd_extraPayment_y', 'cnd_harassment_n', 'cnd_harassment_y', 'cnd_apologyWhenLate_y'])
      expect(counters).not.toHaveProperty(absent);
  });

  it('leaves an apology out of its share when the result was on time, and counts two trips as expected', () => {
    const counters = contributionOf(surveyItem({ hash: 'r', conduct: { trips: 2, lateness: 'on_time' } }), rollups).get(
      'U#01|2024',
    );
    expect(counters).toMatchObject({ cnd_tripsOverTwo_n: 1, cnd_late_n: 1 });
    expect(counters).not.toHaveProperty('cnd_tripsOverTwo_y');
    expect(counters).not.toHaveProperty('cnd_late_y');
    expect(counters).not.toHaveProperty('cnd_apologyWhenLate_n');
  });

  it('counts every answer exactly once: the sum over responses equals a count made by hand', () => {
    const answer = fc.record(
      {
        submission: fc.constantFrom('in_person', 'online', 'postal'),
        conduct: fc.record(
          {
            extraPayment: fc.boolean(),
            lateness: fc.constantFrom('on_time', 'late_apology', 'late_no_apology'),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(answer, { maxLength: 30 }), (answers) => {
        // Act
        const { counters } = recompute(
          answers.map((a, i) => surveyItem({ hash: `x${i}`, ...a })),
          rollups,
        );
        const year = counters.get('U#01|2024') ?? {};
        // Assess
        const paid = answers.filter((a) => a.conduct?.extraPayment !== undefined);
        const late = answers.filter((a) => a.conduct?.lateness !== undefined && a.conduct.lateness !== 'on_time');
        const said = answers.filter((a) => a.submission !== undefined);
        expect(year.cnd_extraPayment_n ?? 0).toBe(paid.length);
        expect(year.cnd_extraPayment_y ?? 0).toBe(paid.filter((a) => a.conduct?.extraPayment).length);
        expect(year.cnd_apologyWhenLate_n ?? 0).toBe(late.length);
        expect(year.cnd_apologyWhenLate_y ?? 0).toBe(late.filter((a) => a.conduct?.lateness === 'late_apology').length);
        expect(year.sub_postal_n ?? 0).toBe(said.length);
        expect((year.sub_in_person_y ?? 0) + (year.sub_online_y ?? 0) + (year.sub_postal_y ?? 0)).toBe(said.length);
      }),
    );
  });

  it('counts a verified response in the verified counters too, and an unverified one only in all responses', () => {
    // Prepare
    const verified = surveyItem({ hash: 'v', verified: true, channel: 'qr', overall: 4 });
    const unverified = surveyItem({ hash: 'u', verified: false, channel: 'web', overall: 5 });

    // Act
    const fromVerified = contributionOf(verified, rollups).get('U#008|2024-Q2');
    const fromUnverified = contributionOf(unverified, rollups).get('U#008|2024-Q2');

    // Assess
    expect(fromVerified).toMatchObject({ surveys: 1, satisfied: 1, vsurveys: 1, vsatisfied: 1, ch_qr: 1 });
    expect(fromVerified).not.toHaveProperty('ch_web');
    expect(fromUnverified).toMatchObject({ surveys: 1, satisfied: 1, ch_web: 1 });
    expect(fromUnverified).not.toHaveProperty('vsurveys');
    expect(fromUnverified).not.toHaveProperty('vsatisfied');
  });

  it('counts an unsatisfied verified response as verified but not satisfied', () => {
    // Act
    const deltas = contributionOf(surveyItem({ hash: 'w', verified: true, overall: 2 }), rollups);

    // Assess
    expect(deltas.get('U#00304|2024-05')).toMatchObject({ surveys: 1, vsurveys: 1 });
    expect(deltas.get('U#00304|2024-05')).not.toHaveProperty('vsatisfied');
  });

  it('counts a response stored before channels were recorded in no channel', () => {
    // Prepare
    const { channel: _channel, ...older } = surveyItem({ hash: 'o' });

    // Act
    const counters = contributionOf(older, rollups).get('U#00304|2024');

    // Assess
    expect(counters).toMatchObject({ surveys: 1 });
    expect(Object.keys(counters ?? {}).filter((name) => name.startsWith('ch_'))).toEqual([]);
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

  it('counts once per bucket and every inspected unit under it, tracks and stages apart', () => {
    // Act
    const deltas = contributionOf(dongDa, rollups);

    // Assess
    expect(deltas.get('U#006|2024-Q2')).toEqual({
      conclusions: 1,
      kind_surprise: 1,
      unitsInspected: 2,
      // Two units, violations found, none named: the status of neither is known.
      peopleN: 1,
      violN: 1,
      violOrgs: 1,
      violInds: 15,
      // Khai trừ is Party discipline: never in the state figures.
      d_sd_i: 14,
      d_sd_i_warning: 2,
      d_sd_i_reprimand: 12,
      d_pd_i: 1,
      d_pd_i_expulsion: 1,
      m_transfers: 3,
      m_responsibilityReviews: 4,
    });
    // The people counts are not split among units: a ward gets the conclusion, not its 15 violating.
    expect(deltas.get('U#00238|2024')).toEqual({ conclusions: 1, kind_surprise: 1, unitsInspected: 1 });
  });

  it('counts under its agency as a family of its own', () => {
    // Act
    const deltas = contributionOf(dongDa, rollups);

    // Assess
    expect(deltas.get('A#hanoi-dktcv|2024-05')).toMatchObject({ conclusions: 1, unitsInspected: 2, d_sd_i: 14 });
    expect([...deltas.keys()].filter((key) => key.startsWith('A#'))).toHaveLength(3);
  });

  it('marks with violations only the units it names, and counts the people where those units are', () => {
    // Prepare: two wards of two districts (Hoàng Mai 008, Hai Bà Trưng 007); only the Hoàng Mai ward violated.
    const item = conclusionItem({
      id: 'k8',
      inspectedUnits: ['00304', '00256'],
      unitIds: ['00304', '00256'],
      violatingUnits: ['00304'],
      violations: { organizations: 0, individuals: 2 },
      discipline: [{ form: 'reprimand', organizations: 0, individuals: 2 }],
    });

    // Act
    const deltas = contributionOf(item, rollups);

    // Assess
    expect(deltas.get('U#00304|2024')).toMatchObject({ unitsAssessed: 1, unitsWithViolations: 1, violInds: 2 });
    expect(deltas.get('U#00256|2024')).toEqual({
      conclusions: 1,
      kind_surprise: 1,
      unitsInspected: 1,
      unitsAssessed: 1,
    });
    expect(deltas.get('U#01|2024')).toMatchObject({
      unitsInspected: 2,
      unitsAssessed: 2,
      unitsWithViolations: 1,
      d_sd_i: 2,
    });
  });

  it('counts the violating only where every unit of a conclusion over several districts is: the city', () => {
    // Prepare
    const item = conclusionItem({
      id: 'k9',
      inspectedUnits: ['00304', '00256'],
      unitIds: ['00304', '00256'],
      violations: { organizations: 1, individuals: 3 },
    });

    // Act
    const deltas = contributionOf(item, rollups);

    // Assess
    expect(deltas.get('U#008|2024')).not.toHaveProperty('violInds');
    expect(deltas.get('U#01|2024')).toMatchObject({ violOrgs: 1, violInds: 3, unitsInspected: 2 });
    expect(deltas.get('U#01|2024')).not.toHaveProperty('unitsAssessed');
  });

  it('never lets the districts of a city add up to more than the city, for any conclusion', () => {
    // The wards of three Hanoi districts (Ba Đình 001, Hoàn Kiếm 002, Hoàng Mai 008), as of 2024.
    const wards = registry
      .all()
      .filter((u) => ['001', '002', '008'].includes(u.parent ?? '') && inForceOn(u, '2024-05-20'))
      .map((u) => u.id);
    const counted = [
      'violInds',
      'violOrgs',
      'd_sd_i',
      'unitsInspected',
      'unitsWithViolations',
      'unitsAssessed',
    ] as const;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...wards), { minLength: 1, maxLength: 6 }),
        fc.nat({ max: 20 }),
        fc.boolean(),
        (units, individuals, nameOne) => {
          // As stored: the codes as sent, and the registry ids they resolved to, in the same order.
          const codes = units.map((id) => registry.get(id)?.code);
          const item = conclusionItem({
            id: 'kp',
            inspectedUnits: codes,
            unitIds: units,
            violations: { organizations: 0, individuals },
            ...(nameOne && individuals > 0 ? { violatingUnits: [codes[0]] } : {}),
            discipline: individuals > 0 ? [{ form: 'warning', organizations: 0, individuals }] : [],
          });
          const deltas = contributionOf(item, rollups);
          for (const name of counted) {
            const districts = ['001', '002', '008'].reduce(
              (sum, d) => sum + (deltas.get(`U#${d}|2024`)?.[name] ?? 0),
              0,
            );
            const wardsSum = units.reduce((sum, w) => sum + (deltas.get(`U#${w}|2024`)?.[name] ?? 0), 0);
            const city = deltas.get('U#01|2024')?.[name] ?? 0;
            expect(districts).toBeLessThanOrEqual(city);
            expect(wardsSum).toBeLessThanOrEqual(city);
          }
        },
      ),
    );
  });

  it('counts no violating unit when nothing was found', () => {
    // Act
    const deltas = contributionOf(conclusionItem({ id: 'k2' }), rollups);

    // Assess: one unit assessed, none with violations; the violating stated as none.
    expect(deltas.get('U#008|2024')).toEqual({
      conclusions: 1,
      kind_surprise: 1,
      unitsInspected: 1,
      unitsAssessed: 1,
      peopleN: 1,
      violN: 1,
    });
  });

  it('counts the violating only from conclusions that state them', () => {
    const deltas = contributionOf(conclusionItem({ id: 'k10', violations: undefined }), rollups);
    expect(deltas.get('U#008|2024')).toEqual({ conclusions: 1, kind_surprise: 1, unitsInspected: 1, peopleN: 1 });
  });

  it('carries the illustrative flag of a record into its counters', () => {
    const survey = contributionOf(surveyItem({ hash: 'i', illustrative: true }), rollups);
    const conclusion = contributionOf(conclusionItem({ id: 'k11', illustrative: true }), rollups);
    expect(survey.get('U#01|2024')).toMatchObject({ surveys: 1, illusSurveys: 1 });
    expect(conclusion.get('U#01|2024')).toMatchObject({ conclusions: 1, illusConclusions: 1 });
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
    expect(delta.get('U#008|2024-Q2')).toEqual({
      conclusions: -1,
      kind_surprise: -1,
      unitsInspected: -1,
      unitsAssessed: -1,
      peopleN: -1,
      violN: -1,
    });
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

describe('contributionOf a report', () => {
  it("counts a month in its month, quarter and year, and as its own unit's report only in that unit", () => {
    const deltas = contributionOf(reportItem({ unitId: '00304', month: '2024-05', received: 10 }), rollups);
    expect([...deltas.keys()].sort()).toEqual(keysOf(['U#00304', 'U#008', 'U#01']));
    expect(deltas.get('U#00304|2024-05')).toMatchObject({ reports: 1, ownReports: 1, received: 10 });
    expect(deltas.get('U#008|2024-05')).not.toHaveProperty('ownReports');
  });

  it('counts a year in the year only and a quarter in its quarter and year, never as a spike in a month', () => {
    const year = contributionOf(
      reportItem({ unitId: '00304', month: undefined, period: '2024', received: 1200 }),
      rollups,
    );
    const quarter = contributionOf(
      reportItem({ unitId: '00304', month: undefined, period: '2024-Q2', received: 300 }),
      rollups,
    );
    expect([...year.keys()].sort()).toEqual(keysOf(['U#00304', 'U#008', 'U#01'], ['2024']));
    expect([...quarter.keys()].sort()).toEqual(keysOf(['U#00304', 'U#008', 'U#01'], ['2024', '2024-Q2']));
  });

  it('counts the procedure and each reception figure given, so a figure not given stays null', () => {
    const deltas = contributionOf(
      reportItem({ unitId: '00304', month: '2024-05', citizensReceived: 0, complaintsReceived: 3 }),
      rollups,
    );
    expect(deltas.get('U#01|2024')).toEqual({
      reports: 1,
      recN_citizensReceived: 1,
      recN_complaintsReceived: 1,
      complaintsReceived: 3,
    });
  });
});

describe('records that cannot be counted', () => {
  it('throws InvalidRecordError for a unit the registry does not know', () => {
    // Act / Assess
    expect(() => contributionOf(surveyItem({ hash: 'x', unitId: '99999' }), rollups)).toThrow(InvalidRecordError);
    // An answer no writer stores (the schemas refuse it) is not counted as something else.
    expect(() => contributionOf(surveyItem({ hash: 'y', conduct: { trips: 9 } }), rollups)).toThrow(InvalidRecordError);
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
