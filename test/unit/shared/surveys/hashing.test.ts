import { describe, expect, it } from 'vitest';
import {
  assertStrongSecret,
  clientBucket,
  clientPrefix,
  deriveKey,
  dossierHash,
} from '../../../../shared/surveys/hashing.js';
import { TEST_DOSSIER_SECRET } from '../../../support/survey-fixtures.js';

describe('dossierHash', () => {
  it('is stable for one key and differs with another key', () => {
    const a = dossierHash(TEST_DOSSIER_SECRET, 'H26-0001');
    expect(dossierHash(TEST_DOSSIER_SECRET, 'H26-0001')).toBe(a);
    expect(dossierHash(`${TEST_DOSSIER_SECRET}x`, 'H26-0001')).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('never contains the code it hashes', () => {
    expect(dossierHash(TEST_DOSSIER_SECRET, 'H26-0001')).not.toContain('H26');
  });
});

describe('clientBucket', () => {
  it('changes with the window, so buckets of two minutes cannot be linked', () => {
    const first = clientBucket(TEST_DOSSIER_SECRET, '203.0.113.9', 1_700_000_040);
    expect(clientBucket(TEST_DOSSIER_SECRET, '203.0.113.9', 1_700_000_040)).toBe(first);
    expect(clientBucket(TEST_DOSSIER_SECRET, '203.0.113.9', 1_700_000_100)).not.toBe(first);
    expect(clientBucket(TEST_DOSSIER_SECRET, '203.0.113.10', 1_700_000_040)).not.toBe(first);
  });

  it('puts the addresses of one IPv6 /64 in one bucket', () => {
    const a = clientBucket(TEST_DOSSIER_SECRET, '2001:db8:1:2::1', 60);
    expect(clientBucket(TEST_DOSSIER_SECRET, '2001:db8:1:2:ffff:0:0:9', 60)).toBe(a);
    expect(clientBucket(TEST_DOSSIER_SECRET, '2001:db8:1:3::1', 60)).not.toBe(a);
  });
});

describe('clientPrefix', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:203.0.113.9', '203.0.113.9'],
    ['2001:DB8::1', '2001:0db8:0000:0000::/64'],
    ['2001:db8:a:b:c:d:e:f', '2001:0db8:000a:000b::/64'],
    ['fe80::1%eth0', 'fe80:0000:0000:0000::/64'],
  ])('reads %s as %s', (address, expected) => {
    expect(clientPrefix(address)).toBe(expected);
  });
});

describe('secrets', () => {
  it('refuses a short secret', () => {
    expect(() => assertStrongSecret('short', 'DOSSIER_HMAC_SECRET')).toThrow(/at least 32/);
    expect(() => assertStrongSecret(TEST_DOSSIER_SECRET, 'DOSSIER_HMAC_SECRET')).not.toThrow();
  });

  it('derives a different key per purpose', () => {
    expect(deriveKey(TEST_DOSSIER_SECRET, 'rate-limit')).not.toBe(TEST_DOSSIER_SECRET);
    expect(deriveKey(TEST_DOSSIER_SECRET, 'rate-limit')).not.toBe(deriveKey(TEST_DOSSIER_SECRET, 'other'));
  });
});
