import { Duration, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.js';

/**
 * A private bucket that receives access logs: S3 server access logs and CloudFront standard logs. CloudFront
 * still delivers through an ACL, so object ownership is "bucket owner preferred" (ACLs enabled, the bucket
 * owner owns what it receives); everything else is as locked down as any data bucket. Logs expire: they hold
 * client IP addresses, which are personal data.
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
