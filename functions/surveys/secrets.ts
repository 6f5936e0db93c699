import type { SSMClient } from '@aws-sdk/client-ssm';
import { assertStrongSecret, deriveKey } from '../../shared/surveys/hashing.js';
import type { SecretSource } from '../../shared/surveys/ports.js';

/**
 * The survey secrets from configuration, never from the repository: locally an environment variable (the local
 * stack makes one per data directory), in AWS an SSM SecureString named by `DOSSIER_HMAC_PARAMETER`
 * (`RATE_LIMIT_SALT_PARAMETER`), read decrypted and reused for 5 minutes, so a rotation reaches warm functions
 * without a deploy.
 *
 * Read with the SSM client itself, imported on the first read, not with Powertools' parameters module: that module
 * imports `@aws-sdk/client-ssm` at its top, so the survey function paid for loading the SSM client at every cold
 * start (issue #15: module init), even locally where no parameter is read. What Powertools gave is kept: the
 * decryption, a cache of 5 minutes per parameter, one request at a time per parameter, nothing cached on failure.
 */

/** How long a parameter read from SSM is reused, in milliseconds. */
export const PARAMETER_MAX_AGE_MS = 300_000;

/** What reading a parameter needs of the SSM client (tests pass their own). */
export type ParameterClient = Pick<SSMClient, 'send'>;

export interface ParameterReaderOptions {
  /** The client, made on the first read by default (the module is loaded only then). */
  readonly client?: () => Promise<ParameterClient>;
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

let sharedClient: Promise<ParameterClient> | undefined;

/** The function's SSM client, made on the first read (so the module is loaded only then), shared by its parameters. */
function defaultClient(): Promise<ParameterClient> {
  sharedClient ??= import('@aws-sdk/client-ssm').then(({ SSMClient }) => new SSMClient({}));
  return sharedClient;
}

/**
 * Reads one SecureString parameter, decrypted, reusing its value for `maxAgeMs`; concurrent reads while it is
 * fetched share one request. A failed read is not remembered: the next call asks again. Undefined when the
 * parameter has no value.
 */
export function ssmParameterReader(
  name: string,
  { client = defaultClient, maxAgeMs = PARAMETER_MAX_AGE_MS, now = Date.now }: ParameterReaderOptions = {},
): () => Promise<string | undefined> {
  let cached: { readonly value: string | undefined; readonly at: number } | undefined;
  let reading: Promise<string | undefined> | undefined;
  const read = async (): Promise<string | undefined> => {
    const [{ GetParameterCommand }, ssm] = await Promise.all([import('@aws-sdk/client-ssm'), client()]);
    const answer = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const value = answer.Parameter?.Value;
    cached = { value, at: now() };
    return value;
  };
  return async function readParameter() {
    if (cached && now() - cached.at < maxAgeMs) return cached.value;
    reading ??= read().finally(() => {
      reading = undefined;
    });
    return reading;
  };
}

/** A secret from `env[name]`, or the SSM parameter named by `env[parameterVariable]`, or the fallback. */
export function secretFromConfig(
  env: NodeJS.ProcessEnv,
  name: string,
  parameterVariable: string,
  fallback?: SecretSource,
  options: ParameterReaderOptions = {},
): SecretSource {
  const direct = env[name];
  if (direct !== undefined && direct !== '') {
    assertStrongSecret(direct, name);
    return async () => direct;
  }
  const parameterName = env[parameterVariable];
  if (parameterName !== undefined && parameterName !== '') {
    const readParameter = ssmParameterReader(parameterName, options);
    return async function readSecretParameter() {
      const value = await readParameter();
      if (typeof value !== 'string') throw new Error(`SSM parameter ${parameterName} (${name}) is missing`);
      assertStrongSecret(value, name);
      return value;
    };
  }
  if (fallback) return fallback;
  return async () => {
    throw new Error(`${name} or ${parameterVariable} must be set`);
  };
}

/** The dossier HMAC key and the rate-limit salt (derived from the dossier key when no salt is configured). */
export function surveySecretsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: ParameterReaderOptions = {},
): {
  dossierSecret: SecretSource;
  rateLimitSecret: SecretSource;
} {
  const dossierSecret = secretFromConfig(env, 'DOSSIER_HMAC_SECRET', 'DOSSIER_HMAC_PARAMETER', undefined, options);
  const derived: SecretSource = async () => deriveKey(await dossierSecret(), 'rate-limit');
  return {
    dossierSecret,
    rateLimitSecret: secretFromConfig(env, 'RATE_LIMIT_SALT', 'RATE_LIMIT_SALT_PARAMETER', derived, options),
  };
}
