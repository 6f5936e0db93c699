import { CfnOutput, Duration, SecretValue, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccessLevel,
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';

import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { CfnRotationSchedule, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '../../functions/lib/origin-verify.js';
import type { DeploymentConfig } from '../config.js';
import { anyOccurrenceAlarm } from '../constructs/alarms.js';
import { HandlerFunction } from '../constructs/handler-function.js';
import { createLogBucket } from '../constructs/log-bucket.js';
import { createSecurityHeadersPolicy } from '../constructs/security-headers-policy.js';
import { bucketName } from '../naming.js';

export interface SiteStackProps extends StackProps {
  readonly config: DeploymentConfig;
  /** Domain of the HTTP API (api stack): the origin of `/api/*`. */
  readonly apiOriginDomainName: string;
  /** ARN of the us-east-1 web ACL (edge stack), passed as a weak cross-region reference. */
  readonly webAclArn: string;
  /** The value CloudFront sends to the API origin (data stack), and the key it is encrypted with. */
  readonly originSecret: ISecret;
  readonly secretsKey: IKey;
  /** Where a failed rotation is reported (data stack). */
  readonly alarmTopic: ITopic;
}

/** How often the origin secret is rotated; each rotation keeps the previous value accepted until the next one. */
export const ORIGIN_SECRET_ROTATION = 'rate(30 days)';

/** The path pattern CloudFront sends to the API; everything else is the static site. */
export const API_PATH_PATTERN = '/api/*';

/**
 * Astro writes `/en/` as `/en/index.html`; S3 behind Origin Access Control has no index documents, so a
 * viewer-request function maps directory-style URLs to their `index.html` (the query string is untouched).
 */
export const INDEX_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.split('/').pop().indexOf('.') === -1) {
    request.uri = uri + '/index.html';
  }
  return request;
}`;

/**
 * The public site: a private S3 bucket read by CloudFront through Origin Access Control, one distribution that
 * serves the static site and routes `/api/*` to the HTTP API (so the survey form posts to its own origin),
 * the security headers policy on every response, the WAF web ACL (its access logs: edge-logs-stack.ts).
 */
export class SiteStack extends Stack {
  readonly bucket: Bucket;
  readonly distribution: Distribution;

  constructor(scope: Construct, id: string, props: SiteStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logs = createLogBucket(this, 'AccessLogs', config);

    this.bucket = new Bucket(this, 'Site', {
      bucketName: bucketName(this, config, 'site'),
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // A bad build can be rolled back object by object for a month.
      versioned: true,
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(30) }],
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site-bucket/',
      // The site is rebuilt from the data at any time: nothing here needs keeping.
      removalPolicy: config.removalPolicy,
    });

    const headers = createSecurityHeadersPolicy(this, 'SecurityHeaders', `${config.prefix}-security-headers`);
    const indexRewrite = new CloudFrontFunction(this, 'IndexRewrite', {
      functionName: `${config.prefix}-index-rewrite`,
      comment: 'Maps directory URLs to index.html',
      code: FunctionCode.fromInline(INDEX_REWRITE_CODE),
      runtime: FunctionRuntime.JS_2_0,
    });
    const certificate = config.certificateArn
      ? Certificate.fromCertificateArn(this, 'Certificate', config.certificateArn)
      : undefined;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `${config.prefix} public site and API`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        // LIST lets S3 answer 404 (not 403) for a page that does not exist; CloudFront never lists.
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessLevels: [AccessLevel.READ, AccessLevel.LIST],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations: [{ function: indexRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
        compress: true,
      },
      additionalBehaviors: {
        [API_PATH_PATTERN]: {
          origin: new HttpOrigin(props.apiOriginDomainName, {
            protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
            originSslProtocols: [OriginSslPolicy.TLS_V1_2],
            // The proof that a request came through here (functions/lib/origin-verify.ts): CloudFormation resolves
            // the secret's current value at deploy time (a dynamic reference: the template holds only its name);
            // the rotation below changes it on the distribution between deploys.
            customHeaders: {
              [ORIGIN_VERIFY_HEADER]: SecretValue.secretsManager(config.originSecretName).unsafeUnwrap(),
            },
          }),
          // A plain-HTTP post would be lost in a redirect; refuse it instead.
          viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
          allowedMethods: AllowedMethods.ALLOW_ALL,
          cachePolicy: CachePolicy.CACHING_DISABLED,
          // Every viewer header but Host (API Gateway routes on its own host name), including Authorization
          // and CloudFront-Viewer-Address, the client address the handlers rate-limit on.
          originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
          responseHeadersPolicy: headers,
        },
      },
      // No legacy logging (it always records the client address): standard logging v2 with chosen fields is set
      // up in us-east-1 (edge-logs-stack.ts).
      webAclId: props.webAclArn,
      // Price class 200 includes the edge locations in Vietnam and the rest of Asia.
      priceClass: PriceClass.PRICE_CLASS_200,
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(certificate && config.domainName
        ? {
            certificate,
            domainNames: [config.domainName],
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    Validations.of(this.distribution).acknowledge({
      id: '@aws-cdk/aws-cloudfront-origins:listBucketSecurityRisk',
      reason:
        'defaultRootObject is set and the viewer-request function maps every directory URL to its index.html, so no request reaches S3 as a bucket listing; LIST only turns 403 into 404 for missing pages.',
    });

    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR3',
      reason:
        'Access logs go through standard logging (v2), configured in the us-east-1 stack CongVu-<stage>-EdgeLogs with a field selection without client addresses; the legacy logging this rule looks for always records them.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Public-interest information for everyone, including Vietnamese abroad, journalists and researchers: no geographic restriction.',
    });
    if (!certificate) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose TLS policy cannot be chosen; set domainName and certificateArn to get TLSv1.2_2021.',
      });
    }

    this.rotateOriginSecret(props);

    new CfnOutput(this, 'SiteUrl', {
      value: `https://${config.domainName ?? this.distribution.distributionDomainName}`,
    });
    new CfnOutput(this, 'DistributionId', { value: this.distribution.distributionId });
    new CfnOutput(this, 'SiteBucketName', { value: this.bucket.bucketName });
  }

  /**
   * The scheduled rotation of the origin secret (functions/origin-verify/rotate.ts): Secrets Manager runs the
   * function, which stages a new value, waits until the API handlers accept it, sets it on this distribution and
   * then makes it current; the old value stays accepted (AWSPREVIOUS) while the edges take the change.
   */
  private rotateOriginSecret(props: SiteStackProps): void {
    const { config, originSecret, secretsKey } = props;
    const rotation = new HandlerFunction(this, 'OriginSecretRotation', {
      config,
      name: 'origin-secret-rotation',
      entry: 'functions/origin-verify/rotate.ts',
      description: 'Rotates the secret origin header of the distribution',
      environment: { DISTRIBUTION_ID: this.distribution.distributionId },
      // setSecret waits for the handlers' caches (over two minutes) before the distribution sends the new value.
      timeout: Duration.minutes(5),
    });
    rotation.allow(
      new PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [originSecret.secretArn],
      }),
      new PolicyStatement({
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [secretsKey.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${this.region}.amazonaws.com`,
            'kms:EncryptionContext:SecretARN': originSecret.secretArn,
          },
        },
      }),
      new PolicyStatement({
        actions: ['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution'],
        resources: [
          this.formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: this.distribution.distributionId,
          }),
        ],
      }),
    );
    rotation.function.addPermission('SecretsManagerInvokes', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      sourceAccount: this.account,
    });
    const invoke = rotation.function.node.findChild('SecretsManagerInvokes');
    const schedule = new CfnRotationSchedule(this, 'OriginSecretRotationSchedule', {
      secretId: originSecret.secretArn,
      rotationLambdaArn: rotation.function.functionArn,
      rotationRules: { scheduleExpression: ORIGIN_SECRET_ROTATION },
      // The first value was generated at deploy; the first rotation waits for the schedule.
      rotateImmediatelyOnUpdate: false,
    });
    schedule.node.addDependency(invoke);
    // A failed step leaves the current value in place (Secrets Manager retries), but an operator should know.
    const failed = anyOccurrenceAlarm(
      this,
      'OriginSecretRotationFailedAlarm',
      'A rotation step of the origin secret failed: the current value stays in use; see /aws/lambda/' +
        `${config.prefix}-origin-secret-rotation and infra/README.md (origin secret).`,
      rotation.function.metricErrors({ period: Duration.hours(1) }),
    );
    failed.addAlarmAction(new SnsAction(props.alarmTopic));
    Validations.of(rotation).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by Secrets Manager, which retries a failed step and reports the rotation failed.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: 'X-Ray needs xray:PutTraceSegments on "*"; a four-step rotation a month is followed in its log.',
      },
    );
  }
}
