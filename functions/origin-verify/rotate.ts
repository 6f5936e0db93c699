import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { type FunctionConfig, perConfig } from '../lib/config.js';
import { logger } from '../lib/observability.js';
import { ORIGIN_VALUES_MAX_AGE_MS, ORIGIN_VERIFY_HEADER } from '../lib/origin-verify.js';

/**
 * The rotation of the origin secret (functions/lib/origin-verify.ts), run by Secrets Manager on its schedule, one
 * step per invocation:
 * 1. createSecret: a new random value, staged AWSPENDING (the handlers start accepting it within a cache period);
 * 2. setSecret: waits until every handler's cache has seen it, then sets it as the origin header of the
 *    distribution (on every origin that carries the header), so CloudFront starts sending it;
 * 3. testSecret: reads the distribution back and checks that it now sends the pending value;
 * 4. finishSecret: makes the pending value AWSCURRENT; the old one becomes AWSPREVIOUS and stays accepted while
 *    CloudFront's edges take the change, until the next rotation.
 * Every step can run again (Secrets Manager retries): each checks what is already done.
 */

/** Longer than the handlers' cache of accepted values, so none is surprised by the new header. */
export const ORIGIN_VALUE_PROPAGATION_MS = 2 * ORIGIN_VALUES_MAX_AGE_MS + 15_000;

/** The event Secrets Manager sends a rotation function. */
export interface RotationEvent {
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

export interface RotationDependencies {
  readonly secrets: Pick<SecretsManagerClient, 'send'>;
  readonly cloudfront: Pick<CloudFrontClient, 'send'>;
  readonly distributionId: string;
  readonly wait: (ms: number) => Promise<void>;
  readonly random: () => string;
}

/** A new header value: 48 random bytes, base64url (64 characters, nothing to escape in a header). */
export function newOriginValue(): string {
  return randomBytes(48).toString('base64url');
}

/**
 * The distribution config with `value` as the origin header of every origin that carries it (the API origin: the
 * site stack puts it there); throws when no origin carries it, rather than send the secret to an origin that
 * never had it.
 */
export function withOriginHeader(config: DistributionConfig, value: string): DistributionConfig {
  let found = 0;
  const items = (config.Origins?.Items ?? []).map((origin) => {
    const headers = origin.CustomHeaders?.Items ?? [];
    if (!headers.some((header) => header.HeaderName?.toLowerCase() === ORIGIN_VERIFY_HEADER)) return origin;
    found += 1;
    const replaced = headers.map((header) =>
      header.HeaderName?.toLowerCase() === ORIGIN_VERIFY_HEADER ? { ...header, HeaderValue: value } : header,
    );
    return { ...origin, CustomHeaders: { Quantity: replaced.length, Items: replaced } };
  });
  if (found === 0) throw new Error(`no origin of the distribution carries the ${ORIGIN_VERIFY_HEADER} header`);
  return { ...config, Origins: { Quantity: items.length, Items: items } } as DistributionConfig;
}

/** The values the distribution sends in the origin header, one per origin that carries it. */
export function sentOriginValues(config: DistributionConfig): string[] {
  return (config.Origins?.Items ?? []).flatMap((origin) =>
    (origin.CustomHeaders?.Items ?? [])
      .filter((header) => header.HeaderName?.toLowerCase() === ORIGIN_VERIFY_HEADER)
      .map((header) => header.HeaderValue ?? ''),
  );
}

async function pendingValue(event: RotationEvent, deps: RotationDependencies): Promise<string> {
  const pending = await deps.secrets.send(
    new GetSecretValueCommand({
      SecretId: event.SecretId,
      VersionId: event.ClientRequestToken,
      VersionStage: 'AWSPENDING',
    }),
  );
  if (!pending.SecretString) throw new Error('the pending origin value is empty');
  return pending.SecretString;
}

/** Runs one rotation step. */
export async function rotateStep(event: RotationEvent, deps: RotationDependencies): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token } = event;
  const described = await deps.secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
  const stages = described.VersionIdsToStages ?? {};
  if (!described.RotationEnabled) throw new Error(`rotation is not enabled for ${secretId}`);
  if (!stages[token]) throw new Error(`version ${token} has no stage on ${secretId}`);
  if (stages[token]?.includes('AWSCURRENT')) return; // this version is already current: nothing left to do
  if (!stages[token]?.includes('AWSPENDING')) throw new Error(`version ${token} is not pending on ${secretId}`);

  switch (event.Step) {
    case 'createSecret': {
      try {
        await pendingValue(event, deps);
        return; // created by an earlier attempt
      } catch (error) {
        // Not staged yet: create it below. Any other failure ends the step (Secrets Manager retries it).
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
      await deps.secrets.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          ClientRequestToken: token,
          SecretString: deps.random(),
          VersionStages: ['AWSPENDING'],
        }),
      );
      logger.info('origin value staged', { secretId });
      return;
    }
    case 'setSecret': {
      const value = await pendingValue(event, deps);
      const current = await deps.cloudfront.send(new GetDistributionConfigCommand({ Id: deps.distributionId }));
      if (!current.DistributionConfig) throw new Error(`distribution ${deps.distributionId} has no config`);
      if (sentOriginValues(current.DistributionConfig).every((sent) => sent === value)) return;
      // The handlers accept AWSPENDING once their cache refreshes: only then may CloudFront send it.
      await deps.wait(ORIGIN_VALUE_PROPAGATION_MS);
      const fresh = await deps.cloudfront.send(new GetDistributionConfigCommand({ Id: deps.distributionId }));
      if (!fresh.DistributionConfig) throw new Error(`distribution ${deps.distributionId} has no config`);
      await deps.cloudfront.send(
        new UpdateDistributionCommand({
          Id: deps.distributionId,
          IfMatch: fresh.ETag,
          DistributionConfig: withOriginHeader(fresh.DistributionConfig, value),
        }),
      );
      logger.info('origin header updated on the distribution', { distributionId: deps.distributionId });
      return;
    }
    case 'testSecret': {
      const value = await pendingValue(event, deps);
      const read = await deps.cloudfront.send(new GetDistributionConfigCommand({ Id: deps.distributionId }));
      const sent = read.DistributionConfig ? sentOriginValues(read.DistributionConfig) : [];
      if (sent.length === 0 || sent.some((header) => header !== value)) {
        throw new Error('the distribution does not send the pending origin value');
      }
      return;
    }
    case 'finishSecret': {
      const currentVersion = Object.entries(stages).find(([, labels]) => labels.includes('AWSCURRENT'))?.[0];
      await deps.secrets.send(
        new UpdateSecretVersionStageCommand({
          SecretId: secretId,
          VersionStage: 'AWSCURRENT',
          MoveToVersionId: token,
          ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}),
        }),
      );
      logger.info('origin value rotated', { secretId });
      return;
    }
  }
}

/** The production wiring of a configuration: the distribution from `DISTRIBUTION_ID`, clients once per configuration. */
const rotationDependencies = perConfig((config): RotationDependencies => {
  const distributionId = config.DISTRIBUTION_ID;
  if (!distributionId) throw new Error('DISTRIBUTION_ID must be set');
  return {
    secrets: new SecretsManagerClient({}),
    // CloudFront's API is global, served from us-east-1.
    cloudfront: new CloudFrontClient({ region: 'us-east-1' }),
    distributionId,
    wait: (ms) => sleep(ms),
    random: newOriginValue,
  };
});

/** The rotation handler of a configuration (lib/config.ts); it reads it on the first step. */
export const createHandler = (config: FunctionConfig) =>
  async function rotateOriginValue(event: RotationEvent): Promise<void> {
    await rotateStep(event, rotationDependencies(config));
  };

/** Lambda's handler, configured by the environment. */
export const handler = createHandler(process.env);
