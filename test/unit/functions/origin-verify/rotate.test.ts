import {
  type CloudFrontClient,
  type DistributionConfig,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
} from '@aws-sdk/client-cloudfront';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { ORIGIN_VALUES_MAX_AGE_MS, ORIGIN_VERIFY_HEADER } from '../../../../functions/lib/origin-verify.js';
import {
  newOriginValue,
  ORIGIN_VALUE_PROPAGATION_MS,
  type RotationEvent,
  rotateStep,
  sentOriginValues,
  withOriginHeader,
} from '../../../../functions/origin-verify/rotate.js';

/**
 * The rotation's steps against stand-ins of Secrets Manager and CloudFront (neither has a local engine): the
 * distribution config as CloudFront returns it, the secret's versions and stages as Secrets Manager keeps them.
 */

const OLD = 'o'.repeat(64);
const NEW = 'n'.repeat(64);

function distribution(value = OLD): DistributionConfig {
  return {
    CallerReference: 'x',
    Comment: 'site',
    Enabled: true,
    DefaultCacheBehavior: { TargetOriginId: 's3', ViewerProtocolPolicy: 'redirect-to-https' },
    Origins: {
      Quantity: 2,
      Items: [
        { Id: 's3', DomainName: 'site.s3.amazonaws.com', CustomHeaders: { Quantity: 0, Items: [] } },
        {
          Id: 'api',
          DomainName: 'abc.execute-api.ap-southeast-1.amazonaws.com',
          CustomHeaders: { Quantity: 1, Items: [{ HeaderName: ORIGIN_VERIFY_HEADER, HeaderValue: value }] },
        },
      ],
    },
  } as DistributionConfig;
}

function world() {
  const state = {
    versions: { v1: { value: OLD, stages: ['AWSCURRENT'] } } as Record<string, { value?: string; stages: string[] }>,
    config: distribution(),
    etag: 'E1',
    log: [] as string[],
    /** What reading a version fails with instead of answering, as the client throws it. */
    readFails: undefined as Error | undefined,
  };
  const secrets = {
    async send(command: unknown) {
      if (command instanceof DescribeSecretCommand) {
        return {
          RotationEnabled: true,
          VersionIdsToStages: Object.fromEntries(Object.entries(state.versions).map(([id, v]) => [id, v.stages])),
        };
      }
      if (command instanceof GetSecretValueCommand) {
        if (state.readFails) throw state.readFails;
        const version = state.versions[command.input.VersionId ?? ''];
        if (!version?.value || !version.stages.includes(command.input.VersionStage ?? '')) {
          throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
        }
        return { SecretString: version.value };
      }
      if (command instanceof PutSecretValueCommand) {
        state.log.push('put');
        const id = command.input.ClientRequestToken ?? '';
        state.versions[id] = { value: command.input.SecretString, stages: command.input.VersionStages ?? [] };
        return {};
      }
      if (command instanceof UpdateSecretVersionStageCommand) {
        state.log.push('stage');
        for (const version of Object.values(state.versions)) {
          version.stages = version.stages.filter((stage) => stage !== 'AWSCURRENT');
        }
        state.versions[command.input.RemoveFromVersionId ?? '']?.stages.push('AWSPREVIOUS');
        state.versions[command.input.MoveToVersionId ?? '']?.stages.push('AWSCURRENT');
        return {};
      }
      throw new Error('unexpected secrets command');
    },
  } as unknown as Pick<SecretsManagerClient, 'send'>;
  const cloudfront = {
    async send(command: unknown) {
      if (command instanceof GetDistributionConfigCommand)
        return { DistributionConfig: state.config, ETag: state.etag };
      if (command instanceof UpdateDistributionCommand) {
        if (command.input.IfMatch !== state.etag) throw new Error('PreconditionFailed');
        state.log.push('update');
        state.config = command.input.DistributionConfig as DistributionConfig;
        state.etag = 'E2';
        return {};
      }
      throw new Error('unexpected cloudfront command');
    },
  } as unknown as Pick<CloudFrontClient, 'send'>;
  const deps = {
    secrets,
    cloudfront,
    distributionId: 'E123',
    wait: async (ms: number) => {
      state.log.push(`wait ${ms}`);
    },
    random: () => NEW,
  };
  return { state, deps };
}

const step = (Step: RotationEvent['Step']): RotationEvent => ({
  Step,
  SecretId: 'congvu/dev/origin-verify',
  ClientRequestToken: 'v2',
});

describe('withOriginHeader', () => {
  it('replaces the header on the origins that carry it, and leaves the others alone', () => {
    // Act
    const updated = withOriginHeader(distribution(), NEW);

    // Assess
    expect(sentOriginValues(updated)).toEqual([NEW]);
    expect(updated.Origins?.Items?.[0]).toEqual(distribution().Origins?.Items?.[0]);
    expect(updated.Comment).toBe('site');
  });

  it('refuses a distribution where no origin carries the header', () => {
    // Prepare
    const bare = distribution();
    bare.Origins = { Quantity: 1, Items: [bare.Origins?.Items?.[0] as never] };

    // Act / Assess
    expect(() => withOriginHeader(bare, NEW)).toThrow(ORIGIN_VERIFY_HEADER);
  });
});

describe('rotateStep', () => {
  it('stages a value, waits out the handlers’ cache before CloudFront sends it, checks it, then makes it current', async () => {
    // Prepare
    const { state, deps } = world();
    state.versions.v2 = { stages: ['AWSPENDING'] };

    // Act
    for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      await rotateStep(step(name), deps);
    }

    // Assess
    expect(state.log).toEqual(['put', `wait ${ORIGIN_VALUE_PROPAGATION_MS}`, 'update', 'stage']);
    expect(ORIGIN_VALUE_PROPAGATION_MS).toBeGreaterThan(ORIGIN_VALUES_MAX_AGE_MS);
    expect(sentOriginValues(state.config)).toEqual([NEW]);
    expect(state.versions.v2?.stages).toContain('AWSCURRENT');
    expect(state.versions.v1?.stages).toEqual(['AWSPREVIOUS']);
  });

  it('does nothing twice when Secrets Manager repeats a step', async () => {
    // Prepare
    const { state, deps } = world();
    state.versions.v2 = { stages: ['AWSPENDING'] };

    // Act
    await rotateStep(step('createSecret'), deps);
    await rotateStep(step('createSecret'), deps);
    await rotateStep(step('setSecret'), deps);
    await rotateStep(step('setSecret'), deps);

    // Assess
    expect(state.log).toEqual(['put', `wait ${ORIGIN_VALUE_PROPAGATION_MS}`, 'update']);
  });

  it('stages nothing when the pending version cannot be read for another reason than not existing', async () => {
    // Prepare
    const { state, deps } = world();
    state.versions.v2 = { stages: ['AWSPENDING'] };
    state.readFails = new InternalServiceError({ message: 'try again', $metadata: {} });

    // Act / Assess
    await expect(rotateStep(step('createSecret'), deps)).rejects.toBe(state.readFails);
    expect(state.log).toEqual([]);
  });

  it('fails the test step while the distribution still sends the old value', async () => {
    // Prepare
    const { state, deps } = world();
    state.versions.v2 = { stages: ['AWSPENDING'] };
    await rotateStep(step('createSecret'), deps);

    // Act / Assess
    await expect(rotateStep(step('testSecret'), deps)).rejects.toThrow(/does not send/);
  });

  it('makes new values of 64 URL-safe characters, never twice the same', () => {
    // Act
    const values = new Set(Array.from({ length: 50 }, newOriginValue));

    // Assess
    expect(values.size).toBe(50);
    for (const value of values) expect(value).toMatch(/^[A-Za-z0-9_-]{64}$/);
  });
});
