import {
  DecryptionFailure,
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import {
  assertThroughOrigin,
  clientAddressOf,
  headerMatches,
  ORIGIN_VALUES_MAX_AGE_MS,
  ORIGIN_VERIFY_HEADER,
  OriginNotVerifiedError,
  originValuesFromEnv,
  secretsManagerOriginValues,
  staticOriginValues,
} from '../../../../functions/lib/origin-verify.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

/**
 * Secrets Manager as far as the check uses it: one value per stage, "not found" for a stage that has none, or the
 * error a stage's read fails with. The errors are the client's own exception classes, as it throws them.
 */
function fakeSecrets(stages: Record<string, string | Error | undefined>, failing = { now: false }) {
  const calls: string[] = [];
  const client = {
    async send(command: unknown) {
      if (!(command instanceof GetSecretValueCommand)) throw new Error('unexpected command');
      const stage = command.input.VersionStage ?? 'AWSCURRENT';
      calls.push(stage);
      if (failing.now) throw new InternalServiceError({ message: 'unreachable', $metadata: {} });
      const value = stages[stage];
      if (value === undefined) throw new ResourceNotFoundException({ message: 'no such version', $metadata: {} });
      if (value instanceof Error) throw value;
      return { SecretString: value };
    },
  } as unknown as Pick<SecretsManagerClient, 'send'>;
  return { client, calls };
}

describe('headerMatches', () => {
  it('matches one of the accepted values exactly, and nothing shorter, longer or empty', () => {
    // Assess
    expect(headerMatches(A, [B, A])).toBe(true);
    expect(headerMatches(A.slice(1), [A])).toBe(false);
    expect(headerMatches(`${A}a`, [A])).toBe(false);
    expect(headerMatches('', [A])).toBe(false);
    expect(headerMatches(undefined, [A])).toBe(false);
    expect(headerMatches(A, [])).toBe(false);
  });
});

describe('assertThroughOrigin', () => {
  it('refuses a missing header without reading the accepted values', async () => {
    // Prepare
    let read = 0;
    const source = async () => {
      read += 1;
      return [A];
    };

    // Act / Assess
    await expect(assertThroughOrigin({}, source)).rejects.toThrow(OriginNotVerifiedError);
    expect(read).toBe(0);
    await expect(assertThroughOrigin({ [ORIGIN_VERIFY_HEADER]: B }, source)).rejects.toThrow(OriginNotVerifiedError);
    await expect(assertThroughOrigin({ [ORIGIN_VERIFY_HEADER]: A }, source)).resolves.toBeUndefined();
  });
});

describe('secretsManagerOriginValues', () => {
  it('accepts the current, pending and previous values, and a missing stage is simply absent', async () => {
    // Prepare
    const { client } = fakeSecrets({ AWSCURRENT: A, AWSPREVIOUS: B });

    // Act
    const values = await secretsManagerOriginValues('congvu/dev/origin-verify', client)();

    // Assess
    expect([...values].sort()).toEqual([A, B]);
  });

  it('reads Secrets Manager once per cache period, however many requests ask', async () => {
    // Prepare
    let now = 1_000_000;
    const { client, calls } = fakeSecrets({ AWSCURRENT: A, AWSPENDING: B, AWSPREVIOUS: undefined });
    const source = secretsManagerOriginValues('s', client, () => now);

    // Act
    await Promise.all([source(), source(), source()]);
    now += ORIGIN_VALUES_MAX_AGE_MS - 1;
    await source();
    const cachedCalls = calls.length;
    now += 2;
    await source();

    // Assess
    expect(cachedCalls).toBe(3); // one read of each stage
    expect(calls.length).toBe(6);
  });

  it('keeps the last values when Secrets Manager fails, and fails when it never answered', async () => {
    // Prepare
    let now = 0;
    const failing = { now: false };
    const { client } = fakeSecrets({ AWSCURRENT: A }, failing);
    const source = secretsManagerOriginValues('s', client, () => now);
    const never = secretsManagerOriginValues('s', fakeSecrets({}, { now: true }).client);

    // Act
    await source();
    failing.now = true;
    now += ORIGIN_VALUES_MAX_AGE_MS + 1;

    // Assess
    await expect(source()).resolves.toEqual([A]);
    await expect(never()).rejects.toThrow();
  });

  it('fails when a stage cannot be read for any reason other than not existing', async () => {
    // Prepare
    const refused = new DecryptionFailure({ message: 'cannot decrypt', $metadata: {} });
    const { client } = fakeSecrets({ AWSCURRENT: A, AWSPENDING: refused });

    // Act / Assess
    await expect(secretsManagerOriginValues('s', client)()).rejects.toBe(refused);
  });

  it('refuses to run without a current value', async () => {
    // Act / Assess
    await expect(secretsManagerOriginValues('s', fakeSecrets({}).client)()).rejects.toThrow();
  });
});

describe('originValuesFromEnv', () => {
  it('is off without configuration (no CloudFront in front: npm start, tests)', () => {
    // Assess
    expect(originValuesFromEnv({})).toBeUndefined();
    expect(originValuesFromEnv({ ORIGIN_VERIFY_VALUES: ' , ' })).toBeUndefined();
  });

  it('takes comma-separated values, each long enough to be a generated secret', async () => {
    // Act / Assess
    await expect(originValuesFromEnv({ ORIGIN_VERIFY_VALUES: `${A}, ${B}` })?.()).resolves.toEqual([A, B]);
    expect(() => staticOriginValues(['short'])).toThrow(/at least 32/);
  });
});

describe('clientAddressOf', () => {
  const headers = { 'cloudfront-viewer-address': '192.0.2.4:5123' };

  it('believes the viewer address only from a request that came through CloudFront', () => {
    // Assess
    expect(clientAddressOf(headers, '130.176.0.1', true, 'cloudfront-viewer-address')).toBe('192.0.2.4');
    expect(clientAddressOf(headers, '130.176.0.1', false, 'cloudfront-viewer-address')).toBe('130.176.0.1');
    expect(clientAddressOf(headers, '130.176.0.1', true, undefined)).toBe('130.176.0.1');
    expect(clientAddressOf({}, '130.176.0.1', true, 'cloudfront-viewer-address')).toBe('130.176.0.1');
  });

  it('drops the port of an IPv6 viewer address (unbracketed)', () => {
    // Assess
    expect(
      clientAddressOf(
        { 'cloudfront-viewer-address': '2001:db8::1:443' },
        '130.176.0.1',
        true,
        'cloudfront-viewer-address',
      ),
    ).toBe('2001:db8::1');
  });
});
