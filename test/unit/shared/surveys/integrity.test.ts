import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  MalformedRequestError,
  PayloadTooLargeError,
  RateLimitedError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../../shared/errors.js';
import { CrossSiteRequestError } from '../../../../shared/http/same-site.js';
import {
  InvalidReceiptError,
  REFUSAL_REASON_LABELS,
  REFUSAL_REASONS,
  recordRefusal,
  refusalReasonOf,
  UnknownServicePointError,
} from '../../../../shared/surveys/integrity.js';

describe('refusalReasonOf', () => {
  it('names the reason of every error the survey handler refuses with', () => {
    // Prepare
    const issue = [{ path: 'x', message: 'm' }];
    const cases: [unknown, string][] = [
      [new CrossSiteRequestError(), 'crossSite'],
      [new RateLimitedError(30), 'rateLimited'],
      [new ConflictError('again'), 'duplicate'],
      [new InvalidReceiptError(issue), 'invalidReceipt'],
      [new UnknownServicePointError(issue), 'unknownUnit'],
      [new ValidationError(issue), 'invalid'],
      [new MalformedRequestError('broken'), 'invalid'],
      [new PayloadTooLargeError('big'), 'invalid'],
      [new UnsupportedMediaTypeError('xml'), 'invalid'],
    ];

    // Act
    const reasons = cases.map(([error]) => refusalReasonOf(error));

    // Assess
    expect(reasons).toEqual(cases.map(([, reason]) => reason));
  });

  it('counts no refusal for a failure that is ours (the database unavailable, a bug)', () => {
    // Assess
    expect(refusalReasonOf(new ServiceUnavailableError(5))).toBeUndefined();
    expect(refusalReasonOf(new TypeError('bug'))).toBeUndefined();
  });

  it('labels every reason in Vietnamese and English', () => {
    // Assess
    for (const reason of REFUSAL_REASONS) {
      expect(REFUSAL_REASON_LABELS[reason].vi.normalize('NFC')).toBe(REFUSAL_REASON_LABELS[reason].vi);
      expect(REFUSAL_REASON_LABELS[reason].en).not.toBe('');
    }
  });
});

describe('recordRefusal', () => {
  it("counts on the Vietnam date: 23:30 UTC is the next day's", async () => {
    // Prepare
    const counted: [string, string][] = [];
    const store = { count: async (date: string, reason: string) => void counted.push([date, reason]) };

    // Act
    await recordRefusal('duplicate', { store, clock: { now: () => new Date('2026-11-28T23:30:00Z') } });

    // Assess
    expect(counted).toEqual([['2026-11-29', 'duplicate']]);
  });
});
