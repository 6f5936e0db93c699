import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DeploymentConfigError } from './errors.js';

/**
 * The deployment settings, read once from CDK context (`cdk.json` or `-c key=value`) so that every stack sees
 * the same values. Nothing here needs AWS credentials: `npx cdk synth` works offline.
 */

/** The repository root: NodejsFunction bundles and the site build source are taken from here. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

/** Vietnam's nearest AWS region; used unless context names another (`-c region=…`). */
export const DEFAULT_REGION = 'ap-southeast-1';

/** CloudFront only accepts web ACLs and certificates created in us-east-1. */
export const EDGE_REGION = 'us-east-1';

/** AWS WAF refuses rate-based limits below 10 requests per evaluation window. */
export const WAF_MINIMUM_RATE_LIMIT = 10;

export type SiteBuildCompute = 'small' | 'large';

export interface DeploymentConfig {
  readonly stage: Stage;
  /** Prefix of stack names and physical names: `CongVu-dev`. */
  readonly prefix: string;
  readonly account: string | undefined;
  readonly region: string;
  /** prod keeps data when a stack or resource is removed; dev may be torn down. */
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  readonly logRetention: RetentionDays;
  /** SSM SecureString holding the dossier-code HMAC key; created by the operator, never by CDK. */
  readonly dossierHmacParameterName: string;
  /**
   * Secrets Manager secret holding the value CloudFront adds to every request to the API (functions/lib/
   * origin-verify.ts): created and rotated by the app itself, never typed by anyone.
   */
  readonly originSecretName: string;
  /** SSM SecureString holding the transparency log's Ed25519 key (PKCS#8 PEM); created by the operator, never by CDK. */
  readonly logKeyParameterName: string;
  /** The log's origin (c2sp: its URL prefix without the scheme), the checkpoint's first line and the key's name. */
  readonly logOrigin: string;
  /** Optional e-mail subscribed to the alarm topic. */
  readonly alarmEmail: string | undefined;
  /**
   * How often the publisher checks the dirty marker on its own: the safety net behind the stats stream, which starts
   * it within seconds of a change (publishDebounce).
   */
  readonly rebuildInterval: Duration;
  /** How long the stats stream's pipe gathers changes of the dirty marker before starting the publisher. */
  readonly publishDebounce: Duration;
  readonly siteBuildCompute: SiteBuildCompute;
  /**
   * Survey posts per client IP per 5 minutes before the WAF answers 429: a flood guard only, generous because a
   * service centre's citizens may share one IP; the handler keeps the finer per-client limit.
   */
  readonly surveyRateLimitPer5Minutes: number;
  /** Optional custom domain for the distribution, with its us-east-1 ACM certificate. */
  readonly domainName: string | undefined;
  readonly certificateArn: string | undefined;
  /**
   * This deployment's own token audience (`-c apiAudience=congvu.gov.vn`): agency tokens must name it beside
   * `transparency-api`, so a token made for another stack is refused here. Defaults to the custom domain.
   */
  readonly apiAudience: string | undefined;
  /**
   * The site's own origins (`https://congvu.gov.vn`), against which a survey form post's `Origin` is checked. Behind
   * CloudFront the API never sees the viewer's host, so without them a browser's own form post would be refused.
   * `-c siteOrigins=https://a.vn,https://b.vn`; defaults to the custom domain.
   */
  readonly siteOrigins: readonly string[];
}

/** Reads the deployment settings from context; `env` supplies the CLI's account (CDK_DEFAULT_ACCOUNT), if any. */
export function readDeploymentConfig(node: Node, env: NodeJS.ProcessEnv = process.env): DeploymentConfig {
  const stage = readStage(node.tryGetContext('stage'));
  const prod = stage === 'prod';
  const certificateArn = optionalString(node, 'certificateArn');
  const domainName = optionalString(node, 'domainName');
  if ((certificateArn === undefined) !== (domainName === undefined)) {
    throw new DeploymentConfigError('domainName and certificateArn go together: set both or neither');
  }
  return {
    stage,
    prefix: `CongVu-${stage}`,
    account: optionalString(node, 'account') ?? env.CDK_DEFAULT_ACCOUNT,
    // Not CDK_DEFAULT_REGION: the CLI sets it to us-east-1 when nothing is configured, and where citizens' data
    // lives should be a decision in context, not an accident of the operator's shell.
    region: optionalString(node, 'region') ?? DEFAULT_REGION,
    removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    deletionProtection: prod,
    logRetention: prod ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    dossierHmacParameterName: optionalString(node, 'dossierHmacParameter') ?? `/congvu/${stage}/dossier-hmac-key`,
    logKeyParameterName: optionalString(node, 'logKeyParameter') ?? `/congvu/${stage}/log-signing-key`,
    originSecretName: `congvu/${stage}/origin-verify`,
    logOrigin: optionalString(node, 'logOrigin') ?? `${domainName ?? `congvu-${stage}.invalid`}/log`,
    alarmEmail: optionalString(node, 'alarmEmail'),
    rebuildInterval: Duration.minutes(positiveInteger(node, 'rebuildEveryMinutes', prod ? 5 : 10)),
    publishDebounce: Duration.seconds(publishDebounceSeconds(node)),
    siteBuildCompute: readCompute(node.tryGetContext('siteBuildCompute')),
    surveyRateLimitPer5Minutes: positiveInteger(node, 'surveyRateLimitPer5Minutes', 100, WAF_MINIMUM_RATE_LIMIT),
    domainName,
    certificateArn,
    apiAudience: optionalString(node, 'apiAudience') ?? domainName,
    siteOrigins: readSiteOrigins(optionalString(node, 'siteOrigins'), domainName),
  };
}

function readSiteOrigins(value: string | undefined, domainName: string | undefined): readonly string[] {
  if (value === undefined) return domainName ? [`https://${domainName}`] : [];
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  for (const origin of origins) {
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?$/i.test(origin)) {
      throw new DeploymentConfigError(
        `context "siteOrigins" takes https origins such as https://a.vn, not "${origin}"`,
      );
    }
  }
  return origins;
}

function readStage(value: unknown): Stage {
  const found = STAGES.find((stage) => stage === value);
  if (!found) throw new DeploymentConfigError(`context "stage" must be one of ${STAGES.join(', ')}, not "${value}"`);
  return found;
}

/** EventBridge Pipes batches a DynamoDB stream for at most 300 s. */
function publishDebounceSeconds(node: Node): number {
  const seconds = positiveInteger(node, 'publishDebounceSeconds', 5);
  if (seconds > 300)
    throw new DeploymentConfigError(`context "publishDebounceSeconds" must be at most 300, not ${seconds}`);
  return seconds;
}

function readCompute(value: unknown): SiteBuildCompute {
  if (value === undefined || value === 'small') return 'small';
  if (value === 'large') return 'large';
  throw new DeploymentConfigError(`context "siteBuildCompute" must be small or large, not "${value}"`);
}

function optionalString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new DeploymentConfigError(`context "${key}" must be a string`);
  return value;
}

function positiveInteger(node: Node, key: string, fallback: number, minimum = 1): number {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined) return fallback;
  // `-c key=5` arrives as a string; cdk.json may hold a number.
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(parsed) || parsed < minimum) {
    throw new DeploymentConfigError(`context "${key}" must be an integer of at least ${minimum}, not "${value}"`);
  }
  return parsed;
}
