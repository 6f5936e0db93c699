import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.js';

export interface EdgeStackProps extends StackProps {
  readonly config: DeploymentConfig;
}

/** The survey route of the public contract, which citizens reach without any credential. */
export const SURVEY_PATH = '/api/v1/surveys';

/** Requests per client IP per 5 minutes to any `/api/` path before the WAF blocks (a flood guard). */
export const API_RATE_LIMIT_PER_5_MINUTES = 2000;

/** Seconds a blocked client is told to wait: the WAF evaluates rates over 5-minute windows. */
const RETRY_AFTER_SECONDS = '300';

/**
 * The edge: the WAF web ACL in front of the CloudFront distribution. It lives in its own stack because
 * CloudFront accepts only web ACLs created in us-east-1, whatever region the rest of the service is in; the
 * site stack reads its ARN through a weak cross-region reference (Fn::GetStackOutput).
 *
 * Rules, in order: AWS's IP reputation list and known-bad-inputs rule groups; a rate-based rule on survey
 * posts per client IP (answered 429 with Retry-After, as the contract says); a looser rate-based rule on
 * the whole API. The handler's own per-client limit stays the fine-grained one.
 */
export class EdgeStack extends Stack {
  readonly webAcl: CfnWebACL;
  readonly webAclArn: string;

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    const metric = (name: string) => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${config.prefix}-${name}`,
    });
    const rateLimited: CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: 'rate-limited',
          responseHeaders: [{ name: 'retry-after', value: RETRY_AFTER_SECONDS }],
        },
      },
    };

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      name: `${config.prefix}-web-acl`,
      description: 'In front of the CloudFront distribution: reputation, bad inputs, survey and API rate limits',
      scope: 'CLOUDFRONT',
      defaultAction: { allow: {} },
      visibilityConfig: metric('web-acl'),
      customResponseBodies: {
        'rate-limited': {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({
            type: 'about:blank',
            title: 'Too Many Requests',
            status: 429,
            detail: 'Too many requests from this address. Please wait a few minutes and try again.',
          }),
        },
      },
      rules: [
        managedRuleGroup('AWSManagedRulesAmazonIpReputationList', 0, metric('ip-reputation')),
        managedRuleGroup('AWSManagedRulesKnownBadInputsRuleSet', 1, metric('known-bad-inputs')),
        {
          name: 'SurveyPostsPerIp',
          priority: 2,
          action: rateLimited,
          visibilityConfig: metric('survey-rate'),
          statement: {
            rateBasedStatement: {
              limit: config.surveyRateLimitPer5Minutes,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: {
                andStatement: {
                  statements: [
                    matchUriPath(SURVEY_PATH, 'EXACTLY'),
                    {
                      byteMatchStatement: {
                        fieldToMatch: { method: {} },
                        positionalConstraint: 'EXACTLY',
                        searchString: 'POST',
                        textTransformations: [{ priority: 0, type: 'NONE' }],
                      },
                    },
                  ],
                },
              },
            },
          },
        },
        {
          name: 'ApiRequestsPerIp',
          priority: 3,
          action: rateLimited,
          visibilityConfig: metric('api-rate'),
          statement: {
            rateBasedStatement: {
              limit: API_RATE_LIMIT_PER_5_MINUTES,
              evaluationWindowSec: 300,
              aggregateKeyType: 'IP',
              scopeDownStatement: matchUriPath('/api/', 'STARTS_WITH'),
            },
          },
        },
      ],
    });
    this.webAclArn = this.webAcl.attrArn;
    new CfnOutput(this, 'WebAclArn', { value: this.webAclArn });
  }
}

function managedRuleGroup(
  name: string,
  priority: number,
  visibilityConfig: CfnWebACL.VisibilityConfigProperty,
): CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    visibilityConfig,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name } },
  };
}

function matchUriPath(path: string, constraint: 'EXACTLY' | 'STARTS_WITH'): CfnWebACL.StatementProperty {
  return {
    byteMatchStatement: {
      fieldToMatch: { uriPath: {} },
      positionalConstraint: constraint,
      searchString: path,
      textTransformations: [{ priority: 0, type: 'NONE' }],
    },
  };
}
