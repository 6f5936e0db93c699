import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBody } from '../../../../functions/lib/body.js';
import { CONCLUSION_MAX_BODY_BYTES, ConclusionInputSchema } from '../../../../shared/conclusions/schemas.js';
import { TRACK_FORMS } from '../../../../shared/discipline/law.js';
import { DomainError } from '../../../../shared/errors.js';
import { exampleConclusion } from '../../../support/agency-fixtures.js';
import { malformedConclusionRequest } from '../../../support/malformed-conclusions.js';

const STATUS: Record<string, number> = { malformed_request: 400, payload_too_large: 413, unsupported_media_type: 415 };

/** The edge of a conclusion request, as the handler runs it: body parsing, then the schema. Returns the status. */
function edgeStatus(body: Buffer, contentType: string): number {
  try {
    const parsed = parseBody(body.toString('base64'), true, contentType, {
      maxBytes: CONCLUSION_MAX_BODY_BYTES,
      mediaTypes: ['application/json'],
    });
    return ConclusionInputSchema.safeParse(parsed.value).success ? 200 : 422;
  } catch (error) {
    if (error instanceof DomainError) return STATUS[error.code] ?? 500;
    return 500;
  }
}

describe('ConclusionInputSchema', () => {
  it('accepts the example conclusion of CONTRACT.md and fills the defaults', () => {
    const result = ConclusionInputSchema.safeParse(
      exampleConclusion({ discipline: undefined, recommendations: undefined }),
    );
    expect(result.success).toBe(true);
    expect(result.data?.discipline).toEqual([]);
  });

  it('refuses thousands of malformed requests with 400, 413, 415 or 422, never anything else', () => {
    fc.assert(
      fc.property(malformedConclusionRequest, (request) => {
        const status = edgeStatus(request.body, request.contentType);
        expect(request.expected).toContain(status);
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts exactly the conclusions whose disciplined, per track and stage, do not exceed the violating', () => {
    // Every (track, stage, form, who) the law allows on 2024-05-20; a form given once per track and stage.
    const allowed = [
      // Every state form (test/unit/shared/discipline/law.test.ts pins the list) of persons only.
      ...TRACK_FORMS.state.map((form) => ({ track: 'state', form, organizations: false })),
      ...['reprimand', 'warning', 'dissolution'].map((form) => ({ track: 'party', form, organizations: true })),
      ...['dismissal', 'expulsion'].map((form) => ({ track: 'party', form, organizations: false })),
    ];
    const count = fc.integer({ min: 0, max: 50 });
    const entry = fc.record({
      kind: fc.constantFrom(...allowed),
      stage: fc.constantFrom('decided', 'recommended'),
      organizations: count,
      individuals: count,
    });
    fc.assert(
      fc.property(
        count,
        count,
        fc.uniqueArray(entry, { maxLength: 10, selector: (e) => `${e.kind.track}${e.kind.form}${e.stage}` }),
        (orgs, people, entries) => {
          const discipline = entries.map((e) => ({
            form: e.kind.form,
            track: e.kind.track,
            stage: e.stage,
            organizations: e.kind.organizations ? e.organizations : 0,
            individuals: e.kind.form === 'dissolution' ? 0 : e.individuals,
          }));
          const body = exampleConclusion({ violations: { organizations: orgs, individuals: people }, discipline });
          const totals = new Map<string, [number, number]>();
          for (const d of discipline) {
            const [o, i] = totals.get(`${d.track}${d.stage}`) ?? [0, 0];
            totals.set(`${d.track}${d.stage}`, [o + d.organizations, i + d.individuals]);
          }
          const fits = [...totals.values()].every(([o, i]) => o <= orgs && i <= people);
          expect(ConclusionInputSchema.safeParse(body).success).toBe(fits);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('trims and bounds text, and refuses control characters in one-line fields', () => {
    expect(
      ConclusionInputSchema.safeParse(exampleConclusion({ documentNumber: '  385/KL  ' })).data?.documentNumber,
    ).toBe('385/KL');
    expect(ConclusionInputSchema.safeParse(exampleConclusion({ documentNumber: '385\n/KL' })).success).toBe(false);
    expect(ConclusionInputSchema.safeParse(exampleConclusion({ documentNumber: 'x'.repeat(101) })).success).toBe(false);
    expect(ConclusionInputSchema.safeParse(exampleConclusion({ summary: { vi: 'dòng 1\ndòng 2' } })).success).toBe(
      true,
    );
  });

  it('refuses an inspection period that ends after the conclusion or before it starts', () => {
    const after = exampleConclusion({ inspectedFrom: '2024-05-01', inspectedTo: '2024-06-01' });
    const reversed = exampleConclusion({ inspectedFrom: '2024-05-10', inspectedTo: '2024-05-01' });
    const fine = exampleConclusion({ inspectedFrom: '2024-05-01', inspectedTo: '2024-05-10' });
    expect(ConclusionInputSchema.safeParse(after).error?.issues[0]?.path).toEqual(['inspectedTo']);
    expect(ConclusionInputSchema.safeParse(reversed).success).toBe(false);
    expect(ConclusionInputSchema.safeParse(fine).success).toBe(true);
  });
});
