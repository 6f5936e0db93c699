import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DECREE_172_IN_FORCE_FROM,
  disciplineIssues,
  formsInForce,
  ORGANIZATION_FORMS,
  stageOf,
  TRACK_FORMS,
  trackOf,
} from '../../../../shared/discipline/law.js';
import { DISCIPLINE_FORMS, DISCIPLINE_TRACKS } from '../../../../shared/vocabulary.js';

/** Calendar dates from 2000 to 2030, as `YYYY-MM-DD`. */
const date = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2030-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const before2025 = date.filter((d) => d < DECREE_172_IN_FORCE_FROM);
const from2025 = date.filter((d) => d >= DECREE_172_IN_FORCE_FROM);
const form = fc.constantFrom(...DISCIPLINE_FORMS);
const track = fc.constantFrom(...DISCIPLINE_TRACKS);
const positive = fc.integer({ min: 1, max: 1000 });

describe('TRACK_FORMS', () => {
  it('gives the state track every form but khai trừ and giải tán, in the vocabulary order', () => {
    const partyOnly = ['expulsion', 'dissolution'];
    expect(TRACK_FORMS.state).toEqual(DISCIPLINE_FORMS.filter((f) => !partyOnly.includes(f)));
    expect(TRACK_FORMS.state).toHaveLength(7);
    expect(TRACK_FORMS.party).toEqual(['reprimand', 'warning', 'dismissal', 'expulsion', 'dissolution']);
  });
});

describe('trackOf and stageOf', () => {
  it('reads an entry without a track as Party discipline exactly for khai trừ and giải tán', () => {
    fc.assert(
      fc.property(form, (f) => {
        expect(trackOf({ form: f })).toBe(f === 'expulsion' || f === 'dissolution' ? 'party' : 'state');
      }),
    );
  });

  it('keeps a track that is given, and reads a missing stage as decided', () => {
    fc.assert(
      fc.property(form, track, (f, t) => {
        expect(trackOf({ form: f, track: t })).toBe(t);
      }),
    );
    expect(stageOf({})).toBe('decided');
    expect(stageOf({ stage: 'recommended' })).toBe('recommended');
  });
});

describe('disciplineIssues', () => {
  it('refuses hạ bậc lương and giáng chức for every decision dated from 2025-07-01, naming the form', () => {
    fc.assert(
      fc.property(fc.constantFrom('salary_demotion', 'demotion' as const), from2025, positive, (f, d, n) => {
        const issues = disciplineIssues({ form: f, organizations: 0, individuals: n }, d);
        expect(issues.map((issue) => issue.field)).toEqual(['form']);
        expect(issues[0]?.message).toContain('172/2025/NĐ-CP');
      }),
    );
  });

  it('accepts every state form for individuals before 2025-07-01', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TRACK_FORMS.state), before2025, positive, (f, d, n) => {
        expect(disciplineIssues({ form: f, organizations: 0, individuals: n }, d)).toEqual([]);
      }),
    );
  });

  it('judges by the decision date when there is one, else by the document date', () => {
    const entry = { form: 'salary_demotion', organizations: 0, individuals: 1 } as const;
    expect(disciplineIssues({ ...entry, decidedOn: '2025-06-30' }, '2025-08-01')).toEqual([]);
    expect(disciplineIssues({ ...entry, decidedOn: '2025-07-01' }, '2025-06-01')).toHaveLength(1);
    expect(disciplineIssues({ ...entry, stage: 'recommended' }, '2025-08-01')).toHaveLength(1);
  });

  it('accepts bãi nhiệm on the state track on any date', () => {
    fc.assert(
      fc.property(date, positive, (d, n) => {
        expect(disciplineIssues({ form: 'removal_from_office', organizations: 0, individuals: n }, d)).toEqual([]);
      }),
    );
  });

  it('refuses every form to organizations except the Party’s khiển trách, cảnh cáo and giải tán', () => {
    fc.assert(
      fc.property(form, track, date, positive, (f, t, d, n) => {
        const fields = disciplineIssues({ form: f, track: t, organizations: n, individuals: 0 }, d).map((i) => i.field);
        expect(fields.includes('organizations')).toBe(!ORGANIZATION_FORMS[t].includes(f));
      }),
    );
    expect(ORGANIZATION_FORMS.state).toEqual([]);
    expect([...ORGANIZATION_FORMS.party].sort()).toEqual(['dissolution', 'reprimand', 'warning']);
  });

  it('refuses giải tán to individuals, and Party-only forms on the state track', () => {
    expect(disciplineIssues({ form: 'dissolution', organizations: 0, individuals: 1 }, '2024-01-01')).toEqual([
      expect.objectContaining({ field: 'individuals' }),
    ]);
    expect(
      disciplineIssues({ form: 'expulsion', track: 'state', organizations: 0, individuals: 1 }, '2024-01-01'),
    ).toEqual([expect.objectContaining({ field: 'form' })]);
    expect(
      disciplineIssues({ form: 'salary_demotion', track: 'party', organizations: 0, individuals: 1 }, '2024-01-01'),
    ).toEqual([expect.objectContaining({ field: 'form' })]);
  });

  it('never refuses a form in force on its track for individuals of no stated category', () => {
    fc.assert(
      fc.property(track, date, positive, (t, d, n) => {
        for (const f of formsInForce(t, d).filter((f) => f !== 'dissolution')) {
          expect(disciplineIssues({ form: f, track: t, organizations: 0, individuals: n }, d)).toEqual([]);
        }
      }),
    );
  });

  it('checks forms against the person category: bãi nhiệm is for cadres, public employees never had hạ bậc lương', () => {
    const one = { organizations: 0, individuals: 1 } as const;
    expect(disciplineIssues({ ...one, form: 'removal_from_office', category: 'cadre' }, '2025-08-01')).toEqual([]);
    expect(disciplineIssues({ ...one, form: 'removal_from_office', category: 'civil_servant' }, '2025-08-01')).toEqual([
      expect.objectContaining({ field: 'form' }),
    ]);
    expect(disciplineIssues({ ...one, form: 'salary_demotion', category: 'public_employee' }, '2024-01-01')).toEqual([
      expect.objectContaining({ field: 'form' }),
    ]);
    expect(
      disciplineIssues({ ...one, form: 'dismissal', category: 'civil_servant', leader: false }, '2024-01-01'),
    ).toEqual([expect.objectContaining({ field: 'form' })]);
    expect(
      disciplineIssues({ ...one, form: 'dismissal', category: 'civil_servant', leader: true }, '2025-08-01'),
    ).toEqual([]);
  });

  it('refuses a decision date on a recommendation', () => {
    expect(
      disciplineIssues(
        { form: 'warning', stage: 'recommended', decidedOn: '2024-01-01', organizations: 0, individuals: 1 },
        '2024-01-01',
      ),
    ).toEqual([expect.objectContaining({ field: 'decidedOn' })]);
  });
});
