import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EDGE_REGION } from '../../../../infra/config.js';
import { EdgeStack, SURVEY_PATH } from '../../../../infra/stacks/edge-stack.js';
import { testConfig } from '../infra-fixtures.js';

interface Rule {
  Name: string;
  Priority: number;
  Action?: {
    Block?: { CustomResponse?: { ResponseCode: number; ResponseHeaders: { Name: string; Value: string }[] } };
  };
  Statement: Record<string, unknown> & {
    RateBasedStatement?: { Limit: number; AggregateKeyType: string; ScopeDownStatement: unknown };
  };
}

describe('EdgeStack', () => {
  let acl: { Scope: string; DefaultAction: unknown; Rules: Rule[] };

  beforeAll(() => {
    const { app, config } = testConfig({ surveyRateLimitPer5Minutes: '60' });
    const stack = new EdgeStack(app, 'Edge', { config, env: { region: EDGE_REGION } });
    const acls = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL'));
    expect(acls).toHaveLength(1);
    acl = acls[0]?.Properties;
  }, 60_000);

  it('creates a CloudFront-scoped web ACL that allows by default', () => {
    // Assess
    expect(acl.Scope).toBe('CLOUDFRONT');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
  });

  it('limits survey posts per client IP, scoped to POST on the survey path', () => {
    // Act
    const rule = acl.Rules.find((candidate) => candidate.Name === 'SurveyPostsPerIp');

    // Assess
    expect(rule?.Statement.RateBasedStatement).toMatchObject({ Limit: 60, AggregateKeyType: 'IP' });
    const scope = JSON.stringify(rule?.Statement.RateBasedStatement?.ScopeDownStatement);
    expect(scope).toContain(`"SearchString":"${SURVEY_PATH}"`);
    expect(scope).toContain('"SearchString":"POST"');
  });

  it('answers a rate-limited client 429 with Retry-After, as the contract says', () => {
    // Act
    const rule = acl.Rules.find((candidate) => candidate.Name === 'SurveyPostsPerIp');

    // Assess
    const response = rule?.Action?.Block?.CustomResponse;
    expect(response?.ResponseCode).toBe(429);
    expect(response?.ResponseHeaders).toContainEqual({ Name: 'retry-after', Value: '300' });
  });

  it('runs the AWS reputation and bad-input rule groups before the rate limits', () => {
    // Act
    const ordered = [...acl.Rules].sort((a, b) => a.Priority - b.Priority).map((rule) => rule.Name);

    // Assess
    expect(ordered).toEqual([
      'AWSManagedRulesAmazonIpReputationList',
      'AWSManagedRulesKnownBadInputsRuleSet',
      'SurveyPostsPerIp',
      'ApiRequestsPerIp',
    ]);
  });
});
