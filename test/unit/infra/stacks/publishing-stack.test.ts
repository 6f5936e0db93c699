import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT } from '../../../../infra/config.js';
import { DataStack } from '../../../../infra/stacks/data-stack.js';
import {
  BUILD_ROOT,
  LOCK_RETRY_INTERVAL,
  MARKER_CHANGES,
  MAX_ROUNDS,
  PUBLISH_STATE,
  PUBLISHER_MEMORY_MB,
  PUBLISHER_MOUNT,
  PUBLISHER_TIMEOUT,
  PublishingStack,
  publisherInput,
  SITE_BUILD_SPEC,
  SITE_BUILD_TIMEOUT,
  sourceExcludes,
} from '../../../../infra/stacks/publishing-stack.js';
import { SiteStack } from '../../../../infra/stacks/site-stack.js';
import { reconciliationReport } from '../../../../shared/publishing/plan.js';
import { PUBLICATION_RECORD_KEY } from '../../../../shared/publishing/publication-record.js';
import {
  PUBLISH_LOCK_TTL_MS,
  PUBLISH_LOCK_WAIT_MS,
  PublishLockHeldError,
} from '../../../../shared/publishing/publish-lock.js';
import { dirtyKey, publishLockKey } from '../../../../shared/storage/keys.js';
import { flat, identityStatements, testConfig } from '../infra-fixtures.js';

describe('PublishingStack', () => {
  let template: Template;
  let stack: PublishingStack;
  // biome-ignore lint/suspicious/noExplicitAny: the state machine definition as parsed JSON.
  let definition: any;

  beforeAll(() => {
    const { app, config } = testConfig({ rebuildEveryMinutes: '5' });
    const env = { region: config.region };
    const data = new DataStack(app, 'Data', { config, env });
    const site = new SiteStack(app, 'Site', {
      config,
      env,
      apiOriginDomainName: 'abc.execute-api.ap-southeast-1.amazonaws.com',
      webAclArn: 'arn:aws:wafv2:us-east-1:111111111111:global/webacl/x/1',
      originSecret: data.originSecret,
      secretsKey: data.secretsKey,
      alarmTopic: data.alarmTopic,
    });
    stack = new PublishingStack(app, 'Publishing', { config, env, data, site });
    template = Template.fromStack(stack);
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0];
    // Table names are imports: replace them by a placeholder to read the definition as JSON.
    definition = JSON.parse(flat(machine?.Properties.DefinitionString).replace(/<[\w:.-]+>/g, 'X'));
  }, 60_000);

  it('runs the one definition of the publishing steps, which the site-publisher function runs too', () => {
    // Act
    const commands: string[] = [...SITE_BUILD_SPEC.phases.build.commands];

    // Assess: export, incremental build, the log (after the snapshots come back) and the publication of what differs
    // are publisher/site-pipeline.ts (test/e2e/functions/site-publisher.test.ts runs them); the buildspec only calls
    // it, and nothing else writes to the bucket or invalidates.
    expect(commands).toEqual([
      `cd ${BUILD_ROOT}`,
      'echo "Publishing statistics version $TARGET_VERSION ($PUBLISH_MODE)"',
      `npm run publish:pipeline -- --mode "$PUBLISH_MODE" --state ${PUBLISH_STATE} --site site/dist`,
    ]);
    expect(commands.filter((command) => /s3:\/\/|s3 cp|s3 sync|create-invalidation/.test(command))).toEqual([]);
  });

  it('gives the build the log key parameter by name and the right to read and decrypt that parameter only', () => {
    // Act
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0]?.Properties;
    const env = Object.fromEntries(
      // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON.
      project.Environment.EnvironmentVariables.map((v: any) => [v.Name, v.Value]),
    );
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));

    // Assess
    expect(env.LOG_KEY_PARAMETER).toBe('/congvu/dev/log-signing-key');
    expect(env.LOG_ORIGIN).toMatch(/\/log$/);
    expect(policies).toMatch(/ssm:GetParameter/);
    expect(policies).toMatch(/parameter\/congvu\/dev\/log-signing-key/);
  });

  it('checks the dirty marker on a schedule, behind the stream', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Input: JSON.stringify(publisherInput('incremental')) })],
    });
    expect(definition.StartAt).toBe('ReadDirtyMarker');
    expect(definition.States.ReadDirtyMarker.Parameters).toMatchObject({
      Key: { pk: { S: dirtyKey().pk }, sk: { S: dirtyKey().sk } },
      ConsistentRead: true,
    });
  });

  it('starts the publisher from the stats stream, on changes of the dirty marker only, debounced by seconds', () => {
    // Act
    const pipe = Object.values(template.findResources('AWS::Pipes::Pipe'))[0]?.Properties;
    const machine = Object.keys(template.findResources('AWS::StepFunctions::StateMachine'))[0];

    // Assess
    expect(flat(pipe.Source)).toMatch(/Stats.*StreamArn/);
    expect(pipe.SourceParameters.DynamoDBStreamParameters).toMatchObject({
      StartingPosition: 'LATEST',
      MaximumBatchingWindowInSeconds: 5,
    });
    const patterns = pipe.SourceParameters.FilterCriteria.Filters.map((f: { Pattern: string }) =>
      JSON.parse(f.Pattern),
    );
    expect(patterns).toEqual([{ dynamodb: { Keys: { pk: { S: ['META#dirty'] } } } }]);
    expect(MARKER_CHANGES.dynamodb.Keys.pk.S).toEqual([dirtyKey().pk]);
    expect(flat(pipe.Target)).toBe(`<${machine}>`);
    expect(pipe.TargetParameters).toEqual({
      StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' },
      InputTemplate: JSON.stringify(publisherInput('incremental')),
    });
  });

  it('lets the pipe read the stats stream and start the publisher, nothing else', () => {
    // Act
    const statements = identityStatements([stack]).filter((statement) => statement.logicalId.startsWith('MarkerPipe'));
    const named = statements.map((statement) => [
      statement.actions,
      statement.resources.map((r) =>
        r.replace(/^<.*Stats\w*StreamArn\w*>$/, 'STREAM').replace(/^<Publisher\w+>$/, 'MACHINE'),
      ),
    ]);

    // Assess
    expect(named).toEqual([
      [['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'], ['STREAM']],
      [['dynamodb:ListStreams'], ['*']],
      [['states:StartExecution'], ['MACHINE']],
    ]);
  });

  it('builds only when the marker version is newer than the built version, and always at night', () => {
    // Act
    const changed = definition.States.HasAnythingChanged;
    const newer = definition.States.IsTheMarkerNewer;

    // Assess
    expect(changed.Choices).toEqual([
      { Not: { Variable: '$.marker.Item.version', IsPresent: true }, Next: 'NothingToPublish' },
      { Variable: '$.mode', StringEquals: 'full', Next: 'BuildAndReconcileSite' },
      { Not: { Variable: '$.marker.Item.builtVersion', IsPresent: true }, Next: 'BuildAndPublishSite' },
    ]);
    expect(newer.Choices).toEqual([
      { Variable: '$.versions.version', NumericGreaterThanPath: '$.versions.built', Next: 'BuildAndPublishSite' },
    ]);
    expect(newer.Default).toBe('NothingToPublish');
  });

  it('publishes a change with the site-publisher function, invalidates what it answers, then records the version without moving it backwards', () => {
    // Act
    const build = definition.States.BuildAndPublishSite;
    const anyPath = definition.States.AnyPathToInvalidate;
    const invalidate = definition.States.InvalidateChangedPaths;
    const record = definition.States.RecordBuiltVersion;
    const publisher = Object.keys(
      template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }),
    );

    // Assess: the function (never CodeBuild) on the incremental path; one invocation at a time
    expect(build.Resource).toMatch(/:states:::lambda:invoke$/);
    expect(publisher).toHaveLength(1);
    expect(JSON.stringify(build.Parameters.FunctionName)).toContain(publisher[0]);
    expect(build.Parameters.Payload).toEqual({
      action: 'publish',
      'version.$': '$.marker.Item.version.N',
      against: 'manifest',
    });
    expect(build.ResultPath).toBe('$.published');
    expect(build.Catch).toEqual([
      { ErrorEquals: ['Lambda.TooManyRequestsException'], Next: 'AnotherBuildIsRunning' },
      // The function's own error name (shared/publishing/publish-lock.ts), as Lambda reports it to the workflow
      { ErrorEquals: [new PublishLockHeldError({ holder: 'x', until: 0 }).name], Next: 'AnotherPublisherHoldsTheLock' },
    ]);
    expect(definition.States.AnotherPublisherHoldsTheLock.Type).toBe('Succeed');
    expect(build.Next).toBe('AnyPathToInvalidate');
    // The workflow asks CloudFront for exactly the paths the function answered, once per publication
    expect(anyPath.Choices).toEqual([
      { Variable: '$.published.invalidationCount', NumericGreaterThan: 0, Next: 'InvalidateChangedPaths' },
    ]);
    expect(anyPath.Default).toBe('RecordBuiltVersion');
    expect(invalidate.Resource).toMatch(/:states:::aws-sdk:cloudfront:createInvalidation$/);
    expect(invalidate.Parameters.InvalidationBatch).toEqual({
      'CallerReference.$': "States.Format('{}-{}', $$.Execution.Name, $.round)",
      Paths: { 'Quantity.$': '$.published.invalidationCount', 'Items.$': '$.published.invalidate' },
    });
    expect(invalidate.Next).toBe('RecordBuiltVersion');
    expect(record.Parameters.ConditionExpression).toBe('attribute_not_exists(builtVersion) OR builtVersion < :v');
    expect(record.Parameters.ExpressionAttributeValues).toEqual({ ':v': { 'N.$': '$.marker.Item.version.N' } });
  });

  it('reads the marker again after each build, so a change made during one is published at once, a bounded number of times', () => {
    // Act
    const record = definition.States.RecordBuiltVersion;
    const again = definition.States.ReadTheMarkerAgain;
    const keep = definition.States.KeepPublishing;

    // Assess
    expect(record.Next).toBe('ReadTheMarkerAgain');
    expect(again.Parameters).toEqual({ mode: 'incremental', 'round.$': 'States.MathAdd($.round, 1)' });
    expect(keep.Choices).toEqual([{ Variable: '$.round', NumericLessThan: MAX_ROUNDS, Next: 'ReadDirtyMarker' }]);
    expect(keep.Default).toBe('LeftToTheNextTrigger');
  });

  it('reconciles every night: a full build, waiting for a running one, from the same workflow', () => {
    // Act
    const reconcile = definition.States.BuildAndReconcileSite;
    const overrides = Object.fromEntries(
      reconcile.Parameters.EnvironmentVariablesOverride.map((v: { Name: string; Value?: string }) => [v.Name, v.Value]),
    );

    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 19 * * ? *)',
      Targets: [Match.objectLike({ Input: JSON.stringify(publisherInput('full')) })],
    });
    const codeBuildStates = Object.entries(definition.States)
      .filter(([, state]) => /codebuild/.test(String((state as { Resource?: string }).Resource)))
      .map(([name]) => name);
    const republish = definition.States.PublishAfterReconciliation;

    // Assess: CodeBuild runs the full build only; then the function publishes against the bucket itself (its
    // manifest no longer describes it), waiting for a running invocation
    expect(overrides.PUBLISH_MODE).toBe('full');
    expect(codeBuildStates).toEqual(['BuildAndReconcileSite']);
    expect(reconcile.Retry).toEqual([
      expect.objectContaining({ ErrorEquals: ['CodeBuild.AccountLimitExceededException'], MaxAttempts: 30 }),
    ]);
    expect(reconcile.Next).toBe('PublishAfterReconciliation');
    expect(republish.Resource).toMatch(/:states:::lambda:invoke$/);
    expect(republish.Parameters.Payload).toMatchObject({ action: 'publish', against: 'bucket' });
    expect(republish.Retry).toContainEqual(
      expect.objectContaining({ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 45 }),
    );
    expect(republish.Next).toBe('AnyPathToInvalidate');
  });

  it('publishes a change that came during the full build right after it: the lock it met is retried until the build let it go', () => {
    // Act
    const republish = definition.States.PublishAfterReconciliation;
    const lockRetry = republish.Retry.find((retry: { ErrorEquals: string[] }) =>
      retry.ErrorEquals.includes('PublishLockHeldError'),
    );

    // Assess: a build killed holding the lock keeps it one lease at most; the retries outlast that lease
    expect(lockRetry).toMatchObject({ IntervalSeconds: LOCK_RETRY_INTERVAL.toSeconds(), BackoffRate: 1 });
    expect(lockRetry.IntervalSeconds * 1000 * lockRetry.MaxAttempts).toBeGreaterThan(PUBLISH_LOCK_TTL_MS);
    // Then the marker again, as after any publication: what changed during the build is in that invocation's export
    expect(republish.Next).toBe('AnyPathToInvalidate');
    expect(definition.States.RecordBuiltVersion.Next).toBe('ReadTheMarkerAgain');
  });

  it('lets both publishers take, renew and release the publish lock, and write nothing else of the stats table', () => {
    // Act
    const publishers = identityStatements([stack]).filter((statement) =>
      /^(SiteBuildRole|SitePublisherRole)/.test(statement.logicalId),
    );
    const writes = publishers.filter((statement) =>
      statement.actions.some((action) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(action)),
    );

    // Assess
    expect(writes.map((statement) => statement.logicalId.replace(/DefaultPolicy.*$/, '')).sort()).toEqual([
      'SiteBuildRole',
      'SitePublisherRole',
    ]);
    for (const statement of writes) {
      expect(statement.actions).toEqual(['dynamodb:UpdateItem']);
      expect(statement.resources).toEqual([expect.stringMatching(/Stats/)]);
      expect(statement.resources[0]).not.toMatch(/index/);
      expect(statement.condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [publishLockKey().pk] },
      });
    }
  });

  it('gives the CodeBuild build the time to wait for the lock a site-publisher invocation can hold, and then to build', () => {
    // Act
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0]?.Properties;

    // Assess
    expect(PUBLISH_LOCK_WAIT_MS).toBeGreaterThan(PUBLISHER_TIMEOUT.toMilliseconds() + PUBLISH_LOCK_TTL_MS);
    expect(project.TimeoutInMinutes).toBe(SITE_BUILD_TIMEOUT.toMinutes());
    expect(SITE_BUILD_TIMEOUT.toMilliseconds()).toBeGreaterThanOrEqual(30 * 60_000 + PUBLISH_LOCK_WAIT_MS);
  });

  it('runs the repository scripts in CodeBuild, one build at a time: the incremental export and build, then publish:site', () => {
    // Act
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0]?.Properties;
    const commands = [...SITE_BUILD_SPEC.phases.install.commands, ...SITE_BUILD_SPEC.phases.build.commands].join('\n');

    // Assess
    expect(project.ConcurrentBuildLimit).toBe(1);
    expect(project.Environment).toMatchObject({ Type: 'ARM_CONTAINER' });
    expect(JSON.parse(project.Source.BuildSpec)).toEqual(SITE_BUILD_SPEC);
    expect(commands).toContain('npm run publish:pipeline -- --mode "$PUBLISH_MODE"');
    expect(commands).not.toMatch(/--delete|"\/\*"/);
    const variables = project.Environment.EnvironmentVariables.map((variable: { Name: string }) => variable.Name);
    expect(variables).toEqual(
      expect.arrayContaining(['RECORDS_TABLE', 'STATS_TABLE', 'SITE_BUCKET', 'DISTRIBUTION_ID', 'PUBLISH_MODE']),
    );
  });

  it('keeps the incremental state between builds in an S3 cache the build alone may read and write', () => {
    // Act
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0]?.Properties;
    const cacheBucket = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    const onCache = identityStatements([stack]).filter(
      (statement) =>
        statement.resources.some((resource) => /build-cache/.test(resource)) && !isOnPublicationRecordOnly(statement),
    );

    // Assess
    expect(project.Cache.Type).toBe('S3');
    expect(flat(project.Cache.Location)).toBe(`<${cacheBucket}>/site-build`);
    expect(SITE_BUILD_SPEC.cache.paths).toContain(`${BUILD_ROOT}/${PUBLISH_STATE}/**/*`);
    const bucket = Object.values(template.findResources('AWS::S3::Bucket'))[0]?.Properties;
    expect(flat(bucket.BucketName)).toMatch(/^congvu-dev-build-cache-/);
    expect(bucket.PublicAccessBlockConfiguration).toMatchObject({ BlockPublicAcls: true, RestrictPublicBuckets: true });
    expect(onCache.map((statement) => statement.actions)).toEqual([['s3:GetObject', 's3:PutObject']]);
    expect(onCache[0]?.logicalId).toMatch(/^SiteBuildRole/);
  });

  it('shares the record of the last publication between both publishers: one object of the build cache, its key alone listed', () => {
    // Act
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0]?.Properties;
    const variables = Object.fromEntries(
      project.Environment.EnvironmentVariables.map((variable: { Name: string; Value: unknown }) => [
        variable.Name,
        flat(variable.Value),
      ]),
    );
    const onRecord = identityStatements([stack]).filter(isOnPublicationRecord);
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }),
    );
    const props = fn?.Properties;

    // Assess: the same bucket for both, and per role a read and write of that one key and a listing of it alone
    expect(variables.PUBLICATION_RECORD_BUCKET).toMatch(/^congvu-dev-build-cache-/);
    expect(flat(props.Environment.Variables.PUBLICATION_RECORD_BUCKET)).toBe(variables.PUBLICATION_RECORD_BUCKET);
    const recordObject = new RegExp(`congvu-dev-build-cache-[^/]*/${PUBLICATION_RECORD_KEY.replaceAll('.', '\\.')}$`);
    for (const role of ['SiteBuildRole', 'SitePublisherRole']) {
      const statements = onRecord.filter((statement) => statement.logicalId.startsWith(role));
      const listing = statements.filter((statement) => statement.actions.includes('s3:ListBucket'));
      const objects = statements.filter((statement) => statement.resources.some((r) => recordObject.test(r)));
      expect(listing).toHaveLength(1);
      expect(listing[0]?.actions).toEqual(['s3:ListBucket']);
      expect(listing[0]?.resources).toEqual([expect.stringMatching(/congvu-dev-build-cache-[^/]*$/)]);
      expect(listing[0]?.condition).toEqual({ StringEquals: { 's3:prefix': PUBLICATION_RECORD_KEY } });
      expect(objects.map((statement) => statement.actions)).toEqual([['s3:GetObject', 's3:PutObject']]);
    }
    // The function, which has no other business in the build cache, gets that one object only
    const publisherObjects = onRecord.filter(
      (statement) =>
        statement.logicalId.startsWith('SitePublisherRole') && !statement.actions.includes('s3:ListBucket'),
    );
    expect(publisherObjects.flatMap((statement) => statement.resources)).toEqual([expect.stringMatching(recordObject)]);
  });

  it('builds in one fixed directory with its data named by content, so the restored cache describes the next build', () => {
    // Act
    const install: string[] = [...SITE_BUILD_SPEC.phases.install.commands];
    const build: string[] = [...SITE_BUILD_SPEC.phases.build.commands];

    // Assess: Astro hashes modules with their absolute paths; the S3 cache restores files with new inodes
    expect(install[0]).toBe(`mkdir -p ${BUILD_ROOT} && cp -a "$CODEBUILD_SRC_DIR/." ${BUILD_ROOT}/`);
    expect(install.indexOf(`cd ${BUILD_ROOT}`)).toBeLessThan(install.findIndex((c) => c.startsWith('npm ci')));
    expect(build[0]).toBe(`cd ${BUILD_ROOT}`);
    expect(SITE_BUILD_SPEC.env.variables.SITE_DATA_IDENTITY).toBe('content');
  });

  it('counts the differing files of every reconciliation report and alarms on any', () => {
    // Act
    const filter = Object.values(template.findResources('AWS::Logs::MetricFilter'))[0]?.Properties;
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    const line = JSON.stringify(reconciliationReport({ added: ['a.html'], changed: [], removed: [] }, 'bucket'));

    // Assess: the pattern and the value name fields of the line publish:site prints
    expect(filter.FilterPattern).toBe('{ $.reconciliation = "*" }');
    expect(filter.MetricTransformations).toEqual([
      { MetricNamespace: 'CongVu/dev', MetricName: 'SiteDifferingFiles', MetricValue: '$.differingFiles' },
    ]);
    expect(JSON.parse(line)).toMatchObject({ reconciliation: 'bucket', differingFiles: 1 });
    const differing = alarms.find((alarm) => alarm.MetricName === 'SiteDifferingFiles');
    expect(differing).toMatchObject({ Namespace: 'CongVu/dev', Threshold: 1, Statistic: 'Sum' });
    expect(differing?.AlarmActions).toHaveLength(1);
  });

  it('installs exactly the lockfile (npm ci), never resolving versions anew', () => {
    // Act
    const install = SITE_BUILD_SPEC.phases.install.commands.join('\n');

    // Assess
    expect(install).toMatch(/^npm ci\b/m);
    expect(install).not.toMatch(/npm (install|i)\b/);
  });

  it("reads published records only: conclusions, agencies, signed bodies and listed partitions, never citizens' items", () => {
    // Act
    const onRecords = identityStatements([stack]).filter((statement) =>
      statement.resources.some((resource) => /Records/.test(resource)),
    );

    // Assess: the same reads for both publishers (CodeBuild's and the function's), nothing else reads the table
    expect(new Set(onRecords.map((statement) => statement.logicalId.replace(/DefaultPolicy.*$/, '')))).toEqual(
      new Set(['SiteBuildRole', 'SitePublisherRole']),
    );
    for (const role of ['SiteBuildRole', 'SitePublisherRole']) {
      const statements = onRecords.filter((statement) => statement.logicalId.startsWith(role));
      const onTable = statements.filter((statement) => statement.resources.every((r) => !/index/.test(r)));
      const onIndex = statements.filter((statement) => statement.resources.every((r) => /index\/gsi1$/.test(r)));
      expect(statements).toHaveLength(2);
      expect(onTable).toHaveLength(1);
      expect([...(onTable[0]?.actions ?? [])].sort()).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
      ]);
      expect(onTable[0]?.condition).toEqual({
        'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONCLUSION#*', 'AGENCY#*', 'BODY#*'] },
      });
      expect(onIndex).toHaveLength(1);
      expect(onIndex[0]?.actions).toEqual(['dynamodb:Query']);
      expect(onIndex[0]?.condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['CONCLUSIONS', 'SUMMARIES', 'AGENCIES', 'REFUSALS'] },
      });
      for (const statement of statements) {
        expect(statement.actions.some((action) => /Scan|Put|Update|Delete|BatchWrite/.test(action))).toBe(false);
      }
    }
    const everything = JSON.stringify(identityStatements([stack]));
    expect(everything).not.toMatch(/SURVEY#|COMMENT|RATE#/);
  });

  it('packages the site publisher as an arm64 container image, one invocation at a time, its state on EFS', () => {
    // Act
    const [fn] = Object.values(
      template.findResources('AWS::Lambda::Function', { Properties: { PackageType: 'Image' } }),
    );
    const props = fn?.Properties;
    const accessPoint = Object.keys(template.findResources('AWS::EFS::AccessPoint'))[0];
    const dockerfile = readFileSync(join(REPOSITORY_ROOT, 'functions/site-publisher/Dockerfile'), 'utf8');

    // Assess
    expect(props.Architectures).toEqual(['arm64']);
    expect(props.ReservedConcurrentExecutions).toBe(1);
    expect(props.MemorySize).toBe(PUBLISHER_MEMORY_MB);
    expect(PUBLISHER_MEMORY_MB).toBeGreaterThanOrEqual(3 * 1536);
    expect(props.Timeout).toBe(PUBLISHER_TIMEOUT.toSeconds());
    expect(props.Timeout).toBe(900);
    expect(flat(props.Code.ImageUri)).toMatch(/container-assets/);
    expect(props.FileSystemConfigs).toHaveLength(1);
    expect(props.FileSystemConfigs[0].LocalMountPath).toBe(PUBLISHER_MOUNT);
    expect(flat(props.FileSystemConfigs[0].Arn)).toContain(accessPoint);
    expect(props.Environment.Variables).toMatchObject({
      PUBLISH_STATE_DIR: `${PUBLISHER_MOUNT}/${PUBLISH_STATE}`,
      SITE_DIR: `${PUBLISHER_MOUNT}/site`,
      LOG_KEY_PARAMETER: '/congvu/dev/log-signing-key',
    });
    expect(props.VpcConfig.SubnetIds.length).toBeGreaterThanOrEqual(2);
    // Node 24 from AWS's Lambda base image, arm64 as the function; the handler's JavaScript entry
    expect(dockerfile).toMatch(/^FROM public\.ecr\.aws\/lambda\/nodejs:24\b/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).toMatch(/^CMD \["functions\/site-publisher\/index\.handler"\]$/m);
    template.hasResourceProperties('AWS::EFS::FileSystem', { Encrypted: true, ThroughputMode: 'elastic' });
    template.hasResourceProperties('AWS::EFS::AccessPoint', {
      PosixUser: { Uid: '1001', Gid: '1001' },
      RootDirectory: Match.objectLike({ Path: '/site-publisher' }),
    });
  });

  it('reaches DynamoDB, S3 and SSM from isolated subnets through endpoints, with no NAT gateway and no internet route', () => {
    // Act
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map((e) => e.Properties);
    const services = endpoints.map((e) => `${e.VpcEndpointType ?? 'Gateway'} ${flat(e.ServiceName)}`).sort();
    const ssm = endpoints.find((e) => /ssm$/.test(flat(e.ServiceName)));

    // Assess
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    expect(services).toEqual([
      expect.stringMatching(/^Gateway .*dynamodb$/),
      expect.stringMatching(/^Gateway .*s3$/),
      expect.stringMatching(/^Interface .*ssm$/),
    ]);
    expect(ssm.PrivateDnsEnabled).toBe(true);
    expect(ssm.PolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: 'ssm:GetParameter',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Resource: expect.anything(),
      }),
    ]);
    expect(flat(ssm.PolicyDocument.Statement[0].Resource)).toMatch(/parameter\/congvu\/dev\/log-signing-key$/);
  });

  it('grants the function what its steps use and nothing else; the workflow alone invalidates CloudFront', () => {
    // Act
    const statements = identityStatements([stack]);
    const publisher = statements.filter((statement) => statement.logicalId.startsWith('SitePublisherRole'));
    const workflow = statements.filter((statement) => statement.logicalId.startsWith('PublisherRole'));
    const actions = publisher.flatMap((statement) => statement.actions).sort();
    const invalidations = statements.filter((statement) => statement.actions.includes('cloudfront:CreateInvalidation'));

    // Assess
    expect(actions).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:Query',
        ...statements
          .filter((s) => s.logicalId.startsWith('SiteBuildRole') && /Stats/.test(s.resources.join()))
          .flatMap((s) => s.actions),
        'ec2:AssignPrivateIpAddresses',
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:DescribeNetworkInterfaces',
        'ec2:UnassignPrivateIpAddresses',
        'elasticfilesystem:ClientMount',
        'elasticfilesystem:ClientWrite',
        'kms:Decrypt',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:DeleteObject',
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        // The record of the last publication (its own test above)
        's3:GetObject',
        's3:ListBucket',
        's3:PutObject',
        'ssm:GetParameter',
      ].sort(),
    );
    const efs = publisher.find((statement) => statement.actions.includes('elasticfilesystem:ClientMount'));
    expect(Object.keys(efs?.condition as object)).toEqual(['StringEquals']);
    const onSite = publisher.filter(
      (statement) =>
        statement.actions.some((action) => action.startsWith('s3:')) && !isOnPublicationRecordOnly(statement),
    );
    for (const statement of onSite) {
      for (const resource of statement.resources) expect(resource).toMatch(/congvu-dev-site-/);
    }
    // CloudFront: the CodeBuild project (full path) and the workflow, on the one distribution; never the function
    expect(invalidations.map((statement) => statement.logicalId.replace(/DefaultPolicy.*$/, '')).sort()).toEqual([
      'PublisherRole',
      'SiteBuildRole',
    ]);
    for (const statement of invalidations) {
      expect(statement.resources).toEqual([expect.stringMatching(/:distribution\/<output:Site\.\w*Distribution/)]);
    }
    const invoke = workflow.filter((statement) => statement.actions.includes('lambda:InvokeFunction'));
    expect(invoke.flatMap((statement) => statement.resources).every((r) => /SitePublisher/.test(r))).toBe(true);
  });

  it('alarms when publishing fails or times out', () => {
    // Assess
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) =>
      JSON.stringify(alarm.Properties.Metrics ?? '').includes('failed + timedOut'),
    );
    expect(alarms).toHaveLength(1);
    expect(alarms[0]?.Properties.AlarmActions).toHaveLength(1);
  });
});

/** A statement on the record of the last publication (the build-cache bucket's one shared object, or its listing). */
function isOnPublicationRecord(statement: { resources: readonly string[]; condition?: unknown }): boolean {
  return (
    statement.resources.some((resource) => resource.endsWith(`/${PUBLICATION_RECORD_KEY}`)) ||
    JSON.stringify(statement.condition ?? {}).includes(PUBLICATION_RECORD_KEY)
  );
}

/** Only on the record (CDK merges the build's grant of that object into its grant of every cache object). */
function isOnPublicationRecordOnly(statement: { resources: readonly string[]; condition?: unknown }): boolean {
  return isOnPublicationRecord(statement) && !statement.resources.some((resource) => resource.endsWith('/*'));
}

describe('sourceExcludes', () => {
  it('leaves out git itself and everything git ignores, dependencies and build output included', () => {
    // Act
    const excludes = sourceExcludes();

    // Assess
    expect(excludes).toEqual(expect.arrayContaining(['.git/', 'node_modules/', 'cdk.out/', '.data/', 'site/dist/']));
  });
});
