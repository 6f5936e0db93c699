import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEMO_SUMMARIES } from '../../../../local/demo/summaries.js';
import { SplitFigureSchema, SummaryInputSchema } from '../../../../shared/summaries/schemas.js';
import { exampleSummary } from '../../../support/summary-fixtures.js';

/** The demo summary with this document number, parsed by the schema (as the API would accept it). */
function parsedDemo(documentNumber: string) {
  const demo = DEMO_SUMMARIES.find((summary) => summary.body.documentNumber === documentNumber);
  if (!demo) throw new Error(`no demo summary ${documentNumber}`);
  return SummaryInputSchema.parse(demo.body);
}

function issuesOf(body: Record<string, unknown>) {
  const result = SummaryInputSchema.safeParse(body);
  return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
}

describe('every figure of the seed documents, as stated', () => {
  it('accepts every demo summary, each with a source address', () => {
    for (const demo of DEMO_SUMMARIES) {
      const result = SummaryInputSchema.safeParse(demo.body);
      expect(result.success, `${demo.body.documentNumber}: ${JSON.stringify(result.error?.issues)}`).toBe(true);
      expect(result.data?.sources.every((source) => source.url.startsWith('https://'))).toBe(true);
    }
  });

  it("holds Hanoi's year of Directive 24-CT/TU: 911 and 1,352 inspections, 873 violating and 368 disciplined unsplit", () => {
    const city = parsedDemo('DEMO-01/BC-BTCTU');
    const districts = parsedDemo('DEMO-02/BC-BTCTU');
    const totals = parsedDemo('DEMO-03/BC-BTCTU');

    expect([city.from, city.to, city.jurisdiction]).toEqual(['2023-08-07', '2024-08-30', '01']);
    expect(city.inspections).toEqual({ total: 911 });
    expect(districts.inspections).toEqual({ total: 1352 });
    expect(totals.violations).toEqual({ total: 873 });
    expect(totals.disciplined).toEqual({ total: 368 });
  });

  it('holds the 675 inspections in 1,161 units with 33 + 60 violating and 28 + 55 disciplined, split as stated', () => {
    const district = parsedDemo('DEMO-04/BC-BTCTU');

    expect(district.inspections).toEqual({ total: 675, units: 1161 });
    expect(district.violations).toEqual({ organizations: 33, individuals: 60 });
    expect(district.disciplined).toEqual({ organizations: 28, individuals: 55 });
  });

  it('holds the 2,268 rotated or disciplined as one figure, and 3,417,296 dossiers with 9,618 late (0.28%)', () => {
    const cadres = parsedDemo('DEMO-05/BC-BTCTU');
    const procedures = parsedDemo('DEMO-06/BC-BTCTU');

    expect(cadres.measures).toEqual({ transfersOrDiscipline: { individuals: 2268 } });
    expect(cadres.disciplined).toBeUndefined();
    expect(procedures.procedures).toEqual({ handled: 3_417_296, resolvedLate: 9618, latePercent: 0.28 });
  });

  it("holds Đống Đa's Party discipline of the first half of 2024 by form, and nowhere as state discipline", () => {
    const party = parsedDemo('DEMO-01/BC-UBKTQU');

    expect([party.from, party.to, party.jurisdiction]).toEqual(['2024-01-01', '2024-06-30', '006']);
    expect(party.disciplined).toEqual({
      individuals: 15,
      track: 'party',
      stage: 'decided',
      byForm: { warning: { individuals: 2 }, reprimand: { individuals: 12 }, expulsion: { individuals: 1 } },
    });
    expect(party.inspections).toBeUndefined();
  });

  it("holds Quảng Ninh's 48 inspections, 39 conclusions, 11 groups, reception, and 99.8/99.8/99.9 % on time by level", () => {
    const inspections = parsedDemo('DEMO-01/BC-SNV');
    const reception = parsedDemo('DEMO-02/BC-SNV');
    const procedures = parsedDemo('DEMO-03/BC-SNV');

    expect(inspections.inspections).toEqual({ total: 48, conclusions: 39 });
    expect(inspections.measures).toEqual({ responsibilityReviews: { organizations: 11 } });
    expect(reception.reception).toEqual({
      citizensReceived: 6647,
      cases: 3923,
      petitionsReceived: 9335,
      complaintsUnderJurisdiction: 459,
      complaintsResolved: 392,
      denunciationsUnderJurisdiction: 13,
      denunciationsResolved: 11,
    });
    expect(procedures.procedures?.byLevel).toEqual({
      province: { received: 149_280, onTimePercent: 99.8 },
      district: { received: 600_698, onTimePercent: 99.8 },
      commune: { received: 185_606, onTimePercent: 99.9 },
    });
  });
});

describe('SummaryInputSchema rules', () => {
  it('keeps a figure not given absent: nothing is filled in as 0', () => {
    const parsed = SummaryInputSchema.parse(exampleSummary());

    expect(parsed.violations).toEqual({ total: 873 });
    expect(parsed).not.toHaveProperty('procedures');
    expect(parsed).not.toHaveProperty('measures');
  });

  it('accepts parts with a total only when they add up to it (property)', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(2000), (organizations, individuals, total) => {
        const accepted = SplitFigureSchema.safeParse({ total, organizations, individuals }).success;
        expect(accepted).toBe(organizations + individuals === total);
      }),
    );
  });

  it('keeps percentages as stated, with at most two decimals, between 0 and 100', () => {
    const withPercent = (latePercent: number) =>
      issuesOf(exampleSummary({ procedures: { handled: 100, latePercent } }));

    expect(withPercent(0.28)).toEqual([]);
    expect(withPercent(0.281)).toEqual(['procedures.latePercent']);
    expect(withPercent(101)).toEqual(['procedures.latePercent']);
  });

  it('refuses disciplined above the violating stated alike, and forms adding up to more than the disciplined', () => {
    expect(issuesOf(exampleSummary({ violations: { total: 10 }, disciplined: { total: 11 } }))).toEqual([
      'disciplined.total',
    ]);
    expect(
      issuesOf(
        exampleSummary({
          violations: undefined,
          disciplined: { individuals: 2, track: 'party', byForm: { reprimand: { individuals: 3 } } },
        }),
      ),
    ).toEqual(['disciplined.byForm']);
  });

  it('applies the law of the span: hạ bậc lương refused for a span from 2025-07-01, khai trừ refused as state discipline', () => {
    const after = exampleSummary({
      issuedOn: '2025-10-01',
      from: '2025-07-01',
      to: '2025-09-30',
      disciplined: { individuals: 1, byForm: { salary_demotion: { individuals: 1 } } },
    });
    const before = { ...after, from: '2025-01-01' };
    const stateExpulsion = exampleSummary({
      disciplined: { individuals: 1, track: 'state', byForm: { expulsion: { individuals: 1 } } },
    });

    expect(issuesOf(after)).toEqual(['disciplined.byForm.salary_demotion']);
    expect(issuesOf(before)).toEqual([]);
    expect(issuesOf(stateExpulsion)).toEqual(['disciplined.byForm.expulsion']);
  });

  it('refuses a summary with no figure, a span that ends before it starts, and one that starts after issuedOn', () => {
    expect(issuesOf(exampleSummary({ inspections: undefined, violations: undefined, disciplined: undefined }))).toEqual(
      ['inspections'],
    );
    expect(issuesOf(exampleSummary({ from: '2024-09-01' }))).toEqual(['to']);
    expect(issuesOf(exampleSummary({ from: '2024-10-12', to: '2024-10-12' }))).toEqual(['from']);
  });

  it('needs a source with a public address', () => {
    expect(issuesOf(exampleSummary({ sources: [] }))).toEqual(['sources']);
    expect(issuesOf(exampleSummary({ sources: [{ title: 'Báo cáo', url: 'javascript:alert(1)' }] }))).toEqual([
      'sources.0.url',
    ]);
  });
});
