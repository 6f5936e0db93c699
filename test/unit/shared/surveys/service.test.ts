import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from '../../../../shared/errors.js';
import { dossierHash } from '../../../../shared/surveys/hashing.js';
import { MASKS } from '../../../../shared/surveys/mask.js';
import type { CommentRecord, SurveyRecord, SurveyStore } from '../../../../shared/surveys/ports.js';
import { isHoneypotFilled, submitSurvey } from '../../../../shared/surveys/service.js';
import { submission, TEST_DOSSIER_SECRET, testUnitLookup } from '../../../support/survey-fixtures.js';

/** An in-memory SurveyStore with the same rule as the DynamoDB one: one response per dossier hash. */
class MemorySurveyStore implements SurveyStore {
  readonly surveys = new Map<string, SurveyRecord>();
  readonly comments: CommentRecord[] = [];
  async create(survey: SurveyRecord, comment?: CommentRecord): Promise<void> {
    if (this.surveys.has(survey.dossierHash)) throw new ConflictError('already rated');
    this.surveys.set(survey.dossierHash, survey);
    if (comment) this.comments.push(comment);
  }
}

function deps(at: string, store = new MemorySurveyStore()) {
  let n = 0;
  return {
    store,
    deps: {
      units: testUnitLookup(),
      store,
      dossierSecret: async () => TEST_DOSSIER_SECRET,
      clock: { now: () => new Date(at) },
      newId: () => `id-${++n}`,
    },
  };
}

describe('submitSurvey', () => {
  it('stores the response under the keyed hash with the Vietnam date and the unit in force', async () => {
    // Prepare: 2025-08-11T18:30Z is already 2025-08-12 in Vietnam.
    const { store, deps: d } = deps('2025-08-11T18:30:00Z');
    // Act
    const result = await submitSurvey(submission(), d);
    // Assess
    expect(result).toEqual({ id: 'id-1', unitId: '00301', date: '2025-08-12', comment: null, verified: false });
    const stored = [...store.surveys.values()][0];
    expect(stored).toEqual({
      id: 'id-1',
      dossierHash: dossierHash(TEST_DOSSIER_SECRET, '000.00.15.H26-250812-0001'),
      unitId: '00301',
      date: '2025-08-12',
      ratings: { access: 5, procedures: 4, staff: 5, results: 4, feedback: null },
      overall: 5,
      channel: 'web',
      hasComment: false,
      verified: false,
    });
  });

  it('stores how the dossier was submitted, the answers on conduct, and the procedure with personal data masked', async () => {
    // Prepare
    const { store, deps: d } = deps('2025-08-12T03:00:00Z');
    const input = submission({
      submission: 'postal',
      procedure: 'Đăng ký khai sinh, gọi 0912 345 678',
      conduct: { extraPayment: false, trips: 0 },
    });
    // Act
    await submitSurvey(input, d);
    // Assess
    const stored = [...store.surveys.values()][0];
    expect(stored).toMatchObject({ submission: 'postal', conduct: { extraPayment: false, trips: 0 } });
    expect(stored?.procedure).toBe(`Đăng ký khai sinh, gọi ${MASKS.phone}`);
  });

  it('stores no conduct, submission or procedure when none was answered (older clients)', async () => {
    const { store, deps: d } = deps('2025-08-12T03:00:00Z');
    await submitSurvey(submission({ conduct: {} }), d);
    const stored = [...store.surveys.values()][0] ?? {};
    expect(stored).not.toHaveProperty('conduct');
    expect(stored).not.toHaveProperty('submission');
    expect(stored).not.toHaveProperty('procedure');
  });

  it('flags a response illustrative only when a trusted loader says so', async () => {
    // Prepare
    const { store, deps: d } = deps('2025-08-11T18:30:00Z');
    // Act
    await submitSurvey(submission(), d, { illustrative: true });
    await submitSurvey(submission({ dossierCode: '000.00.15.H26-250812-0002' }), d);
    // Assess
    const [demo, real] = [...store.surveys.values()];
    expect(demo?.illustrative).toBe(true);
    expect(real).not.toHaveProperty('illustrative');
  });

  it('resolves a reused code to the unit in force on the day: Tứ Liên before 2025-07-01, Hồng Hà after', async () => {
    const before = await submitSurvey(submission({ unit: '00097' }), deps('2025-06-30T16:59:59Z').deps);
    const after = await submitSurvey(submission({ unit: '00097' }), deps('2025-06-30T17:00:00Z').deps);
    expect(before.unitId).toBe('00097-pre2025');
    expect(after.unitId).toBe('00097');
  });

  it('refuses a code not in force on the day, and a unit that is not a ward or commune', async () => {
    await expect(submitSurvey(submission({ unit: '00304' }), deps('2025-08-12T03:00:00Z').deps)).rejects.toThrow(
      ValidationError,
    );
    await expect(submitSurvey(submission({ unit: '00301' }), deps('2025-03-12T03:00:00Z').deps)).rejects.toThrow(
      ValidationError,
    );
    const error = await submitSurvey(submission({ unit: '99999' }), deps('2025-08-12T03:00:00Z').deps).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]?.path).toBe('unit');
  });

  it("rates a province's public administration service centre, and a branch of it by its label", async () => {
    // Prepare
    const { store, deps: d } = deps('2025-08-12T03:00:00Z');
    // Act
    const centre = await submitSurvey(submission({ unit: '01' }), d);
    const branch = await submitSurvey(
      submission({ unit: '01', branch: 'Chi nhánh số 2', dossierCode: '000.00.15.H26-250812-0002' }),
      d,
    );
    // Assess: both count under the province (its figures include its centre's).
    expect(centre.unitId).toBe('01');
    expect(branch.unitId).toBe('01');
    expect([...store.surveys.values()].map((s) => s.branch)).toEqual([undefined, 'Chi nhánh số 2']);
  });

  it('refuses a district (not a service point) and a branch named for a ward', async () => {
    const district = await submitSurvey(submission({ unit: '008' }), deps('2025-03-12T03:00:00Z').deps).catch((e) => e);
    expect((district as ValidationError).issues[0]?.path).toBe('unit');
    const branch = await submitSurvey(submission({ branch: 'Chi nhánh 1' }), deps('2025-08-12T03:00:00Z').deps).catch(
      (e) => e,
    );
    expect(branch).toBeInstanceOf(ValidationError);
    expect((branch as ValidationError).issues[0]?.path).toBe('branch');
  });

  it('keeps the masked comment apart from the response, pending moderation', async () => {
    // Prepare
    const { store, deps: d } = deps('2025-08-12T03:00:00Z');
    const comment = 'Hồ sơ 000.00.15.h26-250812-0001 trễ hẹn; gọi 0912 345 678 hoặc a@b.vn';
    // Act
    const result = await submitSurvey(submission({ comment }), d);
    // Assess
    expect(result.comment).toBe('pending');
    expect(store.comments).toEqual([
      {
        id: 'id-1',
        unitId: '00301',
        status: 'pending',
        submittedAt: '2025-08-12',
        text: `Hồ sơ ${MASKS.dossierCode} trễ hẹn; gọi ${MASKS.phone} hoặc ${MASKS.email}`,
      },
    ]);
    const stored = [...store.surveys.values()][0];
    expect(stored?.hasComment).toBe(true);
    expect(JSON.stringify(stored)).not.toContain('trễ hẹn');
  });

  it('refuses a second response for the same dossier, however the code is typed', async () => {
    const { deps: d } = deps('2025-08-12T03:00:00Z');
    await submitSurvey(submission({ dossierCode: 'H26-0001' }), d);
    await expect(submitSurvey(submission({ dossierCode: 'H26-0001' }), d)).rejects.toThrow(ConflictError);
  });
});

describe('isHoneypotFilled', () => {
  it('is true only for a non-blank honeypot', () => {
    expect(isHoneypotFilled({ website: 'http://spam.example' })).toBe(true);
    expect(isHoneypotFilled({ website: '  ' })).toBe(false);
    expect(isHoneypotFilled({})).toBe(false);
  });
});
