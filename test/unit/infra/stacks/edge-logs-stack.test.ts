import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EDGE_REGION } from '../../../../infra/config.js';
import { CLOUDFRONT_LOG_FIELDS, EdgeLogsStack, OMITTED_LOG_FIELDS } from '../../../../infra/stacks/edge-logs-stack.js';
import { testConfig } from '../infra-fixtures.js';

describe('EdgeLogsStack', () => {
  let template: Template;

  beforeAll(() => {
    const { app, config } = testConfig();
    const stack = new EdgeLogsStack(app, 'EdgeLogs', {
      config,
      env: { region: EDGE_REGION },
      distributionId: 'E2EXAMPLE',
    });
    template = Template.fromStack(stack);
  }, 60_000);

  it('delivers the distribution’s access logs (standard logging v2) to S3 with no client address in any line', () => {
    // Act
    const source = Object.values(template.findResources('AWS::Logs::DeliverySource'))[0]?.Properties;
    const delivery = Object.values(template.findResources('AWS::Logs::Delivery'))[0]?.Properties;
    const destination = Object.values(template.findResources('AWS::Logs::DeliveryDestination'))[0]?.Properties;

    // Assess
    expect(source.LogType).toBe('ACCESS_LOGS');
    expect(JSON.stringify(source.ResourceArn)).toContain(':distribution/E2EXAMPLE');
    expect(delivery.RecordFields).toEqual([...CLOUDFRONT_LOG_FIELDS]);
    for (const field of ['c-ip', 'c-port', 'x-forwarded-for', 'cs(Cookie)', 'cs-uri-query', 'cs(User-Agent)']) {
      expect(delivery.RecordFields).not.toContain(field);
      expect(OMITTED_LOG_FIELDS).toContain(field);
    }
    expect(delivery.RecordFields).toEqual(expect.arrayContaining(['date', 'time', 'sc-status', 'cs-uri-stem']));
    expect(JSON.stringify(destination.DestinationResourceArn)).toContain('CloudFrontLogs');
  });

  it('lets only the log delivery service of this account write, into a private bucket that forgets', () => {
    // Act
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy'))[0]?.Properties.PolicyDocument;
    const delivery = policy.Statement.find((statement: { Sid?: string }) => statement.Sid === 'CloudFrontLogDelivery');

    // Assess
    expect(delivery.Principal).toEqual({ Service: 'delivery.logs.amazonaws.com' });
    expect(delivery.Action).toBe('s3:PutObject');
    expect(Object.keys(delivery.Condition).sort()).toEqual(['ArnLike', 'StringEquals']);
    template.hasResourceProperties('AWS::S3::Bucket', {
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 30, Status: 'Enabled' }] },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });
});
