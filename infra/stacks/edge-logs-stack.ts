import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDelivery, CfnDeliveryDestination, CfnDeliverySource } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.js';

export interface EdgeLogsStackProps extends StackProps {
  readonly config: DeploymentConfig;
  /** The site's distribution (site stack), passed as a weak cross-region reference. */
  readonly distributionId: string;
}

/**
 * What CloudFront's access logs keep of each request: enough to run the service (status, bytes, timing, cache
 * result, path, protocol, TLS, edge location) and nothing that leads back to a person. docs/surveys.md
 * promises that no client address is kept: a log line with the address and second of a survey post would tie an
 * address to a response. Field names as CloudFront's standard logging (v2) spells them.
 */
export const CLOUDFRONT_LOG_FIELDS = [
  'date',
  'time',
  'x-edge-location',
  'sc-bytes',
  'cs-method',
  'cs(Host)',
  'cs-uri-stem',
  'sc-status',
  'x-edge-result-type',
  'x-edge-request-id',
  'x-host-header',
  'cs-protocol',
  'cs-bytes',
  'time-taken',
  'ssl-protocol',
  'ssl-cipher',
  'x-edge-response-result-type',
  'cs-protocol-version',
  'time-to-first-byte',
  'x-edge-detailed-result-type',
  'sc-content-type',
  'sc-content-len',
] as const;

/**
 * Left out on purpose: the client's address and port and any forwarded address; cookies; the query string and the
 * referrer (a survey page opened from a receipt carries the receipt there); the user agent (with the time, enough
 * to single out a person on a small ward's page).
 */
export const OMITTED_LOG_FIELDS = [
  'c-ip',
  'c-port',
  'x-forwarded-for',
  'cs(Cookie)',
  'cs-uri-query',
  'cs(Referer)',
  'cs(User-Agent)',
] as const;

/**
 * CloudFront's access logs through standard logging (v2), which lets us choose the fields: the legacy logs
 * (the distribution's `Logging`) always hold the client address. v2 is configured with CloudWatch Logs delivery
 * resources that CloudFront requires in us-east-1, hence a stack of its own there, deployed after the site stack;
 * the logs go to a private bucket beside them, expired after the stage's log retention.
 */
export class EdgeLogsStack extends Stack {
  readonly bucket: Bucket;
  readonly delivery: CfnDelivery;

  constructor(scope: Construct, id: string, props: EdgeLogsStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.bucket = new Bucket(this, 'CloudFrontLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // Log delivery writes with the bucket policy below: no ACLs anywhere.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(config.stage === 'prod' ? 365 : 30) }],
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is an access-log bucket itself; logging its own access would log into itself.',
    });
    this.bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudFrontLogDelivery',
        principals: [new ServicePrincipal('delivery.logs.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('*')],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': `arn:${this.partition}:logs:${this.region}:${this.account}:delivery-source:*` },
        },
      }),
    );

    const source = new CfnDeliverySource(this, 'DistributionLogs', {
      name: `${config.prefix}-cloudfront`,
      logType: 'ACCESS_LOGS',
      resourceArn: this.formatArn({
        service: 'cloudfront',
        region: '',
        resource: 'distribution',
        resourceName: props.distributionId,
      }),
    });
    const destination = new CfnDeliveryDestination(this, 'LogBucketDestination', {
      name: `${config.prefix}-cloudfront-s3`,
      destinationResourceArn: this.bucket.bucketArn,
      outputFormat: 'json',
    });
    destination.node.addDependency(this.bucket.policy ?? this.bucket);
    this.delivery = new CfnDelivery(this, 'Delivery', {
      deliverySourceName: source.name,
      deliveryDestinationArn: destination.attrArn,
      recordFields: [...CLOUDFRONT_LOG_FIELDS],
    });
    this.delivery.node.addDependency(source, destination);
  }
}
