import type { SurveySubmission } from '../../shared/surveys/schemas.js';
import { UnitRegistry } from '../../shared/units/registry.js';
import { RegistryUnitLookup } from '../../shared/units/registry-lookup.js';
import type { Unit } from '../../shared/units/types.js';

/**
 * A small slice of Hanoi's registry for survey tests: the city, Hoàng Mai district (until 2025-07-01), the old
 * Vĩnh Hưng ward `00304` and the new `00301`, and the reused code `00097` (Tứ Liên before 2025-07-01, Hồng Hà
 * after). Real codes and names, trimmed to what the tests touch.
 */

/** A secret of the length the local stack makes (32 random bytes, base64url). */
export const TEST_DOSSIER_SECRET = 'test-dossier-secret-0123456789abcdefghijklmnopq';
export const TEST_RATE_SALT = 'test-rate-limit-salt-0123456789abcdefghijklmnop';

/**
 * What the survey handler reads besides the tables (the names CDK sets, functions/lib/config.ts): the test
 * secrets, a limit of responses per client and minute (`rateLimit`: high where a test sends many from one
 * address, low where it tests the limit), and quiet logs.
 */
export function surveyHandlerEnv(rateLimit: number): Record<string, string> {
  return {
    DOSSIER_HMAC_SECRET: TEST_DOSSIER_SECRET,
    RATE_LIMIT_SALT: TEST_RATE_SALT,
    SURVEY_RATE_LIMIT: String(rateLimit),
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
}

function unit(fields: Partial<Unit> & Pick<Unit, 'id' | 'code' | 'name' | 'type' | 'level' | 'parent'>): Unit {
  return {
    nameAscii: fields.name,
    slug: fields.id,
    validFrom: null,
    validTo: null,
    successors: [],
    predecessors: [],
    ...fields,
  };
}

export const testUnits: readonly Unit[] = [
  unit({ id: '01', code: '01', name: 'Thành phố Hà Nội', type: 'municipality', level: 1, parent: null }),
  unit({
    id: '008',
    code: '008',
    name: 'Quận Hoàng Mai',
    type: 'urban_district',
    level: 2,
    parent: '01',
    validTo: '2025-07-01',
  }),
  unit({
    id: '00304',
    code: '00304',
    name: 'Phường Vĩnh Hưng',
    type: 'ward',
    level: 3,
    parent: '008',
    validTo: '2025-07-01',
    successors: [{ id: '00301', kind: 'partial' }],
  }),
  unit({
    id: '00301',
    code: '00301',
    name: 'Phường Vĩnh Hưng',
    type: 'ward',
    level: 3,
    parent: '01',
    validFrom: '2025-07-01',
    predecessors: [{ id: '00304', kind: 'partial' }],
  }),
  unit({
    id: '00097-pre2025',
    code: '00097',
    name: 'Phường Tứ Liên',
    type: 'ward',
    level: 3,
    parent: '01',
    validTo: '2025-07-01',
    successors: [{ id: '00097', kind: 'partial' }],
  }),
  unit({
    id: '00097',
    code: '00097',
    name: 'Phường Hồng Hà',
    type: 'ward',
    level: 3,
    parent: '01',
    validFrom: '2025-07-01',
    predecessors: [{ id: '00097-pre2025', kind: 'partial' }],
  }),
];

/** The fixture units as an in-memory UnitLookup. */
export function testUnitLookup(): RegistryUnitLookup {
  return new RegistryUnitLookup(new UnitRegistry(testUnits));
}

/** A valid submission (JSON shape, after parsing), with overrides. */
export function submission(overrides: Partial<SurveySubmission> = {}): SurveySubmission {
  return {
    unit: '00301',
    dossierCode: '000.00.15.H26-250812-0001',
    ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
    overall: 5,
    channel: 'web',
    lang: 'vi',
    ...overrides,
  };
}

/** A valid JSON body as a client sends it, with overrides. */
export function surveyJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unit: '00301',
    dossierCode: '000.00.15.H26-250812-0001',
    ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
    overall: 5,
    ...overrides,
  };
}

/** A valid form body as the site's form posts it (`application/x-www-form-urlencoded`), with overrides. */
export function surveyForm(overrides: Record<string, string | undefined> = {}): string {
  const fields: Record<string, string | undefined> = {
    unit: '00301',
    dossierCode: '000.00.15.H26-250812-0002',
    'ratings.access': '5',
    'ratings.procedures': '4',
    'ratings.staff': '5',
    'ratings.results': '3',
    'ratings.feedback': '',
    overall: '4',
    comment: '',
    website: '',
    lang: 'vi',
    ...overrides,
  };
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) params.append(name, value);
  return params.toString();
}
