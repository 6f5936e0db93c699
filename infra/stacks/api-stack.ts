import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Annotations, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type CfnStage, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { VIEWER_ADDRESS_HEADER } from '../../functions/lib/origin-verify.js';
import type { RouteDefinition } from '../../functions/routes.js';
import { recordsTable, statsTable } from '../../shared/storage/tables.js';
import { type DeploymentConfig, REPOSITORY_ROOT } from '../config.js';
import { HandlerFunction } from '../constructs/handler-function.js';
import { recordsUseStatements, statsUseStatements } from '../constructs/table-access.js';
import { InfraDefinitionError, MissingHandlerError } from '../errors.js';
import { acknowledgeWildcardResource } from '../nag.js';
import { bucketName, bucketObjectsArn } from '../naming.js';
import type { DataStack } from './data-stack.js';

export interface ApiStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly data: DataStack;
  /** The route table (functions/routes.ts): one function and one route per entry. */
  readonly routes: readonly RouteDefinition[];
}

/** The header CloudFront sets to the viewer's `ip:port` (forwarded by the /api/* origin request policy). */
export const CLIENT_ADDRESS_HEADER = VIEWER_ADDRESS_HEADER;

/** Stage-wide throttle for any route without its own setting (none should exist: every route has one). */
export const DEFAULT_ROUTE_THROTTLE = { rate: 100, burst: 200 } as const;

/**
 * Checks the whole route table before anything is bundled: names and route keys are unique (they become
 * function names and route settings) and every handler file exists.
 */
export function checkRouteTable(routes: readonly RouteDefinition[]): void {
  const names = new Set<string>();
  const keys = new Set<string>();
  for (const route of routes) {
    if (names.has(route.name))
      throw new InfraDefinitionError(`route name "${route.name}" appears twice in the route table`);
    if (keys.has(routeKey(route)))
      throw new InfraDefinitionError(`route "${routeKey(route)}" appears twice in the route table`);
    if (!existsSync(resolve(REPOSITORY_ROOT, route.entry))) throw new MissingHandlerError(route.entry);
    names.add(route.name);
    keys.add(routeKey(route));
  }
}

/** The route key API Gateway uses in route settings and access logs: `GET /api/v1/health`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The public API: one HTTP API whose `$default` stage has per-route throttling and JSON access logs, and one
 * NodejsFunction per entry of the route table, each with its own role granted exactly what the entry declares.
 * CloudFront (site stack) forwards `/api/*` here unchanged, so route paths keep their `/api/v1` prefix.
 */
export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly handlers: ReadonlyMap<string, HandlerFunction>;
  /** `<api-id>.execute-api.<region>.amazonaws.com`: the CloudFront origin. */
  readonly originDomainName: string;

  private readonly config: DeploymentConfig;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.config = config;
    if (config.siteOrigins.length === 0) {
      Annotations.of(this).addWarning(
        "No site origin (-c domainName or -c siteOrigins): browsers' survey form posts will be refused as cross-site. " +
          'Deploy once, then set -c siteOrigins=https://<distribution>.cloudfront.net.',
      );
    }

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `${config.prefix}-api`,
      description: 'Public transparency API (behind CloudFront at /api/*)',
      createDefaultStage: false,
      // The default execute-api endpoint stays enabled: it is CloudFront's way in. Disabling it would need an API
      // custom domain (its own certificate and DNS name), as public as this endpoint; what proves a request came
      // through CloudFront is the secret origin header every handler checks first (functions/lib/origin-verify.ts).
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      logGroupName: `/congvu/${config.stage}/api-access`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: DEFAULT_ROUTE_THROTTLE.rate, burstLimit: DEFAULT_ROUTE_THROTTLE.burst },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    this.originDomainName = `${this.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`;

    checkRouteTable(props.routes);
    const handlers = new Map<string, HandlerFunction>();
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const route of props.routes) {
      const handler = this.routeHandler(route, props);
      handlers.set(route.name, handler);
      const [httpRoute] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${pascal(route.name)}Integration`, handler.function),
      });
      routeSettings[routeKey(route)] = {
        ThrottlingRateLimit: route.throttle.rate,
        ThrottlingBurstLimit: route.throttle.burst,
      };
      if (httpRoute) {
        // API Gateway refuses route settings for a route key that does not exist yet.
        this.stage.node.addDependency(httpRoute);
        Validations.of(httpRoute).acknowledge({ id: 'AwsSolutions-APIG4', reason: AUTHORIZATION_REASON[route.access] });
      }
    }
    this.handlers = handlers;
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = routeSettings;
  }

  /** Every object of the attachments bucket (named, so no cross-stack export is needed). */
  private get attachmentObjects(): string {
    return bucketObjectsArn(bucketName(this, this.config, 'attachments'));
  }

  private routeHandler(route: RouteDefinition, props: ApiStackProps): HandlerFunction {
    const { config, data } = props;
    const environment: Record<string, string> = {
      RECORDS_TABLE: data.records.tableName,
      STATS_TABLE: data.stats.tableName,
      // Behind CloudFront the connection's source IP is an edge server; the viewer's address is in this header.
      CLIENT_ADDRESS_HEADER: CLIENT_ADDRESS_HEADER,
      ...(config.apiAudience ? { API_AUDIENCE: config.apiAudience } : {}),
      // The Origin a survey form post must carry (CloudFront does not pass the viewer's Host on to the API).
      ...(config.siteOrigins.length > 0 ? { SITE_ORIGINS: config.siteOrigins.join(',') } : {}),
      // Every handler refuses, first, a request that did not come through CloudFront (functions/lib/origin-verify.ts).
      ORIGIN_VERIFY_SECRET: config.originSecretName,
    };
    const statements: PolicyStatement[] = [...originSecretReadStatements(this, data)];
    if (route.tables.records)
      statements.push(...recordsUseStatements(data.records, recordsTable, route.tables.records));
    if (route.tables.stats) statements.push(...statsUseStatements(data.stats, statsTable, route.tables.stats));
    for (const need of route.needs ?? []) {
      if (need === 'attachments-bucket') {
        environment.ATTACHMENTS_BUCKET = bucketName(this, config, 'attachments');
        // A GET route only ever reads a document; only the routes that change something may also write one.
        const actions = route.method === 'GET' ? ['s3:GetObject'] : ['s3:GetObject', 's3:PutObject'];
        statements.push(new PolicyStatement({ actions, resources: [this.attachmentObjects] }));
      } else if (need === 'dossier-hmac-secret') {
        environment.DOSSIER_HMAC_PARAMETER = config.dossierHmacParameterName;
        statements.push(...secureParameterStatements(this, data, config.dossierHmacParameterName));
      }
    }

    const handler = new HandlerFunction(this, pascal(route.name), {
      config,
      name: route.name,
      entry: route.entry,
      description: `${routeKey(route)} (${route.access})`,
      environment,
      unitRegistry: route.needs?.includes('unit-registry') ?? false,
    });
    handler.allow(...statements);
    // Synchronous API invocations have no asynchronous retries to catch: the caller gets the error.
    Validations.of(handler).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason:
          'Invoked synchronously by API Gateway; a failure is answered to the caller, there is nothing to dead-letter.',
      },
      {
        id: 'Serverless-LambdaTracing',
        reason:
          'X-Ray needs xray:PutTraceSegments on "*"; requests are traced by correlation id in the JSON logs instead.',
      },
    );
    if (route.needs?.includes('attachments-bucket')) {
      acknowledgeWildcardResource(
        handler,
        this.attachmentObjects,
        'Keys of uploaded documents are not known in advance; the grant is put/get of objects in the one attachments bucket.',
      );
    }
    return handler;
  }
}

/** Why no route has an API Gateway authorizer. */
const AUTHORIZATION_REASON: Readonly<Record<RouteDefinition['access'], string>> = {
  public:
    'Public by design (CONTRACT.md): anyone may read the data or rate a service; abuse is limited by WAF and throttling.',
  agency:
    'The handler verifies the agency JWT (Ed25519, claims bound to method, path and body hash, replay-checked) against keys in DynamoDB, as CONTRACT.md specifies; an API Gateway JWT authorizer can do neither.',
};

/** Fields of the JSON access log ($context variables of HTTP APIs); no body, no query string, no headers. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  responseLength: '$context.responseLength',
  protocol: '$context.protocol',
  userAgent: '$context.identity.userAgent',
} as const;

/**
 * Read access to one SecureString parameter: ssm:GetParameter on that parameter, and kms:Decrypt on the
 * service's key only when SSM asks for it on behalf of that parameter (the encryption context SSM sets).
 */
export function secureParameterStatements(stack: Stack, data: DataStack, parameterName: string): PolicyStatement[] {
  const parameterArn = stack.formatArn({
    service: 'ssm',
    resource: 'parameter',
    resourceName: parameterName.replace(/^\//, ''),
  });
  return [
    new PolicyStatement({ actions: ['ssm:GetParameter'], resources: [parameterArn] }),
    new PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [data.secretsKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `ssm.${stack.region}.amazonaws.com`,
          'kms:EncryptionContext:PARAMETER_ARN': parameterArn,
        },
      },
    }),
  ];
}

/**
 * Read access to the origin secret (every version: current, pending, previous): secretsmanager:GetSecretValue on
 * that secret, and kms:Decrypt on the service's key only when Secrets Manager asks for it on behalf of that secret.
 */
export function originSecretReadStatements(stack: Stack, data: DataStack): PolicyStatement[] {
  return [
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [data.originSecret.secretArn] }),
    new PolicyStatement({
      actions: ['kms:Decrypt'],
      resources: [data.secretsKey.keyArn],
      conditions: {
        StringEquals: {
          'kms:ViaService': `secretsmanager.${stack.region}.amazonaws.com`,
          'kms:EncryptionContext:SecretARN': data.originSecret.secretArn,
        },
      },
    }),
  ];
}

/** `site-rebuild` → `SiteRebuild`: construct ids from route names. */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}
