import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataStack } from '../../../../infra/stacks/data-stack.js';
import { recordsTable, statsTable } from '../../../../shared/storage/tables.js';
import { testConfig } from '../infra-fixtures.js';

function synthesize(context: Record<string, unknown> = {}) {
  const { app, config } = testConfig(context);
  const stack = new DataStack(app, `${config.prefix}-Data`, { config, env: { region: config.region } });
  return { stack, template: Template.fromStack(stack) };
}

describe('DataStack', () => {
  let template: Template;
  let tables: ReturnType<Template['findResources']>;

  beforeAll(() => {
    template = synthesize().template;
    tables = template.findResources('AWS::DynamoDB::Table');
  }, 60_000);

  function tableNamed(name: string) {
    const found = Object.values(tables).find((table) => table.Properties.TableName === name);
    if (!found) throw new Error(`no table ${name}`);
    return found.Properties;
  }

  it('builds both tables from the shared definition, keys and indexes included', () => {
    // Act
    const records = tableNamed(`CongVu-dev-${recordsTable.logicalName}`);
    const stats = tableNamed(`CongVu-dev-${statsTable.logicalName}`);

    // Assess
    expect(records.KeySchema).toEqual([
      { AttributeName: recordsTable.partitionKey, KeyType: 'HASH' },
      { AttributeName: recordsTable.sortKey, KeyType: 'RANGE' },
    ]);
    expect(records.GlobalSecondaryIndexes.map((index: { IndexName: string }) => index.IndexName)).toEqual(
      recordsTable.indexes.map((index) => index.indexName),
    );
    expect(stats.GlobalSecondaryIndexes).toBeUndefined();
    expect(records.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it('turns on point-in-time recovery, encryption and TTL on both tables', () => {
    // Act
    const all = Object.values(tables).map((table) => table.Properties);

    // Assess
    expect(all).toHaveLength(2);
    for (const table of all) {
      expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(table.SSESpecification).toMatchObject({ SSEEnabled: true });
      expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    }
  });

  it('streams new and old images of records only, so the aggregation never feeds on its own writes', () => {
    // Act
    const records = tableNamed('CongVu-dev-records');
    const stats = tableNamed('CongVu-dev-stats');

    // Assess
    expect(records.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(stats.StreamSpecification).toBeUndefined();
  });

  it('protects and retains the tables in prod, and lets dev delete them', () => {
    // Prepare
    const prod = synthesize({ stage: 'prod' }).template;

    // Act
    const prodTables = Object.values(prod.findResources('AWS::DynamoDB::Table'));
    const devTables = Object.values(tables);

    // Assess
    for (const table of prodTables) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      expect(table.DeletionPolicy).toBe('Retain');
    }
    for (const table of devTables) {
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
      expect(table.DeletionPolicy).toBe('Delete');
    }
  }, 30_000);

  it('keeps attachments in a private, versioned, encrypted bucket that refuses plain HTTP', () => {
    // Assess
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: { 'Fn::Join': ['', ['congvu-dev-attachments-', { Ref: 'AWS::AccountId' }, '-ap-southeast-1']] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { LogFilePrefix: 'attachments/' },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    expect(policies.length).toBeGreaterThanOrEqual(2);
    for (const policy of policies) {
      expect(JSON.stringify(policy.Properties.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
  });

  it('creates a rotating customer-managed key for the SecureString parameters, and no secret', () => {
    // Assess
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/congvu-dev-secrets' });
    template.resourceCountIs('AWS::SSM::Parameter', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('subscribes the alarm e-mail only when one is given', () => {
    // Prepare
    const withEmail = synthesize({ alarmEmail: 'ops@example.vn' }).template;

    // Assess
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.vn' });
  }, 30_000);
});
