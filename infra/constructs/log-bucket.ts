import { Duration, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.js';

/**
 * A private bucket that receives S3 server access logs (the site and attachments buckets). Object ownership is
 * "bucket owner preferred" (the bucket owner owns what it receives); everything else is as locked down as any
 * data bucket. Logs expire. CloudFront's own logs go elsewhere, without client addresses (edge-logs-stack.ts).
 */
export function createLogBucket(scope: Construct, id: string, config: DeploymentConfig): Bucket {
  const bucket = new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ expiration: Duration.days(config.stage === 'prod' ? 365 : 30) }],
    removalPolicy: config.removalPolicy,
  });
  Validations.of(bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason: 'This is the access-log bucket itself; logging its own access would log into itself.',
  });
  return bucket;
}
