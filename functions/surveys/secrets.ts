import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { assertStrongSecret, deriveKey } from '../../shared/surveys/hashing.js';
import type { SecretSource } from '../../shared/surveys/ports.js';

/**
 * The survey secrets from configuration, never from the repository: locally an environment variable (the local
 * stack makes one per data directory), in AWS an SSM SecureString named by `DOSSIER_HMAC_PARAMETER` (`RATE_LIMIT_SALT_PARAMETER`), read with
 * Powertools (decrypted, cached for 5 minutes, so a rotation reaches warm functions without a deploy).
 */

/** How long a parameter read from SSM is reused, in seconds. */
const PARAMETER_MAX_AGE = 300;

/** A secret from `env[name]`, or the SSM parameter named by `env[parameterVariable]`, or the fallback. */
export function secretFromConfig(
  env: NodeJS.ProcessEnv,
  name: string,
  parameterVariable: string,
  fallback?: SecretSource,
): SecretSource {
  const direct = env[name];
  if (direct !== undefined && direct !== '') {
    assertStrongSecret(direct, name);
    return async () => direct;
  }
  const parameterName = env[parameterVariable];
  if (parameterName !== undefined && parameterName !== '') {
    return async function readSecretParameter() {
      const value = await getParameter(parameterName, { decrypt: true, maxAge: PARAMETER_MAX_AGE });
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
export function surveySecretsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  dossierSecret: SecretSource;
  rateLimitSecret: SecretSource;
} {
  const dossierSecret = secretFromConfig(env, 'DOSSIER_HMAC_SECRET', 'DOSSIER_HMAC_PARAMETER');
  const derived: SecretSource = async () => deriveKey(await dossierSecret(), 'rate-limit');
  return {
    dossierSecret,
    rateLimitSecret: secretFromConfig(env, 'RATE_LIMIT_SALT', 'RATE_LIMIT_SALT_PARAMETER', derived),
  };
}
