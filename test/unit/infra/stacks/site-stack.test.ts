import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '../../../../functions/lib/origin-verify.js';
import { DataStack } from '../../../../infra/stacks/data-stack.js';
import {
  API_PATH_PATTERN,
  INDEX_REWRITE_CODE,
  ORIGIN_SECRET_ROTATION,
  SiteStack,
} from '../../../../infra/stacks/site-stack.js';
import { CONTENT_SECURITY_POLICY } from '../../../../shared/http/security-headers.js';
import { testConfig } from '../infra-fixtures.js';

const API_DOMAIN = 'abc123.execute-api.ap-southeast-1.amazonaws.com';
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/test/1';

function synthesize(context: Record<string, unknown> = {}): Template {
  const { app, config } = testConfig(context);
  const data = new DataStack(app, 'Data', { config, env: { region: config.region } });
  const stack = new SiteStack(app, 'Site', {
    config,
    env: { region: config.region },
    apiOriginDomainName: API_DOMAIN,
    webAclArn: WEB_ACL_ARN,
    originSecret: data.originSecret,
    secretsKey: data.secretsKey,
    alarmTopic: data.alarmTopic,
  });
  return Template.fromStack(stack);
}

describe('SiteStack', () => {
  let template: Template;
  // biome-ignore lint/suspicious/noExplicitAny: the distribution config as CloudFormation JSON.
  let distribution: any;

  beforeAll(() => {
    template = synthesize();
    distribution = Object.values(template.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;
  }, 60_000);

  it('keeps the site bucket private and reads it through Origin Access Control', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: 'site-bucket/' },
    });
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always' },
    });
    const s3Origin = distribution.Origins.find((origin: { S3OriginConfig?: unknown }) => origin.S3OriginConfig);
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
  });

  it('routes /api/* to the HTTP API over HTTPS, uncached, with every method', () => {
    // Act
    const api = distribution.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === API_PATH_PATTERN,
    );
    const origin = distribution.Origins.find((candidate: { Id: string }) => candidate.Id === api.TargetOriginId);

    // Assess
    expect(origin.DomainName).toBe(API_DOMAIN);
    expect(origin.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(api.AllowedMethods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE']));
    expect(api.CachePolicyId).toBe('4135ea2d-6df8-44a3-9df3-4b5a84be39ad'); // Managed-CachingDisabled
    expect(api.OriginRequestPolicyId).toBe('b689b0a8-53d0-40ab-baf2-68738e2966ac'); // AllViewerExceptHostHeader
    expect(api.ViewerProtocolPolicy).toBe('https-only');
  });

  it('puts the WAF web ACL in front of the distribution', () => {
    // Assess
    expect(distribution.WebACLId).toBe(WEB_ACL_ARN);
  });

  it('sends the shared security headers on every behaviour', () => {
    // Act
    const policy = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0]?.Properties
      .ResponseHeadersPolicyConfig;
    const behaviours = [distribution.DefaultCacheBehavior, ...distribution.CacheBehaviors];

    // Assess
    const security = policy.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).toBe(CONTENT_SECURITY_POLICY);
    expect(security.ContentSecurityPolicy.ContentSecurityPolicy).not.toContain('unsafe-inline');
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
      Preload: true,
      Override: true,
    });
    expect(['no-referrer', 'strict-origin']).toContain(security.ReferrerPolicy.ReferrerPolicy);
    expect(security.FrameOptions.FrameOption).toBe('DENY');
    expect(security.ContentTypeOptions.Override).toBe(true);
    const custom = policy.CustomHeadersConfig.Items.map((item: { Header: string }) => item.Header).sort();
    expect(custom).toEqual(['cross-origin-opener-policy', 'permissions-policy']);
    for (const behaviour of behaviours) expect(behaviour.ResponseHeadersPolicyId).toBeDefined();
  });

  it('has no legacy access logs (they always hold client addresses) and rewrites directory URLs to index.html', () => {
    // Assess
    expect(distribution.Logging).toBeUndefined();
    expect(distribution.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: INDEX_REWRITE_CODE,
      FunctionConfig: { Runtime: 'cloudfront-js-2.0' },
    });
  });

  it('sends the API origin the secret header, resolved from Secrets Manager at deploy (never in the template)', () => {
    // Act
    const api = distribution.CacheBehaviors.find(
      (behavior: { PathPattern: string }) => behavior.PathPattern === API_PATH_PATTERN,
    );
    const origin = distribution.Origins.find((candidate: { Id: string }) => candidate.Id === api.TargetOriginId);
    const s3 = distribution.Origins.find((candidate: { Id: string }) => candidate.Id !== api.TargetOriginId);

    // Assess
    expect(origin.OriginCustomHeaders).toEqual([
      {
        HeaderName: ORIGIN_VERIFY_HEADER,
        HeaderValue: '{{resolve:secretsmanager:congvu/dev/origin-verify:SecretString:::}}',
      },
    ]);
    expect(s3.OriginCustomHeaders).toBeUndefined();
  });

  it('rotates the origin secret on a schedule with a function that may change this distribution only', () => {
    // Act
    const schedule = Object.values(template.findResources('AWS::SecretsManager::RotationSchedule'))[0]?.Properties;
    const fn = Object.values(template.findResources('AWS::Lambda::Function')).find((candidate) =>
      String(candidate.Properties.FunctionName).endsWith('origin-secret-rotation'),
    );
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const cloudfront = statements.find((statement: { Action: string[] }) =>
      [statement.Action].flat().includes('cloudfront:UpdateDistribution'),
    );

    // Assess
    expect(schedule.RotationRules).toEqual({ ScheduleExpression: ORIGIN_SECRET_ROTATION });
    expect(schedule.RotateImmediatelyOnUpdate).toBe(false);
    expect(JSON.stringify(schedule.RotationLambdaARN)).toContain('OriginSecretRotation');
    expect(fn?.Properties.Timeout).toBe(300);
    expect(JSON.stringify(fn?.Properties.Environment.Variables.DISTRIBUTION_ID)).toContain('Distribution');
    expect(cloudfront.Action.sort()).toEqual(['cloudfront:GetDistributionConfig', 'cloudfront:UpdateDistribution']);
    expect(JSON.stringify(cloudfront.Resource)).toContain('distribution/');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'secretsmanager.amazonaws.com',
      Action: 'lambda:InvokeFunction',
    });
    expect(ORIGIN_SECRET_ROTATION).toBe('rate(30 days)');
    const alarm = Object.values(template.findResources('AWS::CloudWatch::Alarm'))[0]?.Properties;
    expect(alarm.MetricName).toBe('Errors');
    expect(JSON.stringify(alarm.Dimensions)).toContain('OriginSecretRotation');
    expect(alarm.AlarmActions).toHaveLength(1);
  });

  it('serves a custom domain with a modern TLS policy when one is configured', () => {
    // Prepare
    const custom = synthesize({
      domainName: 'congvu.example.vn',
      certificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc',
    });

    // Act
    const config = Object.values(custom.findResources('AWS::CloudFront::Distribution'))[0]?.Properties
      .DistributionConfig;

    // Assess
    expect(config.Aliases).toEqual(['congvu.example.vn']);
    expect(config.ViewerCertificate.MinimumProtocolVersion).toBe('TLSv1.2_2021');
  }, 30_000);
});

describe('INDEX_REWRITE_CODE', () => {
  // The CloudFront Functions runtime is plain JavaScript: run the same source here.
  const handler = new Function(`${INDEX_REWRITE_CODE}; return handler;`)() as (event: { request: { uri: string } }) => {
    uri: string;
  };

  it('maps directory-style URLs to their index.html and leaves files alone', () => {
    // Act / Assess
    expect(handler({ request: { uri: '/' } }).uri).toBe('/index.html');
    expect(handler({ request: { uri: '/en/' } }).uri).toBe('/en/index.html');
    expect(handler({ request: { uri: '/don-vi/00304' } }).uri).toBe('/don-vi/00304/index.html');
    expect(handler({ request: { uri: '/data/units.json' } }).uri).toBe('/data/units.json');
  });
});
