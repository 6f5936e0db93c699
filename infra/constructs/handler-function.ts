import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import { type IGrantable, type IPrincipal, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Charset, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { type ILogGroup, LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { type DeploymentConfig, REPOSITORY_ROOT } from '../config.js';
import { MissingHandlerError } from '../errors.js';
import { LAMBDA_BUNDLING, LAMBDA_NODE_OPTIONS, UNIT_REGISTRY_ASSET } from './lambda-bundling.js';

export interface HandlerFunctionProps {
  readonly config: DeploymentConfig;
  /** Stable name from the route table: part of the function and log group names. */
  readonly name: string;
  /** Module path relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** Ship the committed unit registry beside the bundle (lambda-bundling.ts, `UNIT_REGISTRY_ASSET`). */
  readonly unitRegistry?: boolean;
}

export { ESM_REQUIRE_BANNER } from './lambda-bundling.js';

/**
 * One Lambda handler as the project deploys them all: Node 24 on arm64, bundled offline by the local esbuild
 * as minified ESM with Powertools inside and the SDK v3 from the runtime (`lambda-bundling.ts`; no layer, no
 * Docker), its own log group with
 * a retention, and its own role that starts with nothing but writing to that log group. Callers add exactly
 * the statements the handler needs (`allow`), so every role in the app is least-privilege by construction.
 */
export class HandlerFunction extends Construct implements IGrantable {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    const entry = resolve(REPOSITORY_ROOT, props.entry);
    if (!existsSync(entry)) throw new MissingHandlerError(props.entry);
    const { config } = props;
    const functionName = `${config.prefix}-${props.name}`;

    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${functionName}: least-privilege role of one handler`,
    });
    this.role.addToPrincipalPolicy(logWriteStatement(this.logGroup));

    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: props.description,
      entry,
      handler: 'handler',
      projectRoot: REPOSITORY_ROOT,
      depsLockFilePath: join(REPOSITORY_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: 'cong-vu',
        POWERTOOLS_METRICS_NAMESPACE: 'CongVu',
        // Powertools reads POWERTOOLS_LOG_LEVEL; LOG_LEVEL is kept for code that reads the generic name.
        POWERTOOLS_LOG_LEVEL: config.stage === 'prod' ? 'INFO' : 'DEBUG',
        LOG_LEVEL: config.stage === 'prod' ? 'INFO' : 'DEBUG',
        STAGE: config.stage,
        NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        ...props.environment,
      },
      // As bench/bundles.ts measures them (lambda-bundling.ts); the enums are CDK's names for the same values.
      bundling: {
        ...LAMBDA_BUNDLING,
        format: OutputFormat.ESM,
        mainFields: [...LAMBDA_BUNDLING.mainFields],
        externalModules: [...LAMBDA_BUNDLING.externalModules],
        charset: Charset.UTF8,
        forceDockerBundling: false,
        logLevel: LogLevel.ERROR,
        ...(props.unitRegistry ? { commandHooks: unitRegistryHooks() } : {}),
      },
    });
  }

  get grantPrincipal(): IPrincipal {
    return this.role;
  }

  /** Adds statements to this handler's role. */
  allow(...statements: PolicyStatement[]): void {
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
  }
}

/** Copies the unit registry into the function's asset after esbuild wrote the bundle. */
function unitRegistryHooks() {
  const { source, target } = UNIT_REGISTRY_ASSET;
  return {
    beforeBundling: (): string[] => [],
    beforeInstall: (): string[] => [],
    afterBundling: (inputDir: string, outputDir: string): string[] => [
      `mkdir -p "${join(outputDir, target, '..')}"`,
      `cp "${join(inputDir, source)}" "${join(outputDir, target)}"`,
    ],
  };
}

/** A plain Allow statement. */
/**
 * Writing to one log group, what every role of a function or a build starts with: the group's ARN attribute already
 * ends in `:*`, which covers this group's streams and nothing else.
 */
export function logWriteStatement(logGroup: ILogGroup): PolicyStatement {
  return iamStatement(['logs:CreateLogStream', 'logs:PutLogEvents'], [logGroup.logGroupArn]);
}

export function iamStatement(actions: readonly string[], resources: readonly string[]): PolicyStatement {
  return new PolicyStatement({ actions: [...actions], resources: [...resources] });
}
