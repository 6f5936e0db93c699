import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataStack } from '../../../../infra/stacks/data-stack.js';
import {
  DIRTY_MARKER_KEY,
  PublishingStack,
  SITE_BUILD_SPEC,
  sourceExcludes,
} from '../../../../infra/stacks/publishing-stack.js';
import { SiteStack } from '../../../../infra/stacks/site-stack.js';
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
    definition = JSON.parse(flat(machine?.Properties.DefinitionString).replace(/<[^>]+>/g, 'X'));
  }, 60_000);

  it('publishes the transparency log after the site: tiles immutable, the checkpoint last and short-lived', () => {
    // Act
    const commands: string[] = [...SITE_BUILD_SPEC.phases.build.commands];
    const at = (pattern: RegExp) => commands.findIndex((command) => pattern.test(command));

    // Assess
    expect(at(/npm run log -- export --out site\/dist/)).toBeGreaterThan(at(/npm run build:site/));
    expect(commands[at(/sync site\/dist\/log\/tile/)]).toMatch(/max-age=31536000, immutable/);
    expect(commands[at(/cp site\/dist\/log\/checkpoint/)]).toMatch(/max-age=5\b/);
    expect(at(/cp site\/dist\/log\/checkpoint/)).toBeGreaterThan(at(/sync site\/dist\/log\/tile/));
    expect(commands[at(/sync site\/dist "/)]).toMatch(/--exclude "log\/checkpoint" --exclude "log\/tile\/\*"/);
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

  it('checks the dirty marker on a schedule', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)', State: 'ENABLED' });
    expect(definition.StartAt).toBe('ReadDirtyMarker');
    expect(definition.States.ReadDirtyMarker.Parameters).toMatchObject({
      Key: { pk: { S: DIRTY_MARKER_KEY.pk }, sk: { S: DIRTY_MARKER_KEY.sk } },
      ConsistentRead: true,
    });
  });

  it('builds only when the marker version is newer than the built version', () => {
    // Act
    const changed = definition.States.HasAnythingChanged;
    const newer = definition.States.IsTheMarkerNewer;

    // Assess
    expect(changed.Choices).toEqual([
      { Not: { Variable: '$.marker.Item.version', IsPresent: true }, Next: 'NothingToPublish' },
      { Not: { Variable: '$.marker.Item.builtVersion', IsPresent: true }, Next: 'BuildAndPublishSite' },
    ]);
    expect(newer.Choices).toEqual([
      { Variable: '$.versions.version', NumericGreaterThanPath: '$.versions.built', Next: 'BuildAndPublishSite' },
    ]);
    expect(newer.Default).toBe('NothingToPublish');
  });

  it('waits for the build, then records the version it built without ever moving it backwards', () => {
    // Act
    const build = definition.States.BuildAndPublishSite;
    const record = definition.States.RecordBuiltVersion;

    // Assess
    expect(build.Resource).toMatch(/:states:::codebuild:startBuild\.sync$/);
    expect(build.Next).toBe('RecordBuiltVersion');
    expect(build.Catch).toEqual([
      { ErrorEquals: ['CodeBuild.AccountLimitExceededException'], Next: 'AnotherBuildIsRunning' },
    ]);
    expect(record.Parameters.ConditionExpression).toBe('attribute_not_exists(builtVersion) OR builtVersion < :v');
    expect(record.Parameters.ExpressionAttributeValues).toEqual({ ':v': { 'N.$': '$.marker.Item.version.N' } });
  });

  it('runs the repository scripts in CodeBuild, one build at a time, then syncs and invalidates', () => {
    // Act
    const project = Object.values(template.findResources('AWS::CodeBuild::Project'))[0]?.Properties;
    const commands = [...SITE_BUILD_SPEC.phases.install.commands, ...SITE_BUILD_SPEC.phases.build.commands].join('\n');

    // Assess
    expect(project.ConcurrentBuildLimit).toBe(1);
    expect(project.Environment).toMatchObject({ Type: 'ARM_CONTAINER' });
    expect(JSON.parse(project.Source.BuildSpec)).toEqual(SITE_BUILD_SPEC);
    expect(commands).toContain('npm run stats -- export');
    expect(commands).toContain('npm run build:site');
    expect(commands).toContain('aws s3 sync site/dist "s3://$SITE_BUCKET" --delete');
    expect(commands).toContain('aws cloudfront create-invalidation');
    const variables = project.Environment.EnvironmentVariables.map((variable: { Name: string }) => variable.Name);
    expect(variables).toEqual(
      expect.arrayContaining(['RECORDS_TABLE', 'STATS_TABLE', 'SITE_BUCKET', 'DISTRIBUTION_ID']),
    );
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
    const statements = identityStatements([stack]).filter((statement) =>
      statement.resources.some((resource) => /Records/.test(resource)),
    );
    const onTable = statements.filter((statement) => statement.resources.every((r) => !/index/.test(r)));
    const onIndex = statements.filter((statement) => statement.resources.every((r) => /index\/gsi1$/.test(r)));

    // Assess
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
    const everything = JSON.stringify(identityStatements([stack]));
    expect(everything).not.toMatch(/SURVEY#|COMMENT|RATE#/);
    for (const statement of statements) {
      expect(statement.actions.some((action) => /Scan|Put|Update|Delete|BatchWrite/.test(action))).toBe(false);
    }
  });

  it('alarms when publishing fails or times out', () => {
    // Assess
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(1);
    expect(JSON.stringify(alarms[0]?.Properties.Metrics)).toContain('failed + timedOut');
    expect(alarms[0]?.Properties.AlarmActions).toHaveLength(1);
  });
});

describe('sourceExcludes', () => {
  it('leaves out git itself and everything git ignores, dependencies and build output included', () => {
    // Act
    const excludes = sourceExcludes();

    // Assess
    expect(excludes).toEqual(expect.arrayContaining(['.git/', 'node_modules/', 'cdk.out/', '.data/', 'site/dist/']));
  });
});
