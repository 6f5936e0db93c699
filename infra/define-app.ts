import { type App, ReferenceStrength, Stack } from 'aws-cdk-lib';
import { type RouteDefinition, routes as routeTable } from '../functions/routes.js';
import { type DeploymentConfig, EDGE_REGION, readDeploymentConfig } from './config.js';
import { addNagChecks } from './nag.js';
import { AggregationStack } from './stacks/aggregation-stack.js';
import { ApiStack } from './stacks/api-stack.js';
import { DataStack } from './stacks/data-stack.js';
import { EdgeLogsStack } from './stacks/edge-logs-stack.js';
import { EdgeStack } from './stacks/edge-stack.js';
import { PublishingStack } from './stacks/publishing-stack.js';
import { SiteStack } from './stacks/site-stack.js';

export interface AppStacks {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  readonly api: ApiStack;
  readonly aggregation: AggregationStack;
  readonly edge: EdgeStack;
  readonly site: SiteStack;
  readonly edgeLogs: EdgeLogsStack;
  readonly publishing: PublishingStack;
}

export interface DefineAppOptions {
  /** The route table; the real one (functions/routes.ts) unless a test passes another. */
  readonly routes?: readonly RouteDefinition[];
  /** The stream consumer's module, relative to the repository root (default functions/aggregation/handler.ts). */
  readonly aggregationEntry?: string;
  /** Register the cdk-nag packs (default true). */
  readonly nag?: boolean;
}

/**
 * Builds the whole service into `app`, for the stage named in context (`-c stage=prod`). Stacks are named
 * `CongVu-<stage>-<Part>` and deploy in dependency order: Data → Api, Aggregation → Edge (us-east-1) → Site →
 * EdgeLogs (us-east-1), Publishing.
 */
export function defineApp(app: App, options: DefineAppOptions = {}): AppStacks {
  const config = readDeploymentConfig(app.node);
  const env = { account: config.account, region: config.region };
  const name = (part: string) => `${config.prefix}-${part}`;
  const tags = { project: 'cong-vu-minh-bach', stage: config.stage };

  const data = new DataStack(app, name('Data'), {
    config,
    env,
    tags,
    description: 'Tables, attachments bucket, secrets key, alarm topic',
  });
  const api = new ApiStack(app, name('Api'), {
    config,
    env,
    tags,
    data,
    routes: options.routes ?? routeTable,
    description: 'HTTP API and one function per route',
  });
  const aggregation = new AggregationStack(app, name('Aggregation'), {
    config,
    env,
    tags,
    data,
    entry: options.aggregationEntry,
    description: 'Records stream → statistics, with dead letters and alarms',
  });
  const edge = new EdgeStack(app, name('Edge'), {
    config,
    env: { account: config.account, region: EDGE_REGION },
    tags,
    description: 'WAF web ACL for CloudFront (us-east-1 only)',
  });
  const site = new SiteStack(app, name('Site'), {
    config,
    env,
    tags,
    apiOriginDomainName: api.originDomainName,
    // Fn::GetStackOutput reads the us-east-1 output at deploy time: no custom resource, no export lock-in.
    webAclArn: Stack.consumeReference(edge.webAclArn, ReferenceStrength.WEAK),
    originSecret: data.originSecret,
    secretsKey: data.secretsKey,
    alarmTopic: data.alarmTopic,
    description: 'S3 + CloudFront: the public site, /api/* to the HTTP API, WAF, security headers',
  });
  const edgeLogs = new EdgeLogsStack(app, name('EdgeLogs'), {
    config,
    env: { account: config.account, region: EDGE_REGION },
    tags,
    distributionId: Stack.consumeReference(site.distribution.distributionId, ReferenceStrength.WEAK),
    description: 'CloudFront access logs (standard logging v2, us-east-1) without client addresses',
  });
  const publishing = new PublishingStack(app, name('Publishing'), {
    config,
    env,
    tags,
    data,
    site,
    description: 'Debounced site rebuild: schedule → dirty marker → CodeBuild → S3 + invalidation',
  });
  if (options.nag ?? true) addNagChecks(app);
  return { config, data, api, aggregation, edge, site, edgeLogs, publishing };
}
