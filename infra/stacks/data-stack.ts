import { Stack, type StackProps, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { prefixedTableNames, recordsTable, statsTable, type TableDefinition } from '../../shared/storage/tables.js';
import type { DeploymentConfig } from '../config.js';
import { createLogBucket } from '../constructs/log-bucket.js';
import { bucketName } from '../naming.js';

export interface DataStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/**
 * The state of the service: the two DynamoDB tables (built from the one definition in
 * shared/storage/tables.ts), the bucket of attached conclusion documents, the KMS key that encrypts the
 * service's SecureString parameters, and the alarm topic (here because every other stack depends on this one).
 * In prod every resource is retained and the tables are deletion-protected.
 */
export class DataStack extends Stack {
  readonly records: Table;
  readonly stats: Table;
  readonly attachments: Bucket;
  /** Encrypts the SSM SecureString parameters (the dossier-code HMAC key); see infra/README.md. */
  readonly secretsKey: Key;
  readonly alarmTopic: Topic;
  /** The value CloudFront sends to the API with every request (functions/lib/origin-verify.ts). */
  readonly originSecret: Secret;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config } = props;
    const names = prefixedTableNames(`${config.prefix}-`);

    this.records = this.table('Records', recordsTable, names.records, config);
    this.stats = this.table('Stats', statsTable, names.stats, config);

    const logs = createLogBucket(this, 'AccessLogs', config);
    this.attachments = new Bucket(this, 'Attachments', {
      bucketName: bucketName(this, config, 'attachments'),
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // A published document is evidence: versioning keeps every upload even if a key is reused.
      versioned: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'attachments/',
      removalPolicy: config.removalPolicy,
    });

    // A customer-managed key rather than aws/ssm: the AWS-managed key lets every principal of the account
    // decrypt, this one only principals granted kms:Decrypt through SSM for one parameter.
    this.secretsKey = new Key(this, 'SecretsKey', {
      alias: `alias/congvu-${config.stage}-secrets`,
      description:
        'Encrypts the service secrets: SecureString parameters (dossier-code HMAC key, log key), the origin secret',
      enableKeyRotation: true,
      removalPolicy: config.removalPolicy,
    });

    // Secrets Manager rather than SSM for the origin secret: it rotates on a schedule with versions labelled
    // AWSCURRENT / AWSPENDING / AWSPREVIOUS, which is exactly the overlap the handlers need (they accept all three
    // while CloudFront's edges move to the new value), and CloudFormation resolves it into the distribution's
    // origin header by name. Its rotation (site stack) needs the distribution, so only the secret lives here.
    this.originSecret = new Secret(this, 'OriginSecret', {
      secretName: config.originSecretName,
      description: 'The header value CloudFront sends to the API origin; rotated by the site stack',
      encryptionKey: this.secretsKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this.originSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: `Rotated every 30 days by ${config.prefix}-Site (its RotationSchedule and rotation function): the rotation changes the distribution, which is created after this stack.`,
    });

    this.alarmTopic = new Topic(this, 'Alarms', { displayName: `${config.prefix} alarms`, enforceSSL: true });
    if (config.alarmEmail) {
      this.alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
      Validations.of(this.alarmTopic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'An alarm e-mail that cannot be delivered shows in the topic metrics; a queue of undelivered alarm e-mails would be read by no one.',
      });
    }
  }

  private table(id: string, definition: TableDefinition, tableName: string, config: DeploymentConfig): Table {
    const table = new Table(this, id, {
      tableName,
      partitionKey: { name: definition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: definition.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.deletionProtection,
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: definition.ttlAttribute,
      stream: definition.stream ? StreamViewType[definition.stream] : undefined,
      removalPolicy: config.removalPolicy,
    });
    for (const index of definition.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }
}
