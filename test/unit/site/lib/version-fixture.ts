import type { ConclusionVersion } from '../../../../shared/open-data/schemas.js';

/** A published conclusion's first version as the open data carries it, with `overrides`: the site's lib tests' one example. */
export function exampleVersion(overrides: Partial<ConclusionVersion> = {}): ConclusionVersion {
  return {
    version: 1,
    status: 'published',
    documentNumber: '385/KL-ĐKTCV',
    issuedOn: '2024-05-20',
    kind: 'surprise',
    inspectedUnits: ['00304'],
    topics: ['administrative_discipline'],
    legalBasis: ['24-CT/TU'],
    summary: { vi: 'Tóm tắt', en: 'Summary' },
    violations: { organizations: 1, individuals: 2 },
    discipline: [{ form: 'reprimand', organizations: 0, individuals: 2, track: 'state', stage: 'decided' }],
    otherMeasures: { transfers: 0, responsibilityReviews: 1 },
    recommendations: [{ text: { vi: 'Chấn chỉnh' }, status: 'open' }],
    publishedAt: '2024-05-21T02:00:00.000Z',
    ...overrides,
  };
}
