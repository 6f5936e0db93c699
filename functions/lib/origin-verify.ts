import { timingSafeEqual } from 'node:crypto';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ForbiddenError } from '../../shared/errors.js';

/**
 * Only through the front door (security review 1): in AWS the API's own execute-api address is public, and a
 * caller who found it could skip the WAF and forge the viewer address the survey rate limit counts by. CloudFront
 * adds a secret header to every request it sends to the API origin (infra/stacks/site-stack.ts); every handler
 * refuses a request without it, first, before reading its body (http.ts puts the check first). Only a request
 * that passed is trusted to carry the viewer's address (`CLIENT_ADDRESS_HEADER`).
 *
 * The value lives in Secrets Manager and is rotated on a schedule (functions/origin-verify/rotate.ts): a new value
 * is staged (AWSPENDING), the handlers learn it within a cache period, only then CloudFront starts sending it, and
 * the old one stays accepted as AWSPREVIOUS while CloudFront's edges take the change. So the handlers accept the
 * current, pending and previous values. Locally (`npm start`, tests) there is no CloudFront: the check is off
 * unless ORIGIN_VERIFY_SECRET or ORIGIN_VERIFY_VALUES is set.
 */

/** The header CloudFront adds to every request to the API origin (lower-case: API Gateway v2 lower-cases names). */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';

/**
 * The header CloudFront sets to the viewer's `ip:port` (forwarded to the API by the /api/* origin request policy):
 * the `CLIENT_ADDRESS_HEADER` the API stack configures (infra/stacks/api-stack.ts).
 */
export const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/** The staging labels whose values are accepted: see the rotation above. */
export const ACCEPTED_STAGES = ['AWSCURRENT', 'AWSPENDING', 'AWSPREVIOUS'] as const;

/**
 * How long the accepted values are reused before Secrets Manager is asked again, in milliseconds. The rotation
 * waits more than this between staging a value and sending it (ORIGIN_VALUE_PROPAGATION_MS in the rotation).
 */
export const ORIGIN_VALUES_MAX_AGE_MS = 60_000;

/** Shortest accepted value: a generated secret, never a word a person chose. */
const MINIMUM_VALUE_LENGTH = 32;

/** A request that did not come through CloudFront: 403, nothing done. */
export class OriginNotVerifiedError extends ForbiddenError {
  constructor() {
    super('This API answers requests made through the site’s own address only.');
  }
}

/** The values a request's header may carry; throws when they cannot be read (a 500: never let a request through). */
export type OriginValuesSource = () => Promise<readonly string[]>;

/** Constant-time: the time taken says nothing about how much of a guess was right. */
export function headerMatches(header: string | undefined, accepted: readonly string[]): boolean {
  if (header === undefined || header === '') return false;
  const given = Buffer.from(header, 'utf8');
  let match = false;
  for (const value of accepted) {
    const expected = Buffer.from(value, 'utf8');
    // timingSafeEqual needs equal lengths; every accepted value is checked, whatever the outcome of the others.
    const same = expected.length === given.length && timingSafeEqual(expected, given);
    match = same || match;
  }
  return match;
}

/** Throws OriginNotVerifiedError unless the request's header carries one of the accepted values. */
export async function assertThroughOrigin(
  headers: Readonly<Record<string, string | undefined>>,
  source: OriginValuesSource,
): Promise<void> {
  const header = headers[ORIGIN_VERIFY_HEADER];
  // No header at all costs nothing: not even a read of the accepted values.
  if (header === undefined || header === '') throw new OriginNotVerifiedError();
  if (!headerMatches(header, await source())) throw new OriginNotVerifiedError();
}

/** Values given directly (ORIGIN_VERIFY_VALUES, comma-separated): for tests and a local stand-in of CloudFront. */
export function staticOriginValues(values: readonly string[]): OriginValuesSource {
  for (const value of values) {
    if (value.length < MINIMUM_VALUE_LENGTH) {
      throw new Error(`ORIGIN_VERIFY_VALUES: each value needs at least ${MINIMUM_VALUE_LENGTH} characters`);
    }
  }
  return async () => values;
}

/**
 * The accepted values from Secrets Manager, read for each stage and cached for ORIGIN_VALUES_MAX_AGE_MS (one
 * refresh at a time however many requests wait for it). Powertools' parameter cache keys on the secret's name
 * only, so three stages of one secret would overwrite each other there: hence this small cache of its own. A stage
 * that does not exist (no rotation pending) is simply absent.
 */
export function secretsManagerOriginValues(
  secretId: string,
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
  now: () => number = Date.now,
): OriginValuesSource {
  let cached: { readonly values: readonly string[]; readonly at: number } | undefined;
  let refreshing: Promise<readonly string[]> | undefined;
  const readStage = async (stage: string): Promise<string | undefined> => {
    try {
      const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }));
      return answer.SecretString;
    } catch (error) {
      // Only "this stage has no version" means absent; any other failure (access, throttling) is a failure.
      if (error instanceof ResourceNotFoundException && stage !== 'AWSCURRENT') return undefined;
      throw error;
    }
  };
  const refresh = async (): Promise<readonly string[]> => {
    let read: (string | undefined)[];
    try {
      read = await Promise.all(ACCEPTED_STAGES.map(readStage));
    } catch (error) {
      // Secrets Manager briefly unreachable: the values last read were valid a minute ago; keep them until it answers.
      if (cached) return cached.values;
      throw error;
    }
    const values = read.filter((value): value is string => value !== undefined && value.length >= MINIMUM_VALUE_LENGTH);
    if (values.length === 0) throw new Error(`the origin secret ${secretId} holds no usable value`);
    cached = { values, at: now() };
    return values;
  };
  return async function originValues() {
    if (cached && now() - cached.at < ORIGIN_VALUES_MAX_AGE_MS) return cached.values;
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };
}

/**
 * The check as configured: ORIGIN_VERIFY_SECRET (the Secrets Manager secret, set by CDK on every API function),
 * else ORIGIN_VERIFY_VALUES, else none (the check is off: no CloudFront in front).
 */
export function originValuesFromEnv(env: NodeJS.ProcessEnv = process.env): OriginValuesSource | undefined {
  const secret = env.ORIGIN_VERIFY_SECRET;
  if (secret) return secretsManagerOriginValues(secret);
  const values = env.ORIGIN_VERIFY_VALUES?.split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (values && values.length > 0) return staticOriginValues(values);
  return undefined;
}

/**
 * The header carrying the viewer's address behind CloudFront (`cloudfront-viewer-address`, `ip:port`), read only
 * from a request whose origin was verified; otherwise the connection's source address.
 */
export function clientAddressOf(
  headers: Readonly<Record<string, string | undefined>>,
  sourceIp: string,
  throughOrigin: boolean,
  clientAddressHeader: string | undefined,
): string {
  const fromProxy = throughOrigin && clientAddressHeader ? headers[clientAddressHeader.toLowerCase()] : undefined;
  if (!fromProxy) return sourceIp;
  // CloudFront-Viewer-Address is `ip:port` (IPv6 unbracketed): drop the port.
  const lastColon = fromProxy.lastIndexOf(':');
  return lastColon > 0 ? fromProxy.slice(0, lastColon) : fromProxy;
}
