import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CfnElement, Validations } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SPIKE_METRIC } from '../../../functions/aggregation/spike-metric.js';
import { findRoute, routes } from '../../../functions/routes.js';
import { EDGE_REGION, REPOSITORY_ROOT } from '../../../infra/config.js';
import { UNIT_REGISTRY_ASSET } from '../../../infra/constructs/lambda-bundling.js';
import { nagPacks } from '../../../infra/nag.js';
import { STREAM_SETTINGS } from '../../../infra/stacks/aggregation-stack.js';
import { DEFAULT_ROUTE_THROTTLE, routeKey } from '../../../infra/stacks/api-stack.js';
import { buildOpenApiDocument } from '../../../shared/openapi/document.js';
import { RECORDS_PARTITIONS } from '../../../shared/storage/keys.js';
import { flat, identityStatements, type SynthesizedApp, synthesizeApp } from './infra-fixtures.js';

/**
 * The whole app as `npx cdk synth` builds it: dev stage, the real route table (functions/routes.ts), the real
 * stream consumer, cdk-nag registered. Synthesized once for the file, because bundling every handler takes
 * a while; the stacks that bundle code (API, aggregation) are asserted here, the others in stacks/.
 */
let synthesized: SynthesizedApp;

beforeAll(() => {
  // cdk-nag runs during synthesis too: an unacknowledged error would already fail here.
  synthesized = synthesizeApp({ stage: 'dev' });
}, 300_000);

/** What Lambda needs to attach a function to a VPC (AWSLambdaVPCAccessExecutionRole's EC2 actions, all on "*"). */
const LAMBDA_VPC_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

describe('defineApp', () => {
  function stacks() {
    const { data, api, aggregation, edge, site, edgeLogs, publishing } = synthesized;
    return [data, api, aggregation, edge, site, edgeLogs, publishing];
  }

  it('names the stacks after what they hold, per stage', () => {
    // Assess
    expect(stacks().map((stack) => stack.stackName)).toEqual([
      'CongVu-dev-Data',
      'CongVu-dev-Api',
      'CongVu-dev-Aggregation',
      'CongVu-dev-Edge',
      'CongVu-dev-Site',
      'CongVu-dev-EdgeLogs',
      'CongVu-dev-Publishing',
    ]);
  });

  it('puts the web ACL and the CloudFront log delivery in us-east-1 and everything else in the main region', () => {
    // Assess
    expect(synthesized.edge.region).toBe(EDGE_REGION);
    expect(synthesized.edgeLogs.region).toBe(EDGE_REGION);
    const source = synthesized.template(synthesized.edgeLogs).findResources('AWS::Logs::DeliverySource');
    expect(JSON.stringify(Object.values(source)[0]?.Properties.ResourceArn)).toContain('CongVu-dev-Site');
    for (const stack of stacks().filter((stack) => stack !== synthesized.edge && stack !== synthesized.edgeLogs)) {
      expect(stack.region).toBe(synthesized.config.region);
    }
    const distribution = synthesized.template(synthesized.site).findResources('AWS::CloudFront::Distribution');
    const webAcl = Object.values(distribution)[0]?.Properties.DistributionConfig.WebACLId;
    expect(webAcl['Fn::GetStackOutput']).toMatchObject({ StackName: 'CongVu-dev-Edge', Region: EDGE_REGION });
  });

  it('leaves no cdk-nag finding unacknowledged, warnings included', () => {
    // Act
    const findings = nagPacks().flatMap((pack) =>
      pack.validateScope(synthesized.app).violations.map((violation) => ({
        rule: violation.ruleName,
        at: violation.violatingResources.map((resource) => resource.constructPath),
      })),
    );

    // Assess
    expect(findings).toEqual([]);
  });

  it('gives every acknowledgment a reason a reviewer can weigh', () => {
    // Act
    const acknowledgments: { id: string; reason: string; at: string }[] = [];
    const visit = (construct: IConstruct) => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledgments.push({ id, reason, at: construct.node.path });
        }
      }
      for (const child of construct.node.children) visit(child);
    };
    visit(synthesized.app);

    // Assess
    const nag = acknowledgments.filter(({ id }) => /AwsSolutions-|Serverless-/.test(id));
    expect(nag.length).toBeGreaterThan(0);
    for (const acknowledgment of nag) expect(acknowledgment.reason.length, acknowledgment.id).toBeGreaterThan(40);
  });

  it('grants no wildcard action anywhere', () => {
    // Act
    const wildcards = identityStatements(stacks()).filter(
      (statement) => statement.effect === 'Allow' && statement.actions.some((action) => action.includes('*')),
    );

    // Assess
    expect(wildcards).toEqual([]);
  });

  it('grants wildcard resources only where AWS offers nothing narrower', () => {
    // Prepare: objects of the three named buckets, ListStreams and the network interfaces Lambda creates for a function
    // in a VPC (the site publisher's), which have no resource-level permission, and the site publisher's versions.
    const objectsOfNamedBucket =
      /^arn:(aws|<AWS::Partition>):s3:::congvu-dev-(site|attachments|build-cache)-<AWS::AccountId>-[a-z0-9-]+\/\*$/;
    const objectActions = new Set(['s3:GetObject', 's3:PutObject', 's3:DeleteObject']);

    // Act
    const unexpected = identityStatements(stacks())
      .filter((statement) => statement.effect === 'Allow')
      .flatMap((statement) =>
        statement.resources
          .filter((resource) => resource.includes('*'))
          .filter((resource) => {
            if (resource === '*') {
              const only = (actions: readonly string[]) =>
                statement.actions.length === actions.length && statement.actions.every((a) => actions.includes(a));
              return !(only(['dynamodb:ListStreams']) || only(LAMBDA_VPC_ACTIONS));
            }
            // Step Functions' Lambda integration: the one function and its versions.
            if (/^<SitePublisher\w+,Arn>:\*$/.test(resource)) {
              return !(statement.actions.length === 1 && statement.actions[0] === 'lambda:InvokeFunction');
            }
            return !(
              objectsOfNamedBucket.test(resource) && statement.actions.every((action) => objectActions.has(action))
            );
          })
          .map((resource) => ({
            policy: `${statement.stack}/${statement.logicalId}`,
            resource,
            actions: statement.actions,
          })),
      );

    // Assess
    expect(unexpected).toEqual([]);
  });

  it('runs every function on Node 24 and arm64, with log retention everywhere', () => {
    // Act
    const functions = stacks().flatMap((stack) =>
      Object.values(synthesized.template(stack).findResources('AWS::Lambda::Function')),
    );
    const logGroups = stacks().flatMap((stack) =>
      Object.values(synthesized.template(stack).findResources('AWS::Logs::LogGroup')),
    );

    // Assess
    expect(functions.length).toBeGreaterThan(1);
    for (const fn of functions) {
      // A container image (the site publisher) brings its runtime: AWS's Node 24 base image
      // (test/unit/infra/stacks/publishing-stack.test.ts reads its Dockerfile).
      expect(fn.Properties.Runtime).toBe(fn.Properties.PackageType === 'Image' ? undefined : 'nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
    }
    expect(functions.filter((fn) => fn.Properties.PackageType === 'Image')).toHaveLength(1);
    for (const group of logGroups) expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('ApiStack, synthesized with the real route table', () => {
  // biome-ignore lint/suspicious/noExplicitAny: Lambda functions as CloudFormation JSON.
  let functions: Record<string, any>;
  let template: Template;
  let stack: SynthesizedApp['api'];

  beforeAll(() => {
    stack = synthesized.api;
    template = synthesized.template(stack);
    functions = Object.fromEntries(
      Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => [fn.Properties.FunctionName, fn]),
    );
  });

  it('creates one function and one route per entry of the route table', () => {
    // Assess
    expect(Object.keys(functions).sort()).toEqual(routes.map((route) => `CongVu-dev-${route.name}`).sort());
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(routes.map(routeKey).sort());
  });

  it('deploys, documents and serves the same routes: none exists in one and not the others', () => {
    // Prepare: the three derived views of the route table.
    const deployed = Object.values(template.findResources('AWS::ApiGatewayV2::Route'))
      .map((r) => r.Properties.RouteKey as string)
      .sort();
    const paths = buildOpenApiDocument(routes).paths as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths)
      .flatMap(([path, byMethod]) => Object.keys(byMethod).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    // The local gateway dispatches a concrete request (placeholders filled) to the route of that key.
    const served = deployed.filter((key) => {
      const [method = '', path = ''] = key.split(' ');
      const { match } = findRoute(method, path.replace(/\{[^}]+\}/g, 'x1'));
      return match !== undefined && routeKey(match.route) === key;
    });

    // Assess
    expect(deployed.length).toBeGreaterThan(10);
    expect(documented).toEqual(deployed);
    expect(served).toEqual(deployed);
    expect(findRoute('GET', '/api/v1/undeclared').match).toBeUndefined();
  });

  it('runs every handler on Node 24, arm64, as a minified ESM bundle with its own log retention', () => {
    // Assess
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    }
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(routes.length + 1); // one per function and the access log
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('throttles each route at the stage with the rate and burst of the route table', () => {
    // Act
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties;

    // Assess
    expect(stage.StageName).toBe('$default');
    expect(stage.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: DEFAULT_ROUTE_THROTTLE.rate,
      ThrottlingBurstLimit: DEFAULT_ROUTE_THROTTLE.burst,
    });
    for (const route of routes) {
      expect(stage.RouteSettings[routeKey(route)]).toEqual({
        ThrottlingRateLimit: route.throttle.rate,
        ThrottlingBurstLimit: route.throttle.burst,
      });
    }
  });

  it('writes JSON access logs with the request id and no request content', () => {
    // Act
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0]?.Properties;
    const format = JSON.parse(stage.AccessLogSettings.Format);

    // Assess
    expect(format.requestId).toBe('$context.requestId');
    expect(format.routeKey).toBe('$context.routeKey');
    expect(JSON.stringify(format)).not.toMatch(/body|querystring|header/i);
  });

  function ownStatements(routeName: string) {
    const policy = stack.handlers.get(routeName)?.role.node.findChild('DefaultPolicy').node.defaultChild;
    if (!(policy instanceof CfnElement)) throw new Error(`no role policy for ${routeName}`);
    return identityStatements([stack]).filter((statement) => statement.logicalId === stack.getLogicalId(policy));
  }
  const WRITE = /^dynamodb:(Put|Update|Delete|BatchWrite|ConditionCheck)/;

  it('grants each handler exactly the table access its route declares', () => {
    for (const route of routes) {
      // Act
      const own = ownStatements(route.name);
      const dynamo = own.flatMap((statement) => statement.actions).filter((action) => action.startsWith('dynamodb:'));
      const declared = [route.tables.records, route.tables.stats].flatMap((use) =>
        typeof use === 'object' ? use.write.map((action) => `dynamodb:${action}`) : [],
      );

      // Assess
      expect(own.length).toBeGreaterThan(0);
      expect(dynamo.filter((action) => WRITE.test(action)).sort()).toEqual(declared.sort());
      expect(dynamo.includes('dynamodb:Scan')).toBe(false);
    }
  });

  it("limits every write route to its own items' partitions (dynamodb:LeadingKeys), on the table only", () => {
    // Prepare
    const writing = routes.filter((route) => typeof route.tables.records === 'object');

    // Act / Assess
    expect(writing.length).toBeGreaterThan(5);
    for (const route of writing) {
      const use = route.tables.records;
      if (typeof use !== 'object') continue;
      const writes = ownStatements(route.name).filter(
        (statement) => statement.actions.some((a) => WRITE.test(a)) && /Records/.test(String(statement.resources[0])),
      );
      expect(writes).toHaveLength(1);
      const [statement] = writes;
      // Only writes in this statement: reads are granted apart, without the condition.
      expect(statement?.actions.every((action) => WRITE.test(action))).toBe(true);
      expect(statement?.resources).toHaveLength(1);
      expect(statement?.resources[0]).toMatch(/Records.*Arn/);
      expect(statement?.resources[0]).not.toMatch(/index/);
      expect(statement?.condition).toEqual({
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': use.partitions.map((partition) => `${RECORDS_PARTITIONS[partition]}*`),
        },
      });
    }
  });

  it('lets the public survey function write responses, comments, rate buckets and refusal counts, nothing else', () => {
    // Act
    const own = ownStatements('surveys-create');
    const writes = own.filter((statement) => statement.actions.some((a) => WRITE.test(a)));
    const onStats = own.filter((statement) => statement.resources.some((r) => /Stats/.test(String(r))));

    // Assess
    expect(writes.map((statement) => [...statement.actions].sort())).toEqual([
      ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
      ['dynamodb:UpdateItem'],
    ]);
    expect(writes[0]?.resources[0]).toMatch(/Records.*Arn/);
    expect(writes[0]?.condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SURVEY#*', 'COMMENT#*', 'REFUSED#*'] },
    });
    // The rate-limit buckets, in the stats table: updated (ADD), on their own partitions, and nothing else of the
    // table: not even read.
    expect(onStats).toEqual([writes[1]]);
    expect(writes[1]?.resources).toHaveLength(1);
    expect(writes[1]?.resources[0]).toMatch(/Stats.*Arn/);
    expect(writes[1]?.condition).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATE#*'] } });
  });

  it('grants no DeleteItem or BatchWriteItem to any function: none deletes or batch-writes', () => {
    // Act
    const actions = identityStatements([stack, synthesized.aggregation]).flatMap((statement) => statement.actions);

    // Assess
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(actions).not.toContain('dynamodb:BatchWriteItem');
    expect(actions.filter((action) => WRITE.test(action)).length).toBeGreaterThan(0);
  });

  it('gives secret-using handlers the parameter name, never the secret, and a scoped decrypt', () => {
    // Act
    const needing = routes.filter((route) => route.needs?.includes('dossier-hmac-secret'));
    const statements = identityStatements([stack]);

    // Assess
    expect(needing.length).toBeGreaterThan(0);
    for (const route of needing) {
      const variables = functions[`CongVu-dev-${route.name}`].Properties.Environment.Variables;
      expect(variables.DOSSIER_HMAC_PARAMETER).toBe('/congvu/dev/dossier-hmac-key');
      expect(variables.DOSSIER_HMAC_SECRET).toBeUndefined();
    }
    const decrypt = statements.filter(
      (statement) =>
        statement.actions.includes('kms:Decrypt') && JSON.stringify(statement.condition ?? {}).includes('ssm.'),
    );
    expect(decrypt.length).toBe(needing.length);
    for (const statement of decrypt) {
      expect(JSON.stringify(statement.condition)).toContain('"kms:ViaService":"ssm.ap-southeast-1.amazonaws.com"');
      expect(JSON.stringify(statement.condition)).toContain('kms:EncryptionContext:PARAMETER_ARN');
    }
    const reads = statements.filter((statement) => statement.actions.includes('ssm:GetParameter'));
    for (const statement of reads) {
      expect(statement.resources.map(flat)).toEqual([
        'arn:aws:ssm:ap-southeast-1:<AWS::AccountId>:parameter/congvu/dev/dossier-hmac-key',
      ]);
    }
  });

  it('has every handler check the origin secret first: its name in the environment, read access to it alone', () => {
    // Act
    const statements = identityStatements([stack]);

    // Assess
    for (const route of routes) {
      const variables = functions[`CongVu-dev-${route.name}`].Properties.Environment.Variables;
      expect(variables.ORIGIN_VERIFY_SECRET).toBe('congvu/dev/origin-verify');
      expect(variables.ORIGIN_VERIFY_VALUES).toBeUndefined();
      const own = ownStatements(route.name);
      const read = own.find((statement) => statement.actions.includes('secretsmanager:GetSecretValue'));
      expect(read?.actions).toEqual(['secretsmanager:GetSecretValue']);
      expect(read?.resources).toHaveLength(1);
      expect(read?.resources[0]).toMatch(/OriginSecret/);
    }
    const decrypt = statements.filter((statement) =>
      JSON.stringify(statement.condition ?? {}).includes('secretsmanager.'),
    );
    expect(decrypt).toHaveLength(routes.length);
    for (const statement of decrypt)
      expect(JSON.stringify(statement.condition)).toContain('kms:EncryptionContext:SecretARN');
  });

  it('tells handlers where CloudFront puts the viewer address', () => {
    // Assess
    for (const fn of Object.values(functions)) {
      expect(fn.Properties.Environment.Variables.CLIENT_ADDRESS_HEADER).toBe('cloudfront-viewer-address');
    }
  });

  it('ships the committed unit registry beside the bundle of each route that resolves units, and only those', () => {
    // Prepare: a function's code is the folder CDK's bundling wrote, `asset.<hash>` for the zip `<hash>.zip`.
    const committed = readFileSync(join(REPOSITORY_ROOT, UNIT_REGISTRY_ASSET.source));
    const shipped = (name: string): Buffer | undefined => {
      const key = flat(functions[`CongVu-dev-${name}`].Properties.Code.S3Key);
      const folder = join(synthesized.app.outdir, `asset.${key.replace(/\.zip$/, '')}`);
      expect(existsSync(join(folder, 'index.mjs'))).toBe(true);
      const file = join(folder, UNIT_REGISTRY_ASSET.target);
      return existsSync(file) ? readFileSync(file) : undefined;
    };
    const needing = routes.filter((route) => route.needs?.includes('unit-registry')).map((route) => route.name);

    // Assess: the file is where shared/units/bundled.ts looks for it, relative to the bundle (index.mjs).
    expect(needing).toEqual(expect.arrayContaining(['surveys-create', 'conclusions-create']));
    expect(UNIT_REGISTRY_ASSET.target).toBe('data/registry.json.gz');
    for (const route of routes) {
      const file = shipped(route.name);
      if (needing.includes(route.name)) expect(file?.equals(committed)).toBe(true);
      else expect(file).toBeUndefined();
    }
  });

  it('ships the committed unit registry beside the aggregation, which resolves roll-up targets, and not the log appender', () => {
    // Prepare
    const committed = readFileSync(join(REPOSITORY_ROOT, UNIT_REGISTRY_ASSET.source));
    const consumers = Object.values(
      synthesized.template(synthesized.aggregation).findResources('AWS::Lambda::Function'),
    ).map((fn) => [fn.Properties.FunctionName as string, fn] as const);
    const shipped = (name: string): Buffer | undefined => {
      const fn = consumers.find(([functionName]) => functionName === `CongVu-dev-${name}`)?.[1];
      const folder = join(synthesized.app.outdir, `asset.${flat(fn?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
      expect(existsSync(join(folder, 'index.mjs'))).toBe(true);
      const file = join(folder, UNIT_REGISTRY_ASSET.target);
      return existsSync(file) ? readFileSync(file) : undefined;
    };

    // Assess
    expect(shipped('aggregation')?.equals(committed)).toBe(true);
    expect(shipped('log-appender')).toBeUndefined();
  });

  it("warns, without a site origin, that browsers' survey posts would be refused, and sets none", () => {
    // Assess
    for (const fn of Object.values(functions)) expect(fn.Properties.Environment.Variables.SITE_ORIGINS).toBeUndefined();
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('survey form posts will be refused'));
    // Reading the annotations walks the whole synthesized stack: over 5 s on a loaded two-core machine.
  }, 30_000);
});

describe('AggregationStack, synthesized with the real stream consumer', () => {
  let stack: SynthesizedApp['aggregation'];
  let template: Template;
  // biome-ignore lint/suspicious/noExplicitAny: the event source mapping as CloudFormation JSON.
  let mapping: any;
  // biome-ignore lint/suspicious/noExplicitAny: the log appender's event source mapping as CloudFormation JSON.
  let logMapping: any;

  /** The mapping whose target's logical id names the function. */
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON.
  const mappingOf = (name: RegExp): any =>
    Object.values(template.findResources('AWS::Lambda::EventSourceMapping'))
      .map((resource) => resource.Properties)
      .find((properties) => name.test(flat(properties.FunctionName)));
  const queueNamed = (name: string) =>
    Object.entries(template.findResources('AWS::SQS::Queue')).find(([, queue]) => queue.Properties.QueueName === name);

  beforeAll(() => {
    stack = synthesized.aggregation;
    template = synthesized.template(stack);
    mapping = mappingOf(/Aggregation/);
    logMapping = mappingOf(/LogAppender/);
  });

  it('consumes the records stream with Node 24 on arm64', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'CongVu-dev-aggregation',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    expect(flat(mapping.EventSourceArn)).toMatch(/StreamArn/);
    expect(mapping.StartingPosition).toBe('TRIM_HORIZON');
  });

  it('reports batch item failures, bisects failing batches and retries a bounded number of times', () => {
    // Assess
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(mapping.BisectBatchOnFunctionError).toBe(true);
    expect(mapping.MaximumRetryAttempts).toBe(STREAM_SETTINGS.retryAttempts);
    expect(mapping.MaximumRecordAgeInSeconds).toBe(STREAM_SETTINGS.maxRecordAge.toSeconds());
    expect(mapping.ParallelizationFactor).toBe(1);
  });

  it('sends what it cannot process to an encrypted SQS dead-letter queue', () => {
    // Act
    const queue = queueNamed('CongVu-dev-aggregation-dead-letters');

    // Assess
    expect(queue).toBeDefined();
    expect(mapping.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queue?.[0], 'Arn'] });
    expect(queue?.[1].Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('alarms on dead letters, errors, stream lag and survey spikes', () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);

    // Assess
    expect(alarms.map((alarm) => alarm.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ApproximateNumberOfMessagesVisible',
      'Errors',
      'IteratorAge',
      SPIKE_METRIC.name,
    ]);
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
  });

  it('raises an alarm as soon as the aggregation flags one spike, on the metric it emits', () => {
    // Assess: the namespace, name and service dimension the handler's Powertools Metrics publishes
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: SPIKE_METRIC.namespace,
      MetricName: SPIKE_METRIC.name,
      Dimensions: [{ Name: 'service', Value: SPIKE_METRIC.service }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('reads the stream and records, writes stats, and may send to its own queue only', () => {
    // Act
    const actions = identityStatements([stack]).flatMap((statement) => statement.actions);

    // Assess
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:DescribeStream',
        'dynamodb:ListStreams',
        'dynamodb:UpdateItem',
        'sqs:SendMessage',
      ]),
    );
    expect(actions.filter((action) => action.startsWith('s3:') || action.startsWith('kms:'))).toEqual([]);
  });

  it('runs the transparency log appender as a second consumer of the same stream, its failures reported in order', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'CongVu-dev-log-appender',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
    });
    expect(flat(logMapping.EventSourceArn)).toBe(flat(mapping.EventSourceArn));
    expect(logMapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    // Bisecting would retry later records before an earlier failed one: the appender must keep stream order.
    expect(logMapping.BisectBatchOnFunctionError).toBeUndefined();
    expect(logMapping.ParallelizationFactor).toBe(1);
    const queue = queueNamed('CongVu-dev-log-dead-letters');
    expect(logMapping.DestinationConfig.OnFailure.Destination).toEqual({ 'Fn::GetAtt': [queue?.[0], 'Arn'] });
  });
});
