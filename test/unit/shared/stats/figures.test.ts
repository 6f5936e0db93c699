import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BucketDeltas, Counters } from '../../../../shared/stats/counters.js';
import { buildFigures, periodFigures, reportingCoverage, suppressionGroups } from '../../../../shared/stats/figures.js';
import { wilsonInterval } from '../../../../shared/stats/methodology.js';
import { inForceOn } from '../../../../shared/units/types.js';
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

describe('buildFigures, verified responses', () => {
  it('publishes the verified figure beside all responses, withheld on its own thresholds and suppression', () => {
    // Prepare: 00181 has 40 verified of 60, 00187 has 8 verified of 80 (too few to count), 00178 none of 25
    const counters = district({ '00178': 25, '00181': 60, '00187': 80 });
    const verify = (key: string, vsurveys: number, vsatisfied: number) => {
      counters.set(key, { ...counters.get(key), vsurveys, vsatisfied, ch_qr: vsurveys });
    };
    verify('U#00181|2024', 40, 30);
    verify('U#00187|2024', 8, 8);
    verify('U#006|2024', 48, 38);
    verify('U#01|2024', 48, 38);

    // Act
    const figures = buildFigures(counters, groups);

    // Assess
    const s = (id: string) => figures.get(`U#${id}`)?.get('2024')?.satisfaction;
    expect(s('00178')?.verified).toEqual({ responses: null, overall: null });
    expect(s('00187')?.verified.responses).toBeNull();
    // 00181's verified count would give 00187's away (district minus 00181): both are withheld
    expect(s('00181')?.verified.responses).toBeNull();
    expect(s('006')?.verified).toEqual({ responses: 48, overall: wilsonInterval(38, 48) });
    // All responses are published as before, with the channels where the count is
    expect(s('00181')?.responses).toBe(60);
    expect(s('00181')?.channels).toEqual({ web: 0, qr: 40, api: 0 });
    expect(s('006')?.overall).toEqual(wilsonInterval(165, 165));
  });
});

describe('periodFigures, conduct and submission', () => {
  it('publishes each conduct share with its Wilson interval and n, over the responses that answered', () => {
    // Prepare: 40 responses, 36 said whether they were asked to pay; 9 were.
    const counters = { surveys: 40, satisfied: 30, cnd_extraPayment_n: 36, cnd_extraPayment_y: 9 };

    // Act
    const figures = periodFigures(counters, () => false);

    // Assess
    expect(figures.satisfaction.conduct?.extraPayment).toEqual({ responses: 36, share: wilsonInterval(9, 36) });
    expect(figures.satisfaction.conduct?.extraPayment.share?.share).toBe(0.25);
  });

  it('publishes null, never 0, for a share nobody answered, and no share under 30 answers', () => {
    const figures = periodFigures({ surveys: 40, satisfied: 30, sub_online_n: 12, sub_online_y: 12 }, () => false);
    expect(figures.satisfaction.conduct?.harassment).toEqual({ responses: null, share: null });
    expect(figures.satisfaction.submission?.online).toEqual({ responses: 12, share: null });
  });

  it('withholds a share and its n where the disclosure plan says so', () => {
    const counters = { surveys: 40, satisfied: 30, cnd_late_n: 35, cnd_late_y: 3 };
    const figures = periodFigures(counters, (measure) => measure === 'cnd_late');
    expect(figures.satisfaction.conduct?.late).toEqual({ responses: null, share: null });
  });
});

describe('buildFigures, conduct shares', () => {
  it('withholds a conduct count under 10 and protects it from its district, like satisfaction', () => {
    // Prepare: every ward has enough responses; one ward has only 4 answers on extra payment.
    const counters = district({ '00238': 40, '00178': 40, '00181': 40, '00187': 40 });
    for (const [key, values] of counters) {
      const n = key.startsWith('U#00238') ? 4 : 35;
      counters.set(key, { ...values, cnd_extraPayment_n: key.startsWith('U#006') ? 109 : n, cnd_extraPayment_y: 1 });
    }

    // Act
    const figures = buildFigures(counters, groups);

    // Assess
    const f = (id: string) => figures.get(`U#${id}`)?.get('2024')?.satisfaction.conduct?.extraPayment;
    expect(f('00238')).toEqual({ responses: null, share: null });
    expect([f('00178'), f('00181'), f('00187')].filter((x) => x?.responses === null)).toHaveLength(1);
    expect(f('006')?.responses).toBe(109);
  });
});

describe('periodFigures', () => {
  it('turns counters into the published figures, every kind and form present, tracks and stages apart', () => {
    // Act
    const figures = periodFigures(
      {
        conclusions: 2,
        kind_surprise: 2,
        unitsInspected: 3,
        unitsAssessed: 2,
        unitsWithViolations: 1,
        peopleN: 2,
        violN: 1,
        violInds: 15,
        d_sd_i: 14,
        d_sd_i_warning: 2,
        d_sd_i_reprimand: 12,
        d_pd_i: 1,
        d_pd_i_expulsion: 1,
        d_pd_o: 1,
        d_pd_o_dissolution: 1,
        d_sr_i: 3,
        d_sr_i_dismissal: 3,
        m_reminders: 4,
        procN: 1,
        received: 100,
        resolvedEarly: 10,
        resolvedOnTime: 80,
        resolvedLate: 10,
      },
      () => false,
    );

    // Assess
    expect(figures.inspections).toMatchObject({
      total: 2,
      unitsInspected: 3,
      unitsAssessed: 2,
      unitsWithViolations: 1,
    });
    expect(figures.inspections.byKind).toEqual({
      surprise: 2,
      planned: 0,
      regular: 0,
      specialized: 0,
      thematic: 0,
      directed: 0,
    });
    // Of the units whose status is known.
    expect(figures.inspections.violatingShare).toEqual(wilsonInterval(1, 2));
    // The contract's figures are the state track, decided stage; organizations and individuals apart.
    expect(figures.disciplined).toMatchObject({ organizations: 0, individuals: 14, conclusions: 2 });
    expect(figures.disciplined.byForm).toMatchObject({
      warning: { organizations: 0, individuals: 2 },
      reprimand: { organizations: 0, individuals: 12 },
      demotion: { organizations: 0, individuals: 0 },
    });
    expect(figures.disciplined.byForm).not.toHaveProperty('expulsion');
    expect(figures.disciplined.tracks.party.decided).toMatchObject({
      organizations: 1,
      individuals: 1,
      byForm: { expulsion: { organizations: 0, individuals: 1 }, dissolution: { organizations: 1, individuals: 0 } },
    });
    expect(figures.disciplined.tracks.state.recommended.byForm.dismissal).toEqual({ organizations: 0, individuals: 3 });
    expect(figures.otherMeasures).toMatchObject({ reminders: 4, transfers: 0 });
    expect(figures.procedures.onTimeRate).toEqual(wilsonInterval(90, 100));
    // Nothing to count from: null, never 0.
    expect(figures.satisfaction).toMatchObject({ responses: null, overall: null });
    expect(figures.reception).toMatchObject({ citizensReceived: null, complaintsReceived: null });
    expect(figures.violations).toMatchObject({ organizations: 0, individuals: 15, conclusions: 1, byCategory: null });
  });

  it('publishes null, never 0, for every figure with nothing to count from', () => {
    fc.assert(
      fc.property(fc.nat({ max: 40 }), (surveys) => {
        // A bucket of survey responses only: no conclusion, no report.
        const figures = periodFigures({ surveys, satisfied: surveys }, () => false);
        expect(figures.inspections.total).toBeNull();
        expect(Object.values(figures.inspections.byKind).every((v) => v === null)).toBe(true);
        expect(figures.violations).toMatchObject({ organizations: null, individuals: null, conclusions: 0 });
        expect(figures.disciplined).toMatchObject({ organizations: null, individuals: null });
        expect(figures.disciplined.tracks.party.decided.individuals).toBeNull();
        expect(figures.otherMeasures.transfers).toBeNull();
        expect(Object.values(figures.procedures).every((v) => v === null)).toBe(true);
        expect(Object.values(figures.reception).every((v) => v === null)).toBe(true);
        expect(figures.satisfaction.responses).toBe(surveys === 0 ? null : surveys);
        expect(figures.satisfaction.verified).toEqual({ responses: null, overall: null });
        expect(figures.satisfaction.channels.qr).toBe(surveys === 0 ? null : 0);
      }),
    );
  });

  it('keeps the violating null where the conclusions counted here do not state them', () => {
    const figures = periodFigures({ conclusions: 1, kind_surprise: 1, unitsInspected: 1, peopleN: 1 }, () => false);
    expect(figures.inspections.total).toBe(1);
    expect(figures.violations).toMatchObject({ organizations: null, individuals: null, conclusions: 0 });
    expect(figures.disciplined.individuals).toBe(0);
    expect(figures.inspections.violatingShare).toBeNull();
  });

  it('counts pending dossiers past their deadline as late in the on-time rate', () => {
    const figures = periodFigures(
      { procN: 1, received: 100, resolvedEarly: 0, resolvedOnTime: 60, resolvedLate: 20, pendingOverdue: 20 },
      () => false,
    );
    expect(figures.procedures.onTimeRate).toEqual(wilsonInterval(60, 100));
  });

  it('says illustrative beside each section counted from illustrative records, and nowhere else', () => {
    const figures = periodFigures(
      { surveys: 40, satisfied: 30, illusSurveys: 40, conclusions: 1, peopleN: 1 },
      () => false,
    );
    expect(figures.satisfaction.illustrative).toBe(true);
    expect(figures.inspections).not.toHaveProperty('illustrative');
    expect(figures.procedures).not.toHaveProperty('illustrative');
  });

  it('gives how many units reported, when known', () => {
    const figures = periodFigures({ reports: 1, procN: 1, received: 5 }, () => false, { reported: 2, units: 610 });
    expect(figures.reporting).toEqual({ reported: 2, units: 610 });
  });
});

describe('reportingCoverage', () => {
  it('counts the units under a unit in force during the period, and those that filed a report themselves', () => {
    // Prepare: a report for Vĩnh Hưng ward (00304) of Hoàng Mai (008), Hanoi (01), in May 2024.
    const counters: BucketDeltas = new Map([
      ['U#00304|2024-05', { reports: 1, ownReports: 1, procN: 1, received: 10 }],
      ['U#008|2024-05', { reports: 1, procN: 1, received: 10 }],
      ['U#01|2024-05', { reports: 1, procN: 1, received: 10 }],
    ]);

    // Act
    const coverage = reportingCoverage(counters, registry);

    // Assess
    const hoangMai = coverage.get('U#008|2024-05');
    expect(hoangMai?.reported).toBe(1);
    // Hoàng Mai and its 14 wards in force in May 2024.
    expect(hoangMai?.units).toBe(
      1 + registry.all().filter((u) => u.parent === '008' && inForceOn(u, '2024-05-31')).length,
    );
    expect(coverage.get('U#00304|2024-05')).toEqual({ reported: 1, units: 1 });
    expect(coverage.get('U#01|2024-05')?.units).toBeGreaterThan(500);
    expect(coverage.has('U#00304|2024')).toBe(false);
  });
});
