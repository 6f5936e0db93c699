import { Aws, type Stack } from 'aws-cdk-lib';
import type { DeploymentConfig } from './config.js';

/**
 * Physical names shared between stacks. A bucket whose name is computed the same way in every stack can be
 * granted on from another stack without a cross-stack export, and the grant reads as what it is
 * (`arn:aws:s3:::congvu-dev-site-…/*`) in the template and in cdk-nag's findings.
 */

export type BucketPurpose = 'attachments' | 'site' | 'build-cache';

/** `congvu-<stage>-<purpose>-<account>-<region>`: globally unique, lower case, at most 63 characters. */
export function bucketName(stack: Stack, config: DeploymentConfig, purpose: BucketPurpose): string {
  return `congvu-${config.stage}-${purpose}-${stack.account}-${stack.region}`;
}

/** The ARN of a bucket from its name. */
export function bucketArn(name: string): string {
  return `arn:${Aws.PARTITION}:s3:::${name}`;
}

/** The ARN pattern of every object in a bucket. */
export function bucketObjectsArn(name: string): string {
  return `${bucketArn(name)}/*`;
}
