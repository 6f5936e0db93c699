import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import {
  PARAMETER_MAX_AGE_MS,
  type ParameterClient,
  secretFromConfig,
  ssmParameterReader,
  surveySecretsFromEnv,
} from '../../../../functions/surveys/secrets.js';

/** SSM is never reachable here: a client that answers from a map and records what it was asked. */
function fakeSsm(values: Record<string, string | undefined>) {
  const asked: { name: string | undefined; decrypt: boolean | undefined }[] = [];
  let failNext = false;
  const client: ParameterClient = {
    send: (async (command: unknown) => {
      if (!(command instanceof GetParameterCommand)) throw new Error('only GetParameter is expected');
      asked.push({ name: command.input.Name, decrypt: command.input.WithDecryption });
      await Promise.resolve();
      if (failNext) {
        failNext = false;
        throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
      }
      const name = command.input.Name ?? '';
      if (!(name in values)) throw Object.assign(new Error(name), { name: 'ParameterNotFound' });
      return { Parameter: { Name: name, Type: 'SecureString', Value: values[name] } };
    }) as ParameterClient['send'],
  };
  return { client: async () => client, asked, failOnce: () => (failNext = true) };
}

const STRONG = 'x'.repeat(40);

describe('ssmParameterReader', () => {
  it('reads the parameter decrypted and reuses it for five minutes, then asks again', async () => {
    const ssm = fakeSsm({ '/p/dossier': STRONG });
    let now = 1_000_000;
    const read = ssmParameterReader('/p/dossier', { client: ssm.client, now: () => now });
    expect(await read()).toBe(STRONG);
    now += PARAMETER_MAX_AGE_MS - 1;
    expect(await read()).toBe(STRONG);
    expect(ssm.asked).toEqual([{ name: '/p/dossier', decrypt: true }]);
    now += 1;
    expect(await read()).toBe(STRONG);
    expect(ssm.asked).toHaveLength(2);
    expect(PARAMETER_MAX_AGE_MS).toBe(300_000);
  });

  it('sends one request for concurrent reads, and remembers no failure', async () => {
    const ssm = fakeSsm({ '/p/salt': STRONG });
    const read = ssmParameterReader('/p/salt', { client: ssm.client });
    ssm.failOnce();
    await expect(Promise.all([read(), read(), read()])).rejects.toThrow('throttled');
    expect(ssm.asked).toHaveLength(1);
    expect(await Promise.all([read(), read()])).toEqual([STRONG, STRONG]);
    expect(ssm.asked).toHaveLength(2);
  });
});

describe('secretFromConfig', () => {
  it('prefers the variable itself and then never asks SSM', async () => {
    const ssm = fakeSsm({});
    const secret = secretFromConfig(
      { DOSSIER_HMAC_SECRET: STRONG, DOSSIER_HMAC_PARAMETER: '/p/dossier' },
      'DOSSIER_HMAC_SECRET',
      'DOSSIER_HMAC_PARAMETER',
      undefined,
      { client: ssm.client },
    );
    expect(await secret()).toBe(STRONG);
    expect(ssm.asked).toHaveLength(0);
  });

  it('refuses a missing or weak parameter, and a configuration naming neither', async () => {
    const env = { DOSSIER_HMAC_PARAMETER: '/p/dossier' };
    const missing = fakeSsm({ '/p/dossier': undefined });
    const read = (client: ReturnType<typeof fakeSsm>['client']) =>
      secretFromConfig(env, 'DOSSIER_HMAC_SECRET', 'DOSSIER_HMAC_PARAMETER', undefined, { client })();
    await expect(read(missing.client)).rejects.toThrow('SSM parameter /p/dossier (DOSSIER_HMAC_SECRET) is missing');
    await expect(read(fakeSsm({}).client)).rejects.toThrow('/p/dossier');
    await expect(read(fakeSsm({ '/p/dossier': 'short' }).client)).rejects.toThrow('DOSSIER_HMAC_SECRET must be');
    await expect(secretFromConfig({}, 'DOSSIER_HMAC_SECRET', 'DOSSIER_HMAC_PARAMETER')()).rejects.toThrow(
      'DOSSIER_HMAC_SECRET or DOSSIER_HMAC_PARAMETER must be set',
    );
  });
});

describe('surveySecretsFromEnv', () => {
  it('reads both parameters from SSM, and derives the salt from the dossier key when none is configured', async () => {
    const ssm = fakeSsm({ '/p/dossier': STRONG, '/p/salt': 'y'.repeat(40) });
    const both = surveySecretsFromEnv(
      { DOSSIER_HMAC_PARAMETER: '/p/dossier', RATE_LIMIT_SALT_PARAMETER: '/p/salt' },
      { client: ssm.client },
    );
    expect(await both.dossierSecret()).toBe(STRONG);
    expect(await both.rateLimitSecret()).toBe('y'.repeat(40));
    const derived = surveySecretsFromEnv({ DOSSIER_HMAC_PARAMETER: '/p/dossier' }, { client: ssm.client });
    const salt = await derived.rateLimitSecret();
    expect(salt).not.toBe(STRONG);
    expect(salt.length).toBeGreaterThanOrEqual(32);
    expect(ssm.asked.every((a) => a.decrypt === true)).toBe(true);
  });
});
