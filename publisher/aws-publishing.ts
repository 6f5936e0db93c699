import { requiredEnv } from '../shared/env.js';
import type { LogIdentity } from '../shared/log/signer.js';
import { logIdentity } from '../shared/log/signer.js';
import type { CacheInvalidator, ObjectStore } from '../shared/publishing/ports.js';

/**
 * The AWS side of publishing, shared by the CLI (`publish:site`, `log export`, `publish:pipeline` in CodeBuild)
 * and the site-publisher function: the log's signing key from SSM, the site bucket, CloudFront. The SDK clients
 * are loaded only here, on first use: publishing into a directory needs none.
 */

/**
 * The log's identity in AWS: the SecureString named by LOG_KEY_PARAMETER (decrypted by SSM with the caller's
 * kms:Decrypt, never written anywhere) and the origin LOG_ORIGIN, both set by CDK on each publisher.
 */
export async function awsLogIdentity(env: NodeJS.ProcessEnv = process.env): Promise<LogIdentity> {
  const { LOG_KEY_PARAMETER: name, LOG_ORIGIN: origin } = requiredEnv(
    env,
    ['LOG_KEY_PARAMETER', 'LOG_ORIGIN'],
    'LOG_KEY_PARAMETER and LOG_ORIGIN must be set to sign the log in AWS',
  );
  const { GetParameterCommand, SSMClient } = await import('@aws-sdk/client-ssm');
  const ssm = new SSMClient({});
  try {
    const { Parameter } = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    if (!Parameter?.Value) throw new Error(`the SSM parameter ${name} is empty`);
    return logIdentity(origin, Parameter.Value);
  } finally {
    ssm.destroy();
  }
}

export interface AwsBucket {
  readonly store: ObjectStore;
  close(): void;
}

/** The site bucket as the publisher's store (or the build-cache bucket, where the publication record is kept). */
export async function awsSiteBucket(bucket: string): Promise<AwsBucket> {
  const [{ S3Client }, { s3Store }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('../shared/storage/site-bucket-store.js'),
  ]);
  const s3 = new S3Client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
  return { store: s3Store(s3, bucket), close: () => s3.destroy() };
}

export interface AwsInvalidator {
  readonly invalidator: CacheInvalidator;
  close(): void;
}

/** CloudFront (a global service: its API is in us-east-1), one invalidation per publication named `reference`. */
export async function awsInvalidator(distribution: string, reference: string): Promise<AwsInvalidator> {
  const [{ CloudFrontClient }, { cloudFrontInvalidator }] = await Promise.all([
    import('@aws-sdk/client-cloudfront'),
    import('../shared/storage/cloudfront-invalidator.js'),
  ]);
  const cloudfront = new CloudFrontClient({ region: 'us-east-1' });
  return {
    invalidator: cloudFrontInvalidator(cloudfront, distribution, reference),
    close: () => cloudfront.destroy(),
  };
}
